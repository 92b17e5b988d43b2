/** @jsxImportSource @kitajs/html */
import type { VideoFilter } from '../../src/db/types'
import { entriesUrl } from './entry-filters'

/** "101–200 of 5000" with previous/next links; nothing when one page holds everything. */
export function Pager({
  playlistId,
  filter,
  search,
  offset,
  limit,
  total,
}: {
  playlistId: number
  filter: VideoFilter
  search: string
  offset: number
  limit: number
  total: number
}) {
  if (total <= limit && offset === 0) return ''
  const first = total === 0 ? 0 : offset + 1
  const last = Math.min(offset + limit, total)
  const prev = offset > 0 ? Math.max(0, offset - limit) : null
  const next = offset + limit < total ? offset + limit : null
  const lastPage = Math.max(0, Math.floor((total - 1) / limit) * limit)
  return (
    <nav class="pager" aria-label="Pages">
      {prev !== null ? (
        <>
          <a href={entriesUrl(playlistId, filter, 0, search)} rel="first">
            « First
          </a>
          <a href={entriesUrl(playlistId, filter, prev, search)} rel="prev">
            ‹ Previous
          </a>
        </>
      ) : (
        ''
      )}
      <span class="pager-range">
        {first}–{last} of {total}
      </span>
      {next !== null ? (
        <>
          <a href={entriesUrl(playlistId, filter, next, search)} rel="next">
            Next ›
          </a>
          <a href={entriesUrl(playlistId, filter, lastPage, search)} rel="last">
            Last »
          </a>
        </>
      ) : (
        ''
      )}
    </nav>
  )
}
