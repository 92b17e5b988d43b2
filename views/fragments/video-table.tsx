/** @jsxImportSource @kitajs/html */
import type { ListedVideo } from '../../src/db/types'
import { formatDate, formatDuration, formatUtc, isWebUrl } from '../format'
import { RestoreButton } from './restore-entry'
import { StateIcon } from './state-icon'

export const audioUrl = (videoId: number) => `/media/${videoId}/audio`
export const videoUrl = (videoId: number) => `/media/${videoId}/video`
export const thumbnailUrl = (videoId: number) => `/media/${videoId}/thumbnail`

/** Small and lazy; `alt=""` because the title sits beside it. Only our own route, never a remote URL. */
function EntryThumbnail({ video }: { video: ListedVideo }) {
  return video.thumbnail_path ? (
    <img class="entry-thumb" src={thumbnailUrl(video.id)} alt="" loading="lazy" decoding="async" width="64" height="36" />
  ) : (
    <span class="entry-thumb placeholder" aria-hidden="true"></span>
  )
}

function EntryTitle({ video }: { video: ListedVideo }) {
  return (
    <div class="entry-title">
      {isWebUrl(video.source_url) ? (
        <a href={video.source_url} rel="noreferrer noopener" target="_blank" safe>
          {video.title}
        </a>
      ) : (
        <span safe>{video.title}</span>
      )}
      {video.uploader || video.upload_date ? (
        <span class="muted entry-meta">
          {video.uploader ? (
            <span class="entry-uploader" safe>
              {video.uploader}
            </span>
          ) : (
            ''
          )}
          {video.upload_date ? (
            <time class="entry-date" datetime={video.upload_date} safe>
              {video.upload_date}
            </time>
          ) : (
            ''
          )}
        </span>
      ) : (
        ''
      )}
    </div>
  )
}

/** The reason an entry is not (fully) archived: gone upstream, or the tool's error. */
function EntryNote({ video }: { video: ListedVideo }) {
  return (
    <>
      {video.missing_since ? (
        <span class="chip chip-missing" title={`not in the playlist since ${formatUtc(video.missing_since)}`} safe>
          {`gone upstream since ${formatDate(video.missing_since)}`}
        </span>
      ) : (
        ''
      )}
      {video.skip_reason && video.download_state !== 'downloaded' ? (
        <span class="chip chip-skipped" title="left out by this playlist's download filters" safe>
          {`skipped: ${video.skip_reason}`}
        </span>
      ) : (
        ''
      )}
      {video.skip_reason && video.download_state === 'downloaded' && video.extract_state !== 'extracted' ? (
        <span class="chip chip-skipped" title="its length, read from the downloaded file, is outside this playlist's length filter" safe>
          {`not extracted: ${video.skip_reason}`}
        </span>
      ) : (
        ''
      )}
      {video.download_state === 'pruned' ? (
        <span class="chip chip-pruned" title="retention deleted this entry's video; no job fetches it again unless you restore it" safe>
          {`pruned ${video.pruned_at ? formatDate(video.pruned_at) : ''}${video.extract_state === 'extracted' ? ' (audio kept)' : ''}`}
        </span>
      ) : (
        ''
      )}
      {video.error ? (
        <span class="entry-error warn" safe>
          {video.error}
        </span>
      ) : (
        ''
      )}
    </>
  )
}

/** The player and file links of an archived entry. */
function EntryFiles({ video }: { video: ListedVideo }) {
  return (
    <div class="entry-files">
      {video.extract_state === 'extracted' && video.audio_path ? (
        <>
          <audio id={`audio-${video.id}`} controls="" preload="none" src={audioUrl(video.id)} data-video-id={String(video.id)} aria-label={video.title}></audio>
          <a class="file-link" href={`${audioUrl(video.id)}?download=1`} download="" aria-label={`Download audio: ${video.title}`}>
            Download audio
          </a>
        </>
      ) : (
        ''
      )}
      {video.download_state === 'downloaded' && video.video_path ? (
        <a class="file-link" href={`/playlists/${video.playlist_id}/entries/${video.id}`} aria-label={`Play: ${video.title}`}>
          Play
        </a>
      ) : (
        ''
      )}
      {video.download_state === 'pruned' ? <RestoreButton video={video} /> : ''}
      {video.download_state === 'downloaded' && video.video_path ? (
        <a class="file-link" href={`${videoUrl(video.id)}?download=1`} download="" aria-label={`Video file: ${video.title}`}>
          Video file
        </a>
      ) : (
        ''
      )}
    </div>
  )
}

function EntryRow({ video }: { video: ListedVideo }) {
  return (
    <tr id={`video-${video.id}`} class={video.missing_since ? 'entry missing' : 'entry'}>
      <td class="num">{video.position}</td>
      <td class="entry-main">
        <div class="entry-head">
          <EntryThumbnail video={video} />
          <div class="entry-body">
            <EntryTitle video={video} />
            <EntryNote video={video} />
          </div>
        </div>
      </td>
      <td class="num duration">
        <span safe>{formatDuration(video.duration)}</span>
        {video.audio_duration !== null && formatDuration(video.audio_duration) !== formatDuration(video.duration) ? (
          <small class="muted audio-length" title="The audio is shorter: SponsorBlock segments were cut out of it" safe>
            {`audio ${formatDuration(video.audio_duration)}`}
          </small>
        ) : (
          ''
        )}
      </td>
      <td class="states">
        <StateIcon phase="download" state={video.download_state} />
        <StateIcon phase="extract" state={video.extract_state} />
      </td>
      <td class="files">
        <EntryFiles video={video} />
      </td>
    </tr>
  )
}

/** One page of entries in playlist order. */
export function VideoTable({ videos }: { videos: ListedVideo[] }) {
  if (videos.length === 0) return <p class="empty muted">No entries here.</p>
  return (
    <div class="table-wrap">
      <table class="entries">
        <thead>
          <tr>
            <th class="num" scope="col">
              #
            </th>
            <th scope="col">Title</th>
            <th class="num" scope="col">
              Length
            </th>
            <th scope="col" title="download, extract">
              State
            </th>
            <th scope="col">Files</th>
          </tr>
        </thead>
        <tbody>
          {videos.map((v) => (
            <EntryRow video={v} />
          ))}
        </tbody>
      </table>
    </div>
  )
}
