/** @jsxImportSource @kitajs/html */
import type { PhaseStatus } from '../../src/db/types'
import { widthOf } from '../format'
import { DownloadIcon, ExtractIcon, MoveIcon } from '../icons'

export type PhaseName = 'download' | 'extract' | 'move'

const LABEL: Record<PhaseName, string> = { download: 'Downloading', extract: 'Extracting Audio', move: 'Moving files' }
const ICON: Record<PhaseName, () => JSX.Element> = { download: DownloadIcon, extract: ExtractIcon, move: MoveIcon }

/** A phase's bar is on screen only while the phase is still to do. */
export const phaseShown = (status: PhaseStatus | null) => status === 'pending' || status === 'running' || status === 'paused'

interface Props {
  phase: PhaseName
  status: PhaseStatus
  completed: number
  failed: number
  total: number
  batchInfo?: string | null
}

/** "[icon] Downloading  5 / 10" over a count-based bar (no percentages), the batch line under it. */
export function PhaseBar({ phase, status, completed, failed, total, batchInfo }: Props) {
  const waiting = status === 'pending' || (phase === 'download' && status === 'running' && total === 0)
  const done = widthOf(completed, total)
  const Glyph = ICON[phase]
  return (
    <div class={`phase phase-${phase}`} data-status={status}>
      <div class="phase-head">
        <span class="phase-label">
          <Glyph />
          <span safe>{LABEL[phase]}</span>
          {status === 'paused' ? <span class="muted"> (paused)</span> : ''}
        </span>
        <span class="phase-count">
          {waiting ? (
            <span class="muted">{phase === 'download' && status === 'running' ? 'indexing…' : 'waiting'}</span>
          ) : (
            <span class="count">
              {completed} / {total}
            </span>
          )}
          {failed > 0 ? <span class="warn"> · {failed} failed</span> : ''}
        </span>
      </div>
      {/* SVG geometry, not style="width:…": the Content-Security-Policy allows no inline styles. */}
      <svg class="bar" role="progressbar" aria-label={LABEL[phase]} aria-valuemin="0" aria-valuemax={String(total)} aria-valuenow={String(completed)}>
        <rect class="bar-done" width={done} height="100%"></rect>
        <rect class="bar-failed" x={done} width={widthOf(failed, total)} height="100%"></rect>
      </svg>
      {batchInfo ? (
        <p class="batch-info" safe>
          {batchInfo}
        </p>
      ) : (
        ''
      )}
    </div>
  )
}
