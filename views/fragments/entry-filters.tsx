/** @jsxImportSource @kitajs/html */
import type { PlaylistCounts } from '../../src/db/playlists'
import type { VideoFilter } from '../../src/db/videos'

const FILTERS: { filter: VideoFilter; label: string; count?: (c: PlaylistCounts) => number }[] = [
  { filter: 'all', label: 'All' },
  { filter: 'failed', label: 'Failed', count: (c) => c.failed },
  { filter: 'missing', label: 'Gone upstream', count: (c) => c.missing },
  { filter: 'pending', label: 'Not downloaded' },
  { filter: 'extracted', label: 'Extracted', count: (c) => c.extracted },
]

export const entriesUrl = (playlistId: number, filter: VideoFilter, offset = 0) => {
  const q = new URLSearchParams()
  if (filter !== 'all') q.set('filter', filter)
  if (offset > 0) q.set('offset', String(offset))
  const s = q.toString()
  return `/playlists/${playlistId}${s ? `?${s}` : ''}#entries`
}

/** Filter links (plain links: the page is a normal GET, so they work without htmx too). */
export function EntryFilters({ playlistId, current, counts }: { playlistId: number; current: VideoFilter; counts: PlaylistCounts }) {
  return (
    <nav class="filters" aria-label="Filter entries">
      {FILTERS.map((f) => (
        <a
          href={entriesUrl(playlistId, f.filter)}
          class={f.filter === current ? 'filter active' : 'filter'}
          aria-current={f.filter === current ? 'page' : undefined}
          data-filter={f.filter}
        >
          <span safe>{f.label}</span>
          {f.count ? <span class="filter-count">{f.count(counts)}</span> : ''}
        </a>
      ))}
    </nav>
  )
}
