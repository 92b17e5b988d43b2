import { expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { insertPlaylist } from '../../src/db/playlists'
import { applyIndex, findVideo, updateVideo } from '../../src/db/videos'
import { JobManager } from '../../src/jobs/manager'
import { testContext } from '../helpers/context'
import { indexedEntry } from '../helpers/entries'

test('recovery keeps a download that was moved into place just before a crash, and forgets one that was not', async () => {
  await using t = await testContext()
  const p = await insertPlaylist(t.ctx.db, { url: 'http://h/r', title: 'R', folder: 'R', uploader: null, indexed_at: null })
  const entry = (n: number) => indexedEntry(n, { source_id: `r${n}`, title: `r${n}` })
  await applyIndex(t.ctx.db, p.id, [entry(1), entry(2)])
  const [a, b] = await t.ctx.db.selectFrom('videos').select('id').orderBy('position').execute()
  // The state a crash leaves between "destination recorded" and "downloaded": one file moved, one not.
  mkdirSync(join(t.dataDir, 'R', 'videos'), { recursive: true })
  writeFileSync(join(t.dataDir, 'R', 'videos', '001 - r1.mp4'), 'x')
  await updateVideo(t.ctx.db, a.id, { download_state: 'downloading', video_path: 'R/videos/001 - r1.mp4' })
  await updateVideo(t.ctx.db, b.id, { download_state: 'downloading', video_path: 'R/videos/002 - r2.mp4' })
  await new JobManager(t.ctx).recover()
  expect(await findVideo(t.ctx.db, a.id)).toMatchObject({ download_state: 'downloaded', video_path: 'R/videos/001 - r1.mp4' })
  expect(await findVideo(t.ctx.db, b.id)).toMatchObject({ download_state: 'pending', video_path: null })
})
