/** @jsxImportSource @kitajs/html */
import type { VideoFilter } from '../../src/db/types'
import { entriesUrl } from './entry-filters'

/** A playlist's entries, a page at a time: OffsetPager with the entry filters in its links. */
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
  return <OffsetPager offset={offset} limit={limit} total={total} href={(at) => entriesUrl(playlistId, filter, at, search)} />
}

/** "101–200 of 5000" with first/previous/next/last links to `href(offset)`; nothing when one page holds everything. */
export function OffsetPager({ offset, limit, total, href }: { offset: number; limit: number; total: number; href: (offset: number) => string }) {
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
          <a href={href(0)} rel="first">
            « First
          </a>
          <a href={href(prev)} rel="prev">
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
          <a href={href(next)} rel="next">
            Next ›
          </a>
          <a href={href(lastPage)} rel="last">
            Last »
          </a>
        </>
      ) : (
        ''
      )}
    </nav>
  )
}
