/** @jsxImportSource @kitajs/html */
import type { PlaylistCounts } from '../../src/db/playlists'
import type { VideoFilter } from '../../src/db/types'

const FILTERS: { filter: VideoFilter; label: string; count?: (c: PlaylistCounts) => number }[] = [
  { filter: 'all', label: 'All' },
  { filter: 'failed', label: 'Failed', count: (c) => c.failed },
  { filter: 'missing', label: 'Gone upstream', count: (c) => c.missing },
  { filter: 'pending', label: 'Not downloaded' },
  { filter: 'extracted', label: 'Extracted', count: (c) => c.extracted },
  { filter: 'skipped', label: 'Skipped', count: (c) => c.skipped },
  { filter: 'pruned', label: 'Pruned', count: (c) => c.pruned },
]

/** The query string of one view of the entries: filter, search and page (and a page size other than the default). */
export const entriesQuery = (filter: VideoFilter, offset = 0, search = '', limit?: number) => {
  const q = new URLSearchParams()
  if (filter !== 'all') q.set('filter', filter)
  if (search) q.set('q', search)
  if (offset > 0) q.set('offset', String(offset))
  if (limit !== undefined) q.set('limit', String(limit))
  const s = q.toString()
  return s ? `?${s}` : ''
}

export const entriesUrl = (playlistId: number, filter: VideoFilter, offset = 0, search = '') =>
  `/playlists/${playlistId}${entriesQuery(filter, offset, search)}#entries`

/**
 * Filter links and a title search (a plain GET form and plain links: the page is a
 * normal GET, so they work without htmx too). Switching filters keeps the search.
 */
export function EntryFilters({ playlistId, current, counts, search }: { playlistId: number; current: VideoFilter; counts: PlaylistCounts; search: string }) {
  return (
    <div class="entry-tools">
      <nav class="filters" aria-label="Filter entries">
        {FILTERS.map((f) => (
          <a
            href={entriesUrl(playlistId, f.filter, 0, search)}
            class={f.filter === current ? 'filter active' : 'filter'}
            aria-current={f.filter === current ? 'page' : undefined}
            data-filter={f.filter}
          >
            <span safe>{f.label}</span>
            {f.count ? <span class="filter-count">{f.count(counts)}</span> : ''}
          </a>
        ))}
      </nav>
      <form class="entry-search" role="search" method="get" action={`/playlists/${playlistId}#entries`}>
        {current !== 'all' ? <input type="hidden" name="filter" value={current} /> : ''}
        <input type="search" name="q" value={search} maxlength="200" placeholder="Search titles and uploaders" aria-label="Search entries" />
        <button type="submit" class="btn btn-small">
          Search
        </button>
        {search ? (
          <a class="clear-search" href={entriesUrl(playlistId, current)}>
            Clear
          </a>
        ) : (
          ''
        )}
      </form>
    </div>
  )
}
