import { itemBaseName, sanitizeFileName } from './names'

/**
 * Where an entry's files live, as paths relative to DATA_DIR ('/'-separated, like the stored
 * ones). Every place that names a file (the download and extract workers, the thumbnail, the
 * NFOs, the relayout job) asks this one pure module, so they cannot disagree; everything that
 * reads files (verify, M3U, the podcast feed, the media routes) follows the stored paths.
 */
export const LIBRARY_LAYOUTS = ['plain', 'jellyfin', 'plex'] as const
export type LibraryLayout = (typeof LIBRARY_LAYOUTS)[number]

/** The fields a naming template may use, as `{field}`. */
export const TEMPLATE_FIELDS = ['position', 'title', 'uploader', 'upload_date', 'id', 'playlist'] as const

export interface NamingPlaylist {
  folder: string
  title: string
  library_layout: string
  name_template: string | null
}

export interface NamingEntry {
  position: number
  title: string
  uploader: string | null
  upload_date: string | null
  source_id: string
}

/** A file's place before a " (2)" makes its name free: its folder and its name without extension. */
export interface FileTarget {
  dir: string
  stem: string
}

export const layoutOf = (p: Pick<NamingPlaylist, 'library_layout'>): LibraryLayout =>
  (LIBRARY_LAYOUTS as readonly string[]).includes(p.library_layout) ? (p.library_layout as LibraryLayout) : 'plain'

/** Jellyfin and Plex read a playlist as a TV show (seasons, episodes, NFOs, artwork). */
export const isShowLayout = (layout: LibraryLayout) => layout !== 'plain'

/** Files a show layout adds at the top of the playlist folder (the show's NFO and artwork, the music folder's cover). */
export const SHOW_FILES = ['tvshow.nfo', 'poster.jpg', 'fanart.jpg', 'folder.jpg'] as const

/** Why a naming template is refused, in words that follow its label; null when it is fine. */
export function templateProblem(template: string): string | null {
  if (template.trim() === '') return 'empty: leave it out to use the default names'
  if (template.length > 200) return 'at most 200 characters'
  if (/[/\\]/.test(template)) return 'a template names one file, so it cannot contain / or \\'
  if (/[\u0000-\u001f\u007f]/.test(template)) return 'control characters are not allowed'
  let fields = 0
  for (const part of template.split(/(\{[^{}]*\})/)) {
    const m = /^\{([^{}]*)\}$/.exec(part)
    if (m) {
      if (!(TEMPLATE_FIELDS as readonly string[]).includes(m[1]!))
        return `unknown field {${m[1]}}; the fields are ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(', ')}`
      fields++
    } else if (/[{}]/.test(part)) return 'a { or } without its pair'
  }
  return fields === 0 ? 'use at least one field, such as {title}' : null
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** Digits of an entry's number: at least three, more for longer playlists (as today's names). */
export const numberWidth = (entries: number, position: number) => Math.max(3, String(entries || position).length)

/**
 * A template filled in and made one safe file name. Values go in once, in one pass, so a
 * title that reads "{id}" stays text; the whole name is then sanitized like any other.
 */
export function renderTemplate(template: string, p: Pick<NamingPlaylist, 'title'>, v: NamingEntry, width: number, maxBytes?: number): string {
  const values: Record<(typeof TEMPLATE_FIELDS)[number], string> = {
    position: pad(v.position, width),
    title: v.title,
    uploader: v.uploader ?? '',
    upload_date: v.upload_date ?? '',
    id: v.source_id,
    playlist: p.title,
  }
  return sanitizeFileName(
    template.replace(/\{(\w+)\}/g, (all, f: string) => (Object.hasOwn(values, f) ? values[f as keyof typeof values] : all)),
    maxBytes,
  )
}

/** An entry's season in a show layout: its upload year; an unknown date is season 0, which both servers file as specials. */
export function seasonOf(v: Pick<NamingEntry, 'upload_date'>): number {
  const m = /^(\d{4})-/.exec(v.upload_date ?? '')
  return m ? Number(m[1]) : 0
}

/** "S2024E007": the episode part both servers parse from the file name. */
export const episodeCode = (v: NamingEntry, width: number) => `S${pad(seasonOf(v), 2)}E${pad(v.position, width)}`

/**
 * Where an entry's video goes. Plain: `<folder>/videos/<nnn> - <Title>` (or the template).
 * Shows: `<folder>/Season <year>/<Playlist> - S<year>E<nnn> - <Title> [<id>]`, the template
 * replacing the part after the episode code, which the servers need to read the file.
 */
export function videoTarget(p: NamingPlaylist, v: NamingEntry, width: number): FileTarget {
  const layout = layoutOf(p)
  if (!isShowLayout(layout)) {
    return { dir: `${p.folder}/videos`, stem: p.name_template ? renderTemplate(p.name_template, p, v, width) : itemBaseName(v.position, v.title, width) }
  }
  // Bounded parts keep the name, its " (2)" and "-thumb.jpg" under the 255 bytes file systems allow.
  const rest = p.name_template ? renderTemplate(p.name_template, p, v, width, 140) : `${sanitizeFileName(v.title, 110)} [${sanitizeFileName(v.source_id, 30)}]`
  return { dir: `${p.folder}/Season ${pad(seasonOf(v), 2)}`, stem: `${sanitizeFileName(p.title, 50)} - ${episodeCode(v, width)} - ${rest}` }
}

/**
 * Where an entry's audio goes. Plain: `<folder>/audio/` under the video's own name (`videoStem`).
 * Shows: a music folder at the playlist folder's top, `<nn> - <Title>` (or the template),
 * beside `folder.jpg`; the tags the extraction writes carry album, artist and track.
 */
export function audioTarget(p: NamingPlaylist, v: NamingEntry, width: number, videoStem: string): FileTarget {
  const layout = layoutOf(p)
  if (!isShowLayout(layout)) return { dir: `${p.folder}/audio`, stem: videoStem }
  const stem = p.name_template ? renderTemplate(p.name_template, p, v, width) : `${pad(v.position, width > 3 ? width : 2)} - ${sanitizeFileName(v.title)}`
  return { dir: p.folder, stem }
}

const dirOf = (rel: string) => rel.replace(/\/[^/]*$/, '')
/** A stored path's file name without its extension. */
export const stemOf = (rel: string) => rel.replace(/^.*\//, '').replace(/\.[^./]+$/, '')

/**
 * An entry's thumbnail, named after its video's final path. Plain: `<folder>/thumbnails/<stem>.jpg`;
 * Jellyfin reads an episode's image from `<stem>-thumb.jpg` beside it, Plex from `<stem>.jpg`.
 */
export function thumbnailPath(p: Pick<NamingPlaylist, 'folder' | 'library_layout'>, videoRel: string): string {
  const layout = layoutOf(p)
  const stem = stemOf(videoRel)
  if (layout === 'jellyfin') return `${dirOf(videoRel)}/${stem}-thumb.jpg`
  if (layout === 'plex') return `${dirOf(videoRel)}/${stem}.jpg`
  return `${p.folder}/thumbnails/${stem}.jpg`
}

/** The NFO a video has beside it under its own name, whichever layout wrote it. */
export const nfoBeside = (videoRel: string) => `${dirOf(videoRel)}/${stemOf(videoRel)}.nfo`

/** An episode's NFO beside its video (show layouts only). */
export function nfoPath(p: Pick<NamingPlaylist, 'library_layout'>, videoRel: string): string | null {
  return isShowLayout(layoutOf(p)) ? nfoBeside(videoRel) : null
}
