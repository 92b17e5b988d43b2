/** @jsxImportSource @kitajs/html */
import type { PlaylistCounts } from '../../src/db/playlists'
import type { Job, JobRow, Playlist } from '../../src/db/types'
import type { SiteStatus } from '../site-status'
import { formatTime, isWebUrl } from '../format'
import { EntriesSection, type EntriesData } from '../fragments/entries-section'
import { HistorySection } from '../fragments/job-history'
import { JobList } from '../fragments/job-list'
import { PlaylistActions, type ReextractOfferView } from '../fragments/playlist-actions'
import { PlaylistDelete } from '../fragments/playlist-delete'
import { PlaylistName } from '../fragments/playlist-name'
import { PlaylistSettings, type SettingDefaults } from '../fragments/playlist-settings'
import { PlaylistStats } from '../fragments/playlist-stats'
import { VerifyFilesButton } from '../fragments/verify-files'
import { ImportFilesForm } from '../fragments/import-files'
import { Layout } from '../layout'

export interface PlaylistPageData {
  playlist: Playlist
  counts: PlaylistCounts
  entries: EntriesData
  history: Omit<JobRow, 'current'>[]
  liveJobs: Job[]
  defaults: SettingDefaults
  status: SiteStatus
  /** Files in another format than the playlist's: Extract offers to make them again. */
  reextract?: ReextractOfferView
  /** IMPORT_DIRS is set: "Import files" offers its form. */
  importEnabled?: boolean
}

/** `/playlists/:id`: header with actions and settings, live jobs, one page of entries, job history. */
export function PlaylistPage({ data }: { data: PlaylistPageData }) {
  const { playlist: p } = data
  const titles = new Map([[p.id, p.title]])
  return (
    <Layout title={p.title} status={data.status}>
      <nav class="crumbs">
        <a href="/">← Library</a>
      </nav>
      <section class="card playlist-head">
        <PlaylistName playlist={p} />
        <p class="muted playlist-meta">
          {p.uploader ? <span safe>{p.uploader}</span> : ''}
          {p.singles ? (
            <span>Videos pasted one by one; each keeps its own address</span>
          ) : isWebUrl(p.url) ? (
            <a class="playlist-url" href={p.url} rel="noreferrer noopener" target="_blank" safe>
              {p.url}
            </a>
          ) : (
            <span safe>{p.url}</span>
          )}
          {p.indexed_at ? <span safe>{`indexed ${formatTime(p.indexed_at)}`}</span> : ''}
        </p>
        <p class="exports muted">
          {'Extracted audio as '}
          <a href={`/playlists/${p.id}/playlist.m3u8`} download="playlist.m3u8">
            an M3U playlist
          </a>
          {' or '}
          <a href={`/playlists/${p.id}/podcast.xml`} rel="alternate" type="application/rss+xml">
            a podcast feed
          </a>
        </p>
        <PlaylistStats playlistId={p.id} counts={data.counts} />
        <PlaylistActions
          playlistId={p.id}
          playlistTitle={p.title}
          busy={data.liveJobs.some((j) => j.status !== 'interrupted')}
          failed={data.counts.failed}
          reextract={data.reextract}
        />
        <VerifyFilesButton playlistId={p.id} />
        <PlaylistSettings playlist={p} defaults={data.defaults} />
        <PlaylistDelete playlist={p} counts={data.counts} />
      </section>
      <section class="jobs-section" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs</h2>
        <JobList jobs={data.liveJobs} titles={titles} />
      </section>
      <EntriesSection data={data.entries} />
      {/* Rare, so below the entries: on a phone they start within the first screen. */}
      <ImportFilesForm playlistId={p.id} enabled={data.importEnabled === true} />
      <HistorySection playlistId={p.id} jobs={data.history} live={data.entries.live} />
    </Layout>
  )
}
