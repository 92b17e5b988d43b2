import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { insertPlaylist } from '../../src/db/playlists'
import { testContext, type TestContext } from '../helpers/context'

let t: TestContext
let outside: string // a directory next to DATA_DIR, never ours
beforeAll(async () => {
  t = await testContext()
  outside = mkdtempSync(join(tmpdir(), 'yt-serve-outside-'))
  mkdirSync(join(outside, 'videos'))
  writeFileSync(join(outside, 'videos', 'precious.mp4'), 'not yours')
  writeFileSync(join(outside, 'note.txt'), 'keep me')
})
afterAll(async () => {
  await t.close()
  rmSync(outside, { recursive: true, force: true })
})

const tree = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort()

async function playlistIn(folder: string): Promise<number> {
  return (await insertPlaylist(t.ctx.db, { url: `http://127.0.0.1:9/${encodeURIComponent(folder)}.xml`, title: folder, folder })).id
}

describe('DELETE /api/playlists/:id?delete_files=true reports what it deleted', () => {
  test('a folder that is a symlink out of DATA_DIR: files_deleted false with the reason, nothing outside touched', async () => {
    const before = tree(outside)
    symlinkSync(outside, join(t.dataDir, 'Linked out'))
    const id = await playlistIn('Linked out')
    const res = await t.api('DELETE', `/api/playlists/${id}?delete_files=true`)
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ deleted: id, files_deleted: false, folder: 'Linked out', files_removed: 0, bytes_removed: 0 })
    expect(res.json.reason).toContain('symbolic link')
    expect(tree(outside)).toEqual(before)
    expect((await t.api('GET', `/api/playlists/${id}`)).status).toBe(404) // the playlist itself is gone
  })

  test("a folder that is a symlink to another playlist's folder: that folder survives", async () => {
    mkdirSync(join(t.dataDir, 'Real', 'videos'), { recursive: true })
    writeFileSync(join(t.dataDir, 'Real', 'videos', 'a.mp4'), 'aaaa')
    const real = await playlistIn('Real')
    symlinkSync(join(t.dataDir, 'Real'), join(t.dataDir, 'Alias'))
    const alias = await playlistIn('Alias')
    const res = await t.api('DELETE', `/api/playlists/${alias}?delete_files=true`)
    expect(res.json).toMatchObject({ files_deleted: false, files_removed: 0 })
    expect(res.json.reason).toContain('symbolic link')
    expect(existsSync(join(t.dataDir, 'Real', 'videos', 'a.mp4'))).toBe(true)
    expect((await t.api('GET', `/api/playlists/${real}`)).status).toBe(200)
  })

  test('a real folder: counts and bytes of what went; links inside it are removed as links, their targets kept', async () => {
    const dir = join(t.dataDir, 'Plain')
    mkdirSync(join(dir, 'videos'), { recursive: true })
    mkdirSync(join(dir, 'audio'))
    writeFileSync(join(dir, 'videos', 'one.mp4'), '12345')
    writeFileSync(join(dir, 'audio', 'one.mp3'), '123')
    symlinkSync(outside, join(dir, 'videos', 'dir-link'))
    symlinkSync(join(outside, 'note.txt'), join(dir, 'audio', 'file-link.mp3'))
    const before = tree(outside)
    const id = await playlistIn('Plain')
    const res = await t.api('DELETE', `/api/playlists/${id}?delete_files=true`)
    expect(res.json).toEqual({ deleted: id, files_deleted: true, folder: 'Plain', files_removed: 4, bytes_removed: 8 })
    expect(existsSync(dir)).toBe(false)
    expect(tree(outside)).toEqual(before)
    // The SQLite database beside the folders is untouched (TEST_DATABASE=postgres keeps none there).
    if (!t.ctx.config.databaseUrl) expect(lstatSync(join(t.dataDir, 'yt-serve.db')).isFile()).toBe(true)
  })

  test('a folder that is not there: files_deleted false, and why', async () => {
    const id = await playlistIn('Never downloaded')
    const res = await t.api('DELETE', `/api/playlists/${id}?delete_files=true`)
    expect(res.json).toMatchObject({ files_deleted: false, files_removed: 0, reason: 'the folder does not exist' })
  })

  test('without delete_files the answer is as before and the folder stays', async () => {
    mkdirSync(join(t.dataDir, 'Kept'))
    const id = await playlistIn('Kept')
    expect((await t.api('DELETE', `/api/playlists/${id}`)).json).toEqual({ deleted: id, files_deleted: false })
    expect(existsSync(join(t.dataDir, 'Kept'))).toBe(true)
  })
})
