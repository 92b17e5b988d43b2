import type { Config } from '../config'
import type { Playlist } from '../db/types'
import { parseSubtitleChoice, type SubtitleChoice } from '../library/subtitle-langs'

/** What a playlist's jobs do besides video and audio: its own settings, else the server's. */
export interface MediaExtras {
  subtitles: SubtitleChoice
  auto_subtitles: boolean
  chapters: boolean
  split_chapters: boolean
}

type ExtrasSettings = Pick<Playlist, 'subtitles' | 'auto_subtitles' | 'chapters' | 'split_chapters'>
type ExtrasDefaults = Pick<Config, 'subtitles' | 'autoSubtitles' | 'chapters' | 'splitChapters'>

export function mediaExtrasOf(p: ExtrasSettings, d: ExtrasDefaults): MediaExtras {
  // A stored value was checked when saved; one that no longer parses counts as the default.
  const own = p.subtitles === null ? null : parseSubtitleChoice(p.subtitles)
  return {
    subtitles: own && !('error' in own) ? own : d.subtitles,
    auto_subtitles: p.auto_subtitles ?? d.autoSubtitles,
    chapters: p.chapters ?? d.chapters,
    split_chapters: p.split_chapters ?? d.splitChapters,
  }
}
