/** @jsxImportSource @kitajs/html */
import type { DownloadState, ExtractState } from '../../src/db/types'

const ICON: Record<DownloadState | ExtractState, string> = {
  pending: '○',
  downloading: '↓',
  downloaded: '✓',
  extracting: '♪',
  extracted: '✓',
  failed: '✗',
}

/** A per-phase state as an icon with its name for screen readers and tooltips. */
export function StateIcon({ phase, state }: { phase: 'download' | 'extract'; state: DownloadState | ExtractState }) {
  const label = `${phase}: ${state}`
  return (
    <span class={`state state-${state}`} title={label} aria-label={label} role="img" safe>
      {ICON[state]}
    </span>
  )
}
