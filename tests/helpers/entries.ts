import type { IndexedEntry } from '../../src/db/videos'

/** Entry n of a made-up index, for tests that seed rows without yt-dlp; `extra` overrides any field. */
export const indexedEntry = (n: number, extra: Partial<IndexedEntry> = {}): IndexedEntry => ({
  source_id: `s${n}`,
  position: n,
  title: `T${n}`,
  uploader: null,
  duration: 2,
  source_url: `http://h/${n}.mp4`,
  thumbnail_url: null,
  upload_date: null,
  extractor: null,
  ...extra,
})
