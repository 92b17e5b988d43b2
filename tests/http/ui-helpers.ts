// Seeding and request helpers for the page and fragment tests (no yt-dlp needed).
import { insertJob, updateJob } from '../../src/db/jobs'
import { insertPlaylist } from '../../src/db/playlists'
import type { JobRow, JobType, JobUpdate, Playlist } from '../../src/db/types'
import { applyIndex, type IndexedEntry } from '../../src/db/videos'
import type { TestContext } from '../helpers/context'

export interface Page {
  status: number
  headers: Headers
  text: string
}

/** GET (or any method) through app.handle, always with a full http://localhost URL. */
export async function request(t: TestContext, path: string, init: RequestInit = {}): Promise<Page> {
  const res = await t.app.handle(new Request(`http://localhost${path}`, init))
  return { status: res.status, headers: res.headers, text: await res.text() }
}

/** A form post as htmx sends it (urlencoded, with Content-Length and HX-Request). */
export function postForm(t: TestContext, path: string, fields: Record<string, string> = {}): Promise<Page> {
  const body = new URLSearchParams(fields).toString()
  return request(t, path, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), 'hx-request': 'true' },
  })
}

export const entry = (n: number, extra: Partial<IndexedEntry> = {}): IndexedEntry => ({
  source_id: `s${n}`,
  position: n,
  title: `Entry ${n}`,
  uploader: null,
  duration: 65,
  source_url: `https://media.example/${n}.mp4`,
  thumbnail_url: null,
  upload_date: null,
  extractor: null,
  ...extra,
})

let seq = 0
export async function seedPlaylist(
  t: TestContext,
  opts: { title?: string; uploader?: string | null; entries?: number | IndexedEntry[]; url?: string } = {},
): Promise<Playlist> {
  seq++
  const p = await insertPlaylist(t.ctx.db, {
    url: opts.url ?? `https://media.example/list-${seq}`,
    title: opts.title ?? `List ${seq}`,
    uploader: opts.uploader ?? null,
    folder: `list-${seq}`,
    indexed_at: null,
  })
  const entries =
    typeof opts.entries === 'number' || opts.entries === undefined ? Array.from({ length: opts.entries ?? 3 }, (_, i) => entry(i + 1)) : opts.entries
  await applyIndex(t.ctx.db, p.id, entries)
  return p
}

/** A job row in any state, as the manager would have written it. */
export async function seedJob(t: TestContext, playlistId: number, type: JobType, patch: JobUpdate = {}): Promise<JobRow> {
  const row = await insertJob(t.ctx.db, playlistId, type)
  if (Object.keys(patch).length > 0) await updateJob(t.ctx.db, row.id, patch)
  return { ...row, ...patch } as JobRow
}

/** The opening tag of the element with this id. */
export function openingTag(html: string, id: string): string {
  const m = new RegExp(`<[a-z]+[^>]*\\sid="${id}"[^>]*>`).exec(html)
  if (!m) throw new Error(`no element #${id} in ${html.slice(0, 300)}`)
  return m[0]
}
