import { Invalid } from '../errors'

/**
 * What the playlist page calls each setting: its form labels and its error messages use
 * these words, the JSON API the field names.
 */
export const SETTING_LABELS = {
  title: 'Name',
  audio_format: 'Audio format',
  audio_quality: 'Quality',
  sync_interval: 'Sync',
  min_duration: 'At least (minutes)',
  max_duration: 'At most (minutes)',
  title_include: 'Title matching',
  title_exclude: 'Title not matching',
  date_after: 'Uploaded on or after',
  library_layout: 'Library layout',
  name_template: 'File names',
  keep_newest: 'Keep newest',
  delete_videos_after_days: 'Delete videos after (days)',
  keep_audio: 'Keep audio',
  subtitles: 'Subtitles',
  auto_subtitles: 'Auto-generated subtitles',
  chapters: 'Chapters',
  split_chapters: 'Split chapters',
  sponsorblock: 'SponsorBlock',
  sponsorblock_categories: 'SponsorBlock categories',
  sponsorblock_video: 'Cut the video too',
} as const

export type SettingField = keyof typeof SETTING_LABELS

/**
 * A setting the service refuses. `message` names the field for API clients
 * ("title_exclude is not a valid regular expression: …"); `problem` is the same in words
 * that follow the form's label ("not a valid regular expression: …").
 */
export class InvalidSetting extends Invalid {
  constructor(
    readonly field: SettingField,
    message: string,
    readonly problem: string,
  ) {
    super(message)
  }
}

/** "Title not matching: not a valid regular expression: …", for the page. */
export const humanMessage = (e: InvalidSetting) => `${SETTING_LABELS[e.field]}: ${e.problem}`
