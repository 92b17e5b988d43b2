import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { rmSync } from 'node:fs'
import { main } from '../../src/cli/main'
import { memoryIo } from '../../src/cli/io'
import { insertSession } from '../../src/db/sessions'
import { storeSettings } from '../../src/db/server-settings'
import { writeYtdlpState } from '../../src/db/ytdlp'
import { startMediaServer, type MediaServer } from '../fixtures/media-server'
import { testContext } from '../helpers/context'
import { postgres } from '../helpers/dialects'
import { postgresMissing } from '../helpers/postgres-cluster'

// An SQLite archive with finished jobs moves into PostgreSQL, and the API answers as before.
let media: MediaServer
beforeAll(async () => {
  media = await startMediaServer()
})
afterAll(() => media?.stop())

const ANSWERS = ['/api/playlists', '/api/jobs']

describe.skipIf(postgresMissing() !== null)(`migrate-db${postgresMissing() ? ` (skipped: ${postgresMissing()})` : ''}`, () => {
  test('copies an archive with finished jobs into an empty database; the API answers the same; a second copy is refused', async () => {
    const feed = await media.addFeed('moving', {
      title: 'Moving',
      items: [
        { name: 'm1', title: 'One', seconds: 1 },
        { name: 'm2', title: 'Two', seconds: 1 },
      ],
    })
    // The SQLite archive: a playlist, a finished "both" job with its log, a login session, the yt-dlp state.
    const before = await testContext()
    const dataDir = before.dataDir
    const p = await before.addPlaylist(feed)
    const done = await before.runJob(p.id, 'both')
    expect(done.status).toBe('completed')
    const paths = [...ANSWERS, `/api/playlists/${p.id}`, `/api/jobs/${done.id}`]
    await insertSession(before.ctx.db, {
      id_hash: 'h'.repeat(64),
      token_mac: 'm'.repeat(64),
      created_at: '2026-12-01T00:00:00.000Z',
      expires_at: '2027-01-01T00:00:00.000Z',
    })
    await writeYtdlpState(before.ctx.db, { source: 'system', checked_at: '2026-12-01T10:00:00.000Z' })
    const expected = await Promise.all(paths.map((path) => before.api('GET', path)))
    // Settings saved for every node and for one node (server_settings' node column) move too.
    await storeSettings(before.ctx.db, new Map([['extract_concurrency', '2']]))
    await storeSettings(before.ctx.db, new Map([['download_concurrency', '3']]), [], 'box2')
    // Closed as a stopped server leaves it, the data dir kept.
    await before.manager.shutdown()
    await before.ctx.db.destroy()
    try {
      const { DATABASE_URL: url } = await postgres.env()
      const io = memoryIo()
      expect(await main(['migrate-db', '--data-dir', dataDir, '--to', url], io)).toBe(0)
      expect(io.stdout).toContain('copied and verified: 1 playlist(s), 2 entries, 1 job(s)')
      expect(io.stdout).toContain('1 session(s), 1 yt-dlp state row(s)')

      await using after = await testContext({ DATA_DIR: dataDir, DATABASE_URL: url })
      const got = await Promise.all(paths.map((path) => after.api('GET', path)))
      expect(got).toEqual(expected)
      const settings = await after.ctx.db.selectFrom('server_settings').select(['node', 'name', 'value']).orderBy('node').execute()
      expect(settings).toEqual([
        { node: '', name: 'extract_concurrency', value: '2' },
        { node: 'box2', name: 'download_concurrency', value: '3' },
      ])
      // The identity sequences moved past the copied ids: a new job gets the next one.
      const next = await after.runJob(p.id, 'extract')
      expect(next.id).toBe(done.id + 1)

      // Into a database that holds an archive already: refused, readably, nothing changed.
      const again = memoryIo()
      expect(await main(['migrate-db', '--data-dir', dataDir, '--to', url], again)).toBe(2)
      expect(again.stderr).toContain('is not empty (1 playlist(s), 2 entries, 2 job(s)')
      expect(again.stderr).toContain('copies into an empty database only')
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  test('--to must be a postgres:// URL with a database; the password is never echoed', async () => {
    const io = memoryIo()
    expect(await main(['migrate-db', '--to', 'mysql://u:secret@h/db'], io)).toBe(2)
    expect(io.stderr).toContain('--to must be a postgres:// URL')
    expect(io.stderr).not.toContain('secret')
  })
})
