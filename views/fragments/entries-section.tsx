/** @jsxImportSource @kitajs/html */
import type { PlaylistCounts } from '../../src/db/playlists'
import type { ListedVideo } from '../../src/db/types'
import type { VideoFilter } from '../../src/db/types'
import { EntryFilters, entriesQuery } from './entry-filters'
import { Pager } from './pager'
import { StateLegend } from './state-icon'
import { VideoTable } from './video-table'

/** Sent (HX-Trigger) by whatever starts a job or changes entries, so a resting entries table refreshes. */
export const ENTRIES_CHANGED_EVENT = 'entries-changed'

export const entriesFragmentUrl = (d: EntriesData) =>
  `/playlists/${d.playlistId}/entries${entriesQuery(d.filter, d.offset, d.search, d.limit !== d.defaultLimit ? d.limit : undefined)}`

export interface EntriesData {
  playlistId: number
  counts: PlaylistCounts
  videos: ListedVideo[]
  total: number
  offset: number
  limit: number
  defaultLimit: number
  filter: VideoFilter
  /** The title/uploader search, '' for none. */
  search: string
  /** The playlist has a queued, running or paused job. */
  live: boolean
}

/**
 * Filters, one page of entries and the pager. While a job of the playlist is live the
 * section polls itself every 2 s and is morphed in place (rows and players keep their
 * identity, so a track being listened to keeps playing); otherwise it waits for a job to
 * start. The render after the job ends has no timer, which stops the polling.
 */
export function EntriesSection({ data }: { data: EntriesData }) {
  const url = entriesFragmentUrl(data)
  const trigger = data.live ? 'every 2s' : `${ENTRIES_CHANGED_EVENT} from:body`
  return (
    <section
      id="entries"
      class="entries-section"
      aria-labelledby="entries-heading"
      data-live={data.live ? 'true' : 'false'}
      hx-get={url}
      hx-trigger={trigger}
      hx-swap="outerMorph"
      {...{ 'hx-status:5xx': 'swap:none' }}
    >
      <h2 id="entries-heading">Entries</h2>
      <EntryFilters playlistId={data.playlistId} current={data.filter} counts={data.counts} search={data.search} />
      <VideoTable videos={data.videos} />
      {data.videos.length > 0 ? <StateLegend /> : ''}
      <Pager playlistId={data.playlistId} filter={data.filter} search={data.search} offset={data.offset} limit={data.limit} total={data.total} />
    </section>
  )
}
