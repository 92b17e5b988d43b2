import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { numberWidth, videoTarget } from '../../src/library/layout'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { startServerProcess, waitUntil } from '../helpers/server-process'

let media: MediaServer
const dirs: string[] = []
beforeAll(async () => (media = await startMediaServer()))
afterAll(async () => {
  await media.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tree(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : out.push(relative(dir, join(d, e.name)))
  }
  walk(dir)
  return out.sort()
}

const N = 5
const filesOf = (v: any): string[] => [v.video_path, v.audio_path, v.thumbnail_path].filter(Boolean)

test('SIGKILL mid-relayout: the next start settles it, the resumed job finishes, each file is moved once and verify passes', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'yt-serve-relayout-crash-'))
  dirs.push(dataDir)
  const env = { DATA_DIR: dataDir, AUDIO_FORMAT: 'mp3', EXTRACT_CONCURRENCY: '1', SOCKET_TIMEOUT: '5' }
  const feed = await media.addFeed('relayout-crash', {
    title: 'Crash Show',
    items: Array.from({ length: N }, (_, i) => ({
      name: `rc${i}`,
      title: `Episode ${i}`,
      seconds: 1,
      thumbnail: i % 2 === 0,
      pubDate: `Tue, 0${i + 1} Jan 2024 10:00:00 GMT`,
    })),
  })
  const first = await startServerProcess(env)
  const add = (await first.json('POST', '/api/playlists', { url: feed })).json
  const both = (await first.json('POST', `/api/playlists/${add.id}/jobs`, { type: 'both' })).json
  await waitUntil('the download', async () => (await first.json('GET', `/api/jobs/${both.id}`)).json.status === 'completed')
  const before: any[] = (await first.json('GET', `/api/playlists/${add.id}`)).json.videos
  const inodes = new Set(before.flatMap(filesOf).map((p) => statSync(join(dataDir, p)).ino))
  const total = before.flatMap(filesOf).length

  // The hold: a FIFO where the third entry's NFO is written (after its files moved). Writing
  // into it blocks until someone reads, which nobody does: the mover stops right there.
  const third = before[2]
  const target = videoTarget({ ...add, library_layout: 'jellyfin' }, third, numberWidth(N, third.position))
  mkdirSync(join(dataDir, target.dir), { recursive: true })
  const fifo = join(dataDir, target.dir, `.${target.stem}.nfo.part`)
  expect(Bun.spawnSync(['mkfifo', fifo]).exitCode).toBe(0)

  const patched = await first.json('PATCH', `/api/playlists/${add.id}`, { library_layout: 'jellyfin' })
  expect(patched.status).toBe(200)
  const jobId = patched.json.relayout_job_id
  const movedFirst = before.slice(0, 3).flatMap(filesOf).length
  const held = await waitUntil('the relayout held at the third entry', async () => {
    const j = (await first.json('GET', `/api/jobs/${jobId}`)).json
    return j.move_completed === movedFirst && j.current.some((c: any) => c.phase === 'move' && c.video_id === third.id) ? j : undefined
  })
  expect(held).toMatchObject({ type: 'relayout', status: 'running', move_total: total })
  // Mid-job on disk: the first three moved, the last two not yet.
  const mid: any[] = (await first.json('GET', `/api/playlists/${add.id}`)).json.videos
  expect(mid.slice(0, 3).every((v) => v.video_path.includes('/Season 2024/'))).toBe(true)
  expect(mid.slice(3).every((v) => v.video_path.includes('/videos/'))).toBe(true)
  // Progress reaches the job row at most every 250 ms: kill once it has (else the row still says
  // "queued" and the next start simply runs the job again from the start of what is left).
  const peek = new Database(join(dataDir, 'yt-serve.db'), { readonly: true })
  await waitUntil('the held progress in the job row', async () => {
    const row = peek.query('select status, move_completed from jobs where id = ?').get(jobId) as { status: string; move_completed: number }
    return row.status === 'running' && row.move_completed === movedFirst
  })
  peek.close()
  first.proc.kill('SIGKILL')
  await first.proc.exited

  await using second = await startServerProcess(env)
  expect(existsSync(fifo)).toBe(false) // swept with the other temporary files
  const interrupted = (await second.json('GET', `/api/jobs/${jobId}`)).json
  expect(interrupted).toMatchObject({ type: 'relayout', status: 'interrupted', move_completed: movedFirst })
  // Until it is resumed, every file is where its row says: verify passes half-way too.
  expect((await second.json('POST', `/api/playlists/${add.id}/verify`)).json).toMatchObject({ checked: 2 * N, videos_missing: 0, audio_missing: 0 })
  expect((await second.json('POST', `/api/jobs/${jobId}/resume`)).status).toBe(200)
  const done = await waitUntil('the resumed relayout', async () => {
    const j = (await second.json('GET', `/api/jobs/${jobId}`)).json
    return j.status !== 'running' && j.status !== 'queued' ? j : undefined
  })
  expect(done).toMatchObject({ status: 'completed', move_total: total, move_completed: total })
  const after: any[] = (await second.json('GET', `/api/playlists/${add.id}`)).json.videos
  for (const v of after) expect(v.video_path).toMatch(new RegExp(`^${add.folder}/Season 2024/Crash Show - S2024E00${v.position} - `))
  // The same files, each once: no copy, nothing left in the plain folders, an NFO per episode.
  expect(new Set(after.flatMap(filesOf).map((p) => statSync(join(dataDir, p)).ino))).toEqual(inodes)
  const files = tree(join(dataDir, add.folder)).filter((f) => !f.startsWith('.staging'))
  expect(files.filter((f) => /^(videos|audio|thumbnails)\//.test(f))).toEqual([])
  expect(files.filter((f) => f.endsWith('.nfo'))).toHaveLength(N + 1)
  expect(files.filter((f) => f.endsWith('.part'))).toEqual([])
  expect((await second.json('POST', `/api/playlists/${add.id}/verify`)).json).toMatchObject({ checked: 2 * N, videos_missing: 0, audio_missing: 0 })
})
