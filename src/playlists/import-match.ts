import type { ImportEntry } from '../db/imports'
import { idInName, titleInName, titleKey } from '../library/archive-names'
import { genericFileId, isGenericSourceId, sourceIdsOf } from '../tools/ytdlp'
import type { FolderScan, FoundFile } from './import-scan'

/** How files meet entries: by id only (file names, .info.json), or by title too for files without one. */
export const IMPORT_MATCHES = ['id', 'title'] as const
export type ImportMatchMode = (typeof IMPORT_MATCHES)[number]

/** How a file was matched: the id in its name, its .info.json's id, or its title (the fallback, confirmed by the user). */
export type MatchedBy = 'id' | 'info.json' | 'title'

/**
 * What happens to a file. A dry run says `adopt`; applied, that becomes `adopted` or, when the
 * check or the move failed, `refused`. `skip`: matched, but the entry does not need it;
 * `unknown`: no entry, left alone.
 */
export type ImportAction = 'adopt' | 'adopted' | 'skip' | 'refused' | 'unknown'

export interface ImportRow {
  file: string
  kind: FoundFile['kind']
  entry: { id: number; title: string; position: number } | null
  matched_by: MatchedBy | null
  action: ImportAction
  /** Why, in words: the reason for a skip or refusal, how a file was adopted. */
  detail: string
  /** Where an adopted file now is, relative to the data dir; null otherwise. */
  destination: string | null
}

/** A row to act on: its file and entry as found. */
export interface PlannedRow extends ImportRow {
  found: FoundFile
  target: ImportEntry | null
}

type Index = Map<string, ImportEntry[]>

function add(index: Index, key: string, e: ImportEntry): void {
  if (!key) return
  const list = index.get(key) ?? []
  if (!list.includes(e)) list.push(e)
  index.set(key, list)
}

/**
 * Entries by every id yt-dlp could have put in a file name for them: the source id (YouTube
 * and the like), and for a feed item read by the generic extractor, the id it gives the URL.
 */
function idIndex(entries: ImportEntry[]): Index {
  const index: Index = new Map()
  for (const e of entries) {
    add(index, e.source_id, e)
    if (isGenericSourceId(e.source_id)) add(index, genericFileId(e.source_url), e)
  }
  return index
}

function byId(index: Index, id: string): ImportEntry[] {
  const found = new Set<ImportEntry>()
  for (const key of sourceIdsOf(id)) for (const e of index.get(key) ?? []) found.add(e)
  return [...found]
}

/** Why the entry does not need this file, or null when it does. */
function notNeeded(e: ImportEntry, kind: 'video' | 'audio'): string | null {
  if (kind === 'video') {
    if (e.download_state === 'downloaded')
      return e.video_deleted_at ? 'its video was deleted on purpose after extraction (Audio only)' : 'the archive already has its video'
    if (e.download_state === 'downloading') return 'its video is being downloaded right now'
    return null
  }
  if (e.extract_state === 'extracted') return 'the archive already has its audio'
  if (e.extract_state === 'extracting') return 'its audio is being extracted right now'
  return null
}

const row = (found: FoundFile, fields: Partial<PlannedRow> & Pick<ImportRow, 'action' | 'detail'>): PlannedRow => ({
  file: found.rel,
  kind: found.kind,
  entry: null,
  matched_by: null,
  destination: null,
  found,
  target: null,
  ...fields,
})

const entryOf = (e: ImportEntry) => ({ id: e.id, title: e.title, position: e.position })

/**
 * Decides, without touching anything, what becomes of each file: which entry it is, and
 * whether the entry still needs it. Id matches come before title matches, and one file per
 * entry and kind is adopted (the first by name); an id or title that fits several entries
 * matches none.
 */
export function planImport(scan: FolderScan, entries: ImportEntry[], mode: ImportMatchMode): PlannedRow[] {
  const ids = idIndex(entries)
  const titles: Index = new Map()
  if (mode === 'title') for (const e of entries) add(titles, titleKey(e.title), e)
  const taken = new Map<string, string>()
  const rows: PlannedRow[] = []
  const pending: { found: FoundFile; kind: 'video' | 'audio'; candidates: ImportEntry[]; by: MatchedBy }[] = []
  const deferred: { found: FoundFile; kind: 'video' | 'audio' }[] = []

  for (const found of scan.files) {
    if (found.refused) {
      rows.push(row(found, { action: 'refused', detail: found.refused }))
      continue
    }
    if (found.kind === 'sidecar') {
      rows.push(row(found, { action: 'unknown', detail: 'yt-dlp metadata: read for its id, left where it is' }))
      continue
    }
    if (found.kind === 'other') {
      rows.push(row(found, { action: 'unknown', detail: 'not a video or audio file: left alone' }))
      continue
    }
    const kind = found.kind
    const nameId = idInName(found.stem)
    const fromName = nameId ? byId(ids, nameId) : []
    const sidecar = scan.sidecarIds.get(found.stem)
    const fromSidecar = fromName.length === 0 && sidecar ? byId(ids, sidecar) : []
    if (fromName.length > 0) pending.push({ found, kind, candidates: fromName, by: 'id' })
    else if (fromSidecar.length > 0) pending.push({ found, kind, candidates: fromSidecar, by: 'info.json' })
    else deferred.push({ found, kind })
  }
  // Title matches wait until every id match has its entry: an id is the stronger evidence.
  for (const { found, kind } of deferred) {
    const key = titleKey(titleInName(found.stem.split('/').at(-1) ?? ''))
    const candidates = mode === 'title' && key ? (titles.get(key) ?? []) : []
    if (candidates.length > 0) pending.push({ found, kind, candidates, by: 'title' })
    else
      rows.push(
        row(found, {
          action: 'unknown',
          detail:
            mode === 'title'
              ? 'no entry has this id or title: left alone'
              : 'no entry has this id (the name carries none, or another playlist has it): left alone; --match title also compares titles',
        }),
      )
  }
  const order = (p: (typeof pending)[number]) => `${p.by === 'title' ? 1 : 0}${p.found.rel}`
  pending.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
  for (const { found, kind, candidates, by } of pending) {
    if (candidates.length > 1) {
      rows.push(row(found, { matched_by: by, action: 'refused', detail: `fits ${candidates.length} entries: which one is not certain` }))
      continue
    }
    const e = candidates[0]
    const fields = { entry: entryOf(e), matched_by: by }
    const reason = notNeeded(e, kind)
    const first = taken.get(`${e.id}:${kind}`)
    if (reason) rows.push(row(found, { ...fields, target: e, action: 'skip', detail: reason }))
    else if (first) rows.push(row(found, { ...fields, target: e, action: 'skip', detail: `another ${kind} file of this entry is taken: ${first}` }))
    else {
      taken.set(`${e.id}:${kind}`, found.rel)
      rows.push(row(found, { ...fields, target: e, action: 'adopt', detail: `${kind} for entry ${e.position}` }))
    }
  }
  return rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}
