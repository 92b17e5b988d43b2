import { mkdir, rename, rm, rmdir, stat } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { chapterFilesOf, replaceChapterFiles } from '../db/chapter-files'
import type { ChapterFile, Video } from '../db/types'
import { sanitizeFileName } from '../library/names'
import { relativeTo, resolveInside, mediaRoot } from '../library/paths'
import { chapterFileBase, type ChapterSpan, parseChapterSpans } from '../tools/chapters'
import { buildChaptersArgs, buildExtractArgs, type ExtractArgsOptions } from '../tools/ffmpeg'
import { runTool, spawnTool } from '../tools/spawn'
import type { JobRun } from './job-run'

/** The input's chapters with their ends; none when it has none or ffprobe cannot say (never worth failing an item for). */
export async function readChapterSpans(run: JobRun, input: string): Promise<ChapterSpan[]> {
  try {
    const probe = await runTool(buildChaptersArgs(run.ctx.config.ffprobePath, input), { timeoutMs: 60_000, label: 'ffprobe' })
    return probe.code === 0 ? parseChapterSpans(probe.stdout) : []
  } catch {
    return []
  }
}

/** One chapter's file failed; the message says which and why. */
class SplitFailure extends Error {}

/**
 * One audio file per chapter, in a folder named after the whole audio file beside it:
 * `<folder>/audio/<audio name>/<nn> - <chapter>.<ext>`, tagged as an album (album = the
 * video's title, track = nn/total, title = the chapter). Each is cut from the video itself
 * (seek, then length) with the whole file's codec settings, so a stream copy stays a copy.
 *
 * The files are recorded in chapter_files once all are written; files of an earlier split
 * that the new one did not overwrite go then. A failure or a cancel removes what this split
 * wrote and leaves the earlier record as it was. Returns the number of files, or null
 * when cancelled.
 */
export async function splitChapters(run: JobRun, video: Video, whole: ExtractArgsOptions, spans: ChapterSpan[], audioFile: string): Promise<number | null> {
  const { config, db } = run.ctx
  const ext = extname(audioFile)
  const dir = join(dirname(audioFile), basename(audioFile, ext))
  await mkdir(dir, { recursive: true })
  const written: string[] = []
  const files: Omit<ChapterFile, 'video_id'>[] = []
  try {
    for (const [i, span] of spans.entries()) {
      if (run.cancelled) {
        await removeAll(written, dir)
        return null
      }
      const name = `${chapterFileBase(i + 1, spans.length, sanitizeFileName(span.title, 100))}${ext}`
      const tmp = join(dir, `.${name}.part`)
      const final = join(dir, name)
      const cut = await cutOne(run, { ...whole, output: tmp, range: span, chapters: [], tags: chapterTags(run, video, whole, span, i + 1, spans.length) }, tmp)
      if (!cut) {
        await removeAll(written, dir)
        return null
      }
      await rename(tmp, final)
      written.push(final)
      files.push({ position: i + 1, title: span.title, start_time: span.start, end_time: span.end, path: relativeTo(mediaRoot(config), final) })
    }
  } catch (err) {
    await removeAll(written, dir)
    throw err
  }
  const before = await chapterFilesOf(db, video.id)
  await replaceChapterFiles(db, video.id, files)
  const kept = new Set(files.map((f) => f.path))
  await removeAll(
    before.filter((f) => !kept.has(f.path)).flatMap((f) => resolveInside(mediaRoot(config), f.path) ?? []),
    null,
  )
  return files.length
}

function chapterTags(run: JobRun, video: Video, whole: ExtractArgsOptions, span: ChapterSpan, n: number, total: number) {
  const artist = video.uploader ?? run.playlist.uploader
  return { title: span.title, artist, album: video.title, album_artist: artist, track: `${n}/${total}`, date: whole.tags.date }
}

/** One ffmpeg for one chapter, stoppable by a cancel like the whole extraction; false when cancelled. */
async function cutOne(run: JobRun, opts: ExtractArgsOptions, tmp: string): Promise<boolean> {
  const proc = spawnTool(buildExtractArgs(run.ctx.config.ffmpegPath, opts), { label: 'ffmpeg' })
  run.procs.add(proc)
  // The chapter's length bounds the work; a stall as long as the whole stall timeout is a hang.
  const timer = setTimeout(() => proc.kill('SIGKILL'), run.ctx.config.stallTimeoutSeconds * 1000)
  const [, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  clearTimeout(timer)
  run.procs.delete(proc)
  const size = await stat(tmp).then(
    (s) => s.size,
    () => 0,
  )
  if (code === 0 && size > 0 && !run.cancelled) return true
  await rm(tmp, { force: true })
  if (run.cancelled) return false
  const reason = stderr.trim().split('\n').filter(Boolean).at(-1)?.slice(0, 300) ?? `exit code ${code}`
  throw new SplitFailure(`chapter ${opts.tags.track} "${opts.tags.title}": ffmpeg failed: ${reason}`)
}

/** Deletes files; `dir` too when it is then empty (a split that wrote nothing leaves no folder). */
async function removeAll(files: string[], dir: string | null): Promise<void> {
  await Promise.all(files.map((f) => rm(f, { force: true })))
  if (dir) await rmdir(dir).catch(() => {})
}
