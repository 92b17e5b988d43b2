/** @jsxImportSource @kitajs/html */
import type { DownloadState, ExtractState } from '../../src/db/types'
import { DoneIcon, DownloadingIcon, ExtractingIcon, FailedIcon, PendingIcon, PrunedIcon } from '../icons'

type State = DownloadState | ExtractState

const ICON: Record<State, () => JSX.Element> = {
  pending: PendingIcon,
  downloading: DownloadingIcon,
  downloaded: DoneIcon,
  extracting: ExtractingIcon,
  extracted: DoneIcon,
  failed: FailedIcon,
  pruned: PrunedIcon,
}

/** A per-phase state as an icon with its name for screen readers and tooltips. */
export function StateIcon({ phase, state }: { phase: 'download' | 'extract'; state: State }) {
  const label = `${phase}: ${state}`
  const Glyph = ICON[state]
  return (
    <span class={`state state-${state}`} title={label} aria-label={label} role="img">
      <Glyph />
    </span>
  )
}

const LEGEND: { state: State; text: string }[] = [
  { state: 'pending', text: 'not yet' },
  { state: 'downloading', text: 'downloading' },
  { state: 'extracting', text: 'extracting' },
  { state: 'downloaded', text: 'done' },
  { state: 'failed', text: 'failed' },
  { state: 'pruned', text: 'pruned (deleted by retention)' },
]

/** What the State column's two icons mean; the icons alone are only colour and shape. */
export function StateLegend() {
  return (
    <div class="state-legend muted">
      <span class="state-legend-title">State: first icon download, second extract.</span>
      <ul>
        {LEGEND.map(({ state, text }) => {
          const Glyph = ICON[state]
          return (
            <li>
              <span class={`state state-${state}`}>
                <Glyph />
              </span>
              <span safe>{text}</span>
            </li>
          )
        })}
      </ul>
    </div>
  )
}
