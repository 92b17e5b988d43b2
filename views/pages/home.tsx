/** @jsxImportSource @kitajs/html */
import type { PlaylistWithCounts } from '../../src/db/playlists'
import type { Job } from '../../src/db/types'
import type { SiteStatus } from '../site-status'
import { AddPlaylistForm } from '../fragments/add-playlist-form'
import { JobList } from '../fragments/job-list'
import { NeedsAttention } from '../fragments/needs-attention'
import { NotifyToggle } from '../fragments/notify-toggle'
import { PlaylistList } from '../fragments/playlist-list'
import { SiteFooter } from '../fragments/site-footer'
import { Layout } from '../layout'
import { YtdlpPanel, YtdlpStaleBanner } from '../fragments/ytdlp-panel'
import type { YtdlpStatus } from '../../src/ytdlp/updater'

/** `/`: the paste-and-go form, interrupted jobs, the live jobs, the library, the status line. */
export function HomePage({
  playlists,
  jobs,
  ended,
  busyIds,
  status,
  diskFreeBytes,
  ytdlp,
  notice,
  defaultFormat,
}: {
  playlists: PlaylistWithCounts[]
  jobs: Job[]
  /** Jobs that ended in the last day and were not dismissed: their cards stay until dismissed. */
  ended: Job[]
  busyIds: Set<number>
  status: SiteStatus
  diskFreeBytes: number | null
  ytdlp: YtdlpStatus
  /** A one-time notice from the action before ("Deleted …"). */
  notice?: string
  /** The server's audio format, named in the form's "the playlist's" choice. */
  defaultFormat: string
}) {
  const titles = new Map(playlists.map((p) => [p.id, p.title]))
  return (
    <Layout title="yt-serve" status={status}>
      <h1 class="visually-hidden">yt-serve: your playlist archive</h1>
      <YtdlpStaleBanner s={ytdlp} />
      {notice ? (
        <p class="notice flash-notice" role="status" safe>
          {notice}
        </p>
      ) : (
        ''
      )}
      <AddPlaylistForm defaultFormat={defaultFormat} />
      <NeedsAttention jobs={jobs.filter((j) => j.status === 'interrupted')} titles={titles} />
      <section class="jobs-section" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs</h2>
        <NotifyToggle />
        <JobList jobs={[...jobs.filter((j) => j.status !== 'interrupted'), ...ended]} titles={titles} />
      </section>
      <PlaylistList playlists={playlists} busyIds={busyIds} />
      <YtdlpPanel s={ytdlp} />
      <SiteFooter status={status} diskFreeBytes={diskFreeBytes} />
    </Layout>
  )
}
