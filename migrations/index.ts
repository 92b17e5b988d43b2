import type { Migration } from 'kysely/migration'
import * as m0001 from './0001_init'
import * as m0002 from './0002_job_log_and_live_state'
import * as m0003 from './0003_extractor_names'
import * as m0004 from './0004_download_filters'
import * as m0005 from './0005_sessions'
import * as m0006 from './0006_url_key'
import * as m0007 from './0007_ytdlp'
import * as m0008 from './0008_channel_tabs'
import * as m0009 from './0009_clean_source_urls'
import * as m0010 from './0010_playlist_renamed'
import * as m0011 from './0011_singles_and_video_deletion'
import * as m0012 from './0012_batch_counts'
import * as m0013 from './0013_job_dismissed'
import * as m0014 from './0014_thumbnails'
import * as m0015 from './0015_server_settings'
import * as m0016 from './0016_media_layout'
import * as m0017 from './0017_retention'
import * as m0018 from './0018_subtitles_and_chapters'
import * as m0019 from './0019_sponsorblock'
import * as m0021 from './0021_cluster_nodes'
import * as m0022 from './0022_per_node_settings'
import * as m0023 from './0023_page_indexes'
import * as m0024 from './0024_job_control'

/**
 * Static registry: a compiled binary has no migrations folder to read, so every
 * migration is imported here. A test checks this list against the files beside it.
 */
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_job_log_and_live_state': m0002,
  '0003_extractor_names': m0003,
  '0004_download_filters': m0004,
  '0005_sessions': m0005,
  '0006_url_key': m0006,
  '0007_ytdlp': m0007,
  '0008_channel_tabs': m0008,
  '0009_clean_source_urls': m0009,
  '0010_playlist_renamed': m0010,
  '0011_singles_and_video_deletion': m0011,
  '0012_batch_counts': m0012,
  '0013_job_dismissed': m0013,
  '0014_thumbnails': m0014,
  '0015_server_settings': m0015,
  '0016_media_layout': m0016,
  '0017_retention': m0017,
  '0018_subtitles_and_chapters': m0018,
  '0019_sponsorblock': m0019,
  '0021_cluster_nodes': m0021,
  '0022_per_node_settings': m0022,
  '0023_page_indexes': m0023,
  '0024_job_control': m0024,
}
