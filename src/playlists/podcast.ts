import type { Playlist, Video } from '../db/types'
import { extractedVideos } from '../db/videos'
import { mediaType } from '../library/media-types'
import { storedFileSize, mediaRoot } from '../library/paths'
import { xmlText } from '../library/xml'
import type { AppContext } from '../context'
import { requirePlaylist } from './require-playlist'

export interface PodcastItem {
  video: Video
  /** Size of the audio file in bytes (an enclosure needs it). */
  bytes: number
}

/** RFC 822 date for RSS: the upload date when known, else when the entry was first indexed. */
const rssDate = (v: Video) => new Date(v.upload_date ? `${v.upload_date}T00:00:00Z` : v.created_at).toUTCString()

/**
 * The playlist's extracted audio as a podcast (RSS 2.0 with iTunes tags), newest entry
 * first as podcast apps expect; `base` is the server's origin as the client reached it.
 */
export function buildPodcast(playlist: Playlist, items: PodcastItem[], base: string): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">',
    '<channel>',
    `<title>${xmlText(playlist.title)}</title>`,
    `<link>${xmlText(`${base}/playlists/${playlist.id}`)}</link>`,
    `<description>${xmlText(`Audio archived by yt-serve from ${playlist.url}`)}</description>`,
    '<generator>yt-serve</generator>',
  ]
  if (playlist.uploader) out.push(`<itunes:author>${xmlText(playlist.uploader)}</itunes:author>`)
  for (const { video: v, bytes } of [...items].sort((a, b) => b.video.position - a.video.position)) {
    out.push(
      '<item>',
      `<title>${xmlText(v.title)}</title>`,
      `<guid isPermaLink="false">yt-serve:${playlist.id}:${xmlText(v.source_id)}</guid>`,
      `<enclosure url="${xmlText(`${base}/media/${v.id}/audio`)}" length="${bytes}" type="${mediaType(v.audio_path ?? '')}"/>`,
      `<pubDate>${rssDate(v)}</pubDate>`,
    )
    const length = v.audio_duration ?? v.duration // the audio's, once SponsorBlock cut it
    if (length) out.push(`<itunes:duration>${Math.round(length)}</itunes:duration>`)
    if (v.uploader) out.push(`<itunes:author>${xmlText(v.uploader)}</itunes:author>`)
    out.push('</item>')
  }
  out.push('</channel>', '</rss>')
  return `${out.join('\n')}\n`
}

/** The feed of one playlist. Files gone from disk are left out. */
export async function playlistPodcast(ctx: AppContext, playlistId: number, base: string): Promise<string> {
  const playlist = await requirePlaylist(ctx.db, playlistId)
  const items: PodcastItem[] = []
  for (const video of await extractedVideos(ctx.db, playlistId)) {
    const bytes = await storedFileSize(mediaRoot(ctx.config), video.audio_path)
    if (bytes > 0) items.push({ video, bytes })
  }
  return buildPodcast(playlist, items, base)
}
