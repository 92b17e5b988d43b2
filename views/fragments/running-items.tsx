/** @jsxImportSource @kitajs/html */
import type { ItemProgress } from '../../src/db/types'
import { formatDuration, formatPercent, formatSpeed } from '../format'
import { DownloadIcon, ExtractIcon } from '../icons'

/** One line per item in flight: title and percent, plus speed and ETA for downloads, and the node running it. */
export function RunningItems({ items }: { items: ItemProgress[] }) {
  if (items.length === 0) return ''
  const sorted = [...items].sort((a, b) => (a.phase === b.phase ? 0 : a.phase === 'download' ? -1 : 1))
  return (
    <ul class="running-items">
      {sorted.map((item) => (
        <li class={`item item-${item.phase}`}>
          <span class="item-icon">{item.phase === 'download' ? <DownloadIcon /> : <ExtractIcon />}</span>
          <span class="visually-hidden">{item.phase === 'download' ? 'downloading: ' : 'extracting: '}</span>
          <span class="item-title" safe>
            {item.title}
          </span>
          <span class="item-stats">
            <span class="item-percent" safe>
              {formatPercent(item.percent)}
            </span>
            {item.phase === 'download' ? (
              <>
                <span class="item-speed" safe>
                  {formatSpeed(item.speed)}
                </span>
                <span class="item-eta" safe>{`ETA ${formatDuration(item.eta)}`}</span>
              </>
            ) : (
              ''
            )}
            {item.node ? <span class="item-node" safe>{`on ${item.node}`}</span> : ''}
          </span>
        </li>
      ))}
    </ul>
  )
}
