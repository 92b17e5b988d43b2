/** @jsxImportSource @kitajs/html */
import type { PlaylistWithCounts } from '../../src/db/playlists'
import type { Job } from '../../src/db/types'
import { AddPlaylistForm } from '../fragments/add-playlist-form'
import { JobList } from '../fragments/job-list'
import { PlaylistList } from '../fragments/playlist-list'
import { Layout } from '../layout'

/** `/`: the add form, the live and interrupted jobs, the library. */
export function HomePage({ playlists, jobs, busyIds }: { playlists: PlaylistWithCounts[]; jobs: Job[]; busyIds: Set<number> }) {
  const titles = new Map(playlists.map((p) => [p.id, p.title]))
  return (
    <Layout title="yt-serve">
      <AddPlaylistForm />
      <section class="jobs-section" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs</h2>
        <JobList jobs={jobs} titles={titles} />
      </section>
      <PlaylistList playlists={playlists} busyIds={busyIds} />
    </Layout>
  )
}
