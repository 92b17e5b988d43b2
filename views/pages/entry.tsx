/** @jsxImportSource @kitajs/html */
import type { EntryPlayer } from '../../src/playlists/entry-player'
import type { SiteStatus } from '../site-status'
import { formatDuration, isWebUrl } from '../format'
import { audioUrl, videoUrl } from '../fragments/video-table'
import { Layout } from '../layout'

export const entryUrl = (playlistId: number, videoId: number) => `/playlists/${playlistId}/entries/${videoId}`
export const subtitleUrl = (videoId: number, lang: string) => `/media/${videoId}/subtitles/${encodeURIComponent(lang)}`

/** 75 → "1:15", 3725 → "1:02:05": a chapter's start as players show it. */
function clock(seconds: number): string {
  const s = Math.floor(seconds)
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60]
  const two = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`
}

/** The video itself, or why there is none to play here. */
function Player({ data, start }: { data: EntryPlayer; start: number | null }) {
  const { video } = data
  if (!data.hasVideo)
    return (
      <p class="muted player-note">
        {video.video_deleted_at ? 'The video file was deleted after its audio was extracted.' : 'The video is not downloaded yet.'}
      </p>
    )
  const download = (
    <a class="file-link" href={`${videoUrl(video.id)}?download=1`} download="" aria-label={`Download the video file: ${video.title}`}>
      Download the video file
    </a>
  )
  if (!data.playable)
    return (
      <p class="player-note">
        {'Browsers cannot play this file type (Matroska and the like) in the page. '}
        {download}
        {' and open it in a media player such as VLC or mpv.'}
      </p>
    )
  // A media fragment (#t=) starts the video at a chapter without any script, which the CSP forbids inline.
  const src = start === null ? videoUrl(video.id) : `${videoUrl(video.id)}#t=${start}`
  return (
    <>
      {/* Kita's video type lacks preload: metadata only, so opening the page reads the header, not the file. */}
      <video class="player" controls {...{ preload: 'metadata' }} src={src} aria-label={video.title}>
        {data.subtitles.map((s, i) => (
          <track kind="subtitles" src={subtitleUrl(video.id, s.lang)} srclang={s.lang} label={s.label} default={i === 0 ? '' : undefined} />
        ))}
      </video>
      <p class="entry-files">{download}</p>
    </>
  )
}

/** Chapter links reload the page at the chapter's start; nothing when the file has no chapters. */
function Chapters({ data }: { data: EntryPlayer }) {
  if (!data.playable || data.chapters.length === 0) return ''
  const base = entryUrl(data.playlist.id, data.video.id)
  return (
    <section class="card chapters" aria-labelledby="chapters-heading">
      <h2 id="chapters-heading">Chapters</h2>
      <ol class="chapter-list">
        {data.chapters.map((c) => (
          <li>
            <a href={`${base}?t=${Math.floor(c.start)}`}>
              <span class="muted chapter-start" safe>
                {clock(c.start)}
              </span>{' '}
              <span safe>{c.title}</span>
            </a>
          </li>
        ))}
      </ol>
    </section>
  )
}

/** Previous and Next among the playlist's entries that have a video file. */
function Neighbours({ data }: { data: EntryPlayer }) {
  const { previous, next, playlist } = data
  if (!previous && !next) return ''
  return (
    <nav class="entry-nav" aria-label="Playlist">
      {previous ? (
        <a class="btn" rel="prev" href={entryUrl(playlist.id, previous.id)} aria-label={`Previous: ${previous.title}`}>
          ← Previous
        </a>
      ) : (
        ''
      )}
      {next ? (
        <a class="btn" rel="next" href={entryUrl(playlist.id, next.id)} aria-label={`Next: ${next.title}`}>
          Next →
        </a>
      ) : (
        ''
      )}
    </nav>
  )
}

/** `/playlists/:id/entries/:videoId`: one entry's video, its facts, its audio, and the way on. */
export function EntryPage({ data, start, status }: { data: EntryPlayer; start: number | null; status: SiteStatus }) {
  const { video, playlist } = data
  return (
    <Layout title={video.title} status={status}>
      <nav class="crumbs">
        <a href={`/playlists/${playlist.id}`} safe>
          {`← ${playlist.title}`}
        </a>
      </nav>
      <section class="card entry-player">
        <h1 safe>{video.title}</h1>
        <p class="muted entry-meta">
          {video.uploader ? <span safe>{video.uploader}</span> : ''}
          {video.upload_date ? <span safe>{`uploaded ${video.upload_date}`}</span> : ''}
          {video.duration ? <span safe>{formatDuration(video.duration)}</span> : ''}
          {isWebUrl(video.source_url) ? (
            <a href={video.source_url} rel="noreferrer noopener" target="_blank" aria-label={`Source: ${video.title}`}>
              Source
            </a>
          ) : (
            ''
          )}
        </p>
        <Player data={data} start={start} />
        {video.extract_state === 'extracted' && video.audio_path ? (
          <p class="entry-files">
            <audio controls="" preload="none" src={audioUrl(video.id)} aria-label={`Audio: ${video.title}`}></audio>
            <a class="file-link" href={`${audioUrl(video.id)}?download=1`} download="" aria-label={`Download audio: ${video.title}`}>
              Download audio
            </a>
          </p>
        ) : (
          ''
        )}
        <Neighbours data={data} />
      </section>
      <Chapters data={data} />
    </Layout>
  )
}
