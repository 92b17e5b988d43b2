/** @jsxImportSource @kitajs/html */
import type { PlaylistWithCounts } from '../../src/db/playlists'
import type { Job, Playlist } from '../../src/db/types'
import { plural } from '../format'
import { PlaylistUrlInput } from './add-playlist-form'
import { JobCard } from './job-card'
import { PlaylistList } from './playlist-list'

const STARTED: Record<Job['type'], string> = { both: 'downloading and extracting', download: 'downloading', extract: 'extracting', relayout: 'moving files' }

/** "Added …" or "already added as #2", each linking to the playlist. */
function Notice({ playlist, added, existing, single }: { playlist: Playlist; added: number; existing: boolean; single: boolean }) {
  const link = (
    <a href={`/playlists/${playlist.id}`} safe>
      {playlist.title}
    </a>
  )
  if (existing)
    return (
      <>
        {single ? 'This video was already added to ' : 'This playlist was already added as '}
        {link}
        <span safe>{` (#${playlist.id}).`}</span>
      </>
    )
  if (single) return <>Added the video to {link}.</>
  return (
    <>
      {'Added '}
      {link}
      <span safe>{` (${plural(added, 'entry', 'entries')}).`}</span>
    </>
  )
}

/**
 * The answer to a paste: a note by the form, the new job's card at the top of #jobs, the
 * refreshed library and a cleared input. Without a job (an add that did not start one) the card is left out.
 */
export function PlaylistAdded({
  playlist,
  added,
  existing,
  single,
  job,
  playlists,
  busyIds,
}: {
  playlist: Playlist
  added: number
  existing: boolean
  single: boolean
  job: Job | null
  playlists: PlaylistWithCounts[]
  busyIds: Set<number>
}) {
  return (
    <>
      <p class="notice" role="status">
        <Notice playlist={playlist} added={added} existing={existing} single={single} />
        {job ? <span safe>{` Job #${job.id} started: ${STARTED[job.type]}${job.delete_videos ? ', deleting the videos after extraction' : ''}.`}</span> : ''}
      </p>
      {job ? (
        <hx-partial hx-target="#jobs" hx-swap="afterbegin">
          <JobCard job={job} playlistTitle={playlist.title} />
        </hx-partial>
      ) : (
        ''
      )}
      <PlaylistList playlists={playlists} busyIds={busyIds} oob />
      <PlaylistUrlInput oob />
    </>
  )
}
