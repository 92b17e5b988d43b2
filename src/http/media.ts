import { basename } from 'node:path'
import { Elysia, t } from 'elysia'
import { findVideo } from '../db/videos'
import { NotFound } from '../errors'
import { mediaType } from '../library/media-types'
import { resolveMediaInside, mediaRoot } from '../library/paths'
import type { Deps } from './deps'
import { models } from './models'

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null

/**
 * One `bytes=` range against a file of `size` bytes; null means "send it whole"
 * (no header, a malformed one, or several ranges, which a 200 answers correctly).
 */
export function parseByteRange(header: string | null, size: number): ByteRange {
  if (!header) return null
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return null
  let start: number
  let end: number
  if (m[1] === '') {
    const suffix = Number(m[2])
    if (suffix === 0) return 'unsatisfiable'
    start = Math.max(0, size - suffix)
    end = size - 1
  } else {
    start = Number(m[1])
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
    if (m[2] !== '' && Number(m[2]) < start) return null
  }
  if (start >= size || size === 0) return 'unsatisfiable'
  return { start, end }
}

/** RFC 6266 filename with an ASCII fallback. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

/** Serves a file that lives inside `root`, with Range support so players can seek. */
export async function serveFile(root: string, rel: string | null, request: Request, download: boolean): Promise<Response> {
  const full = rel ? resolveMediaInside(root, rel) : null
  if (!full) throw new NotFound('file')
  const file = Bun.file(full)
  if (!(await file.exists())) throw new NotFound('file')
  const size = file.size
  const headers: Record<string, string> = {
    'content-type': mediaType(full),
    'accept-ranges': 'bytes',
    'cache-control': 'private, no-cache',
    'last-modified': new Date(file.lastModified).toUTCString(),
    'x-content-type-options': 'nosniff',
  }
  if (download) headers['content-disposition'] = attachment(basename(full))
  const range = parseByteRange(request.headers.get('range'), size)
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } })
  if (range === null) return new Response(file, { status: 200, headers: { ...headers, 'content-length': String(size) } })
  return new Response(file.slice(range.start, range.end + 1), {
    status: 206,
    headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${size}`, 'content-length': String(range.end - range.start + 1) },
  })
}

/** `/media/:id/audio`, `/media/:id/video` and `/media/:id/thumbnail`: an entry's files, only from inside DATA_DIR. */
export function mediaController({ ctx }: Deps) {
  const query = t.Object({ download: t.Optional(t.String()) })
  const handler =
    (kind: 'audio_path' | 'video_path' | 'thumbnail_path') =>
    async ({ params, query, request }: { params: { id: number }; query: { download?: string }; request: Request }) => {
      const video = await findVideo(ctx.db, params.id)
      if (!video) throw new NotFound(`video ${params.id}`)
      return serveFile(mediaRoot(ctx.config), video[kind], request, query.download !== undefined && query.download !== '0')
    }
  return new Elysia({ name: 'media', prefix: '/media' })
    .get('/:id/audio', handler('audio_path'), { params: models.id, query })
    .get('/:id/video', handler('video_path'), { params: models.id, query })
    .get('/:id/thumbnail', handler('thumbnail_path'), { params: models.id, query })
}
