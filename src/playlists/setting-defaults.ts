import type { Config } from '../config'
import { subtitleChoiceText } from '../library/subtitle-langs'

/** The server-wide values a playlist's settings fall back to, as its settings form names them. */
export interface SettingDefaults {
  audio_format: string
  audio_quality: number
  subtitles: string
  auto_subtitles: boolean
  chapters: boolean
  split_chapters: boolean
  keep_newest: number | null
  delete_videos_after_days: number | null
  keep_audio: boolean
  sponsorblock: string
  sponsorblock_categories: string
}

export function settingDefaults(config: Config): SettingDefaults {
  return {
    audio_format: config.audioFormat,
    audio_quality: config.audioQuality,
    subtitles: subtitleChoiceText(config.subtitles),
    auto_subtitles: config.autoSubtitles,
    chapters: config.chapters,
    split_chapters: config.splitChapters,
    keep_newest: config.keepNewest,
    delete_videos_after_days: config.deleteVideosAfterDays,
    keep_audio: config.keepAudio,
    sponsorblock: config.sponsorblock,
    sponsorblock_categories: config.sponsorblockCategories.join(','),
  }
}
