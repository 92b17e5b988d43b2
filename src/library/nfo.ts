import { seasonOf, type NamingEntry } from './layout'
import { xmlText } from './xml'

/**
 * The NFO files Jellyfin (and Kodi, and Plex's NFO agents) read beside a show's files:
 * `tvshow.nfo` for the playlist and `<episode>.nfo` per video. Every remote string goes
 * through xmlText, so a title with `]]>`, `&` or control characters stays well-formed.
 */

export interface ShowInfo {
  title: string
  uploader: string | null
  url: string
}

export interface EpisodeInfo extends NamingEntry {
  description: string | null
  duration: number | null
  extractor: string | null
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const el = (name: string, text: string | number | null | undefined) =>
  text === null || text === undefined || text === '' ? [] : [`  <${name}>${xmlText(String(text))}</${name}>`]

export function tvshowNfo(show: ShowInfo): string {
  return [
    XML_HEAD,
    '<tvshow>',
    ...el('title', show.title),
    ...el('plot', `Archived by yt-serve from ${show.url}`),
    ...el('studio', show.uploader),
    '  <thumb aspect="poster">poster.jpg</thumb>',
    '  <fanart><thumb>fanart.jpg</thumb></fanart>',
    '</tvshow>',
    '',
  ].join('\n')
}

/** `uniqueid type`: the extractor's name made a plain token ("youtube", "generic"). */
const idType = (extractor: string | null) =>
  (extractor ?? 'generic')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '') || 'generic'

/** `thumb`: the episode image's file name beside the NFO, or null when there is none. */
export function episodeNfo(show: Pick<ShowInfo, 'title'>, v: EpisodeInfo, thumb: string | null): string {
  return [
    XML_HEAD,
    '<episodedetails>',
    ...el('title', v.title),
    ...el('showtitle', show.title),
    ...el('season', seasonOf(v)),
    ...el('episode', v.position),
    ...el('plot', v.description),
    ...el('aired', v.upload_date),
    // Kodi's runtime is in whole minutes.
    ...el('runtime', v.duration ? Math.max(1, Math.round(v.duration / 60)) : null),
    ...el('studio', v.uploader),
    `  <uniqueid type="${xmlText(idType(v.extractor))}" default="true">${xmlText(v.source_id)}</uniqueid>`,
    ...el('thumb', thumb),
    '</episodedetails>',
    '',
  ].join('\n')
}
