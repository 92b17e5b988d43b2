/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { activeJobForPlaylist } from '../db/jobs'
import { playlistCounts } from '../db/playlists'
import { Invalid } from '../errors'
import { reextractOffer } from '../jobs/reextract'
import { humanMessage, InvalidSetting } from '../playlists/settings-labels'
import { settingDefaults } from '../playlists/setting-defaults'
import { PlaylistActions } from '../../views/fragments/playlist-actions'
import { PlaylistSettings } from '../../views/fragments/playlist-settings'
import { PrunePreview } from '../../views/fragments/prune-preview'
import { previewPrune } from '../playlists/retention'
import { retentionFromForm } from './retention-form'
import type { Deps } from './deps'
import { models } from './models'

/** A default/on/off select: "" → the server default (null), absent → unchanged. */
const switchValue = (v: '' | 'on' | 'off' | undefined) => (v === undefined ? undefined : v === '' ? null : v === 'on')

/** "" → no bound; "1.5" minutes → 90 s; absent → unchanged. */
const seconds = (minutes: string | undefined) => (minutes === undefined ? undefined : minutes === '' ? null : Math.round(Number(minutes) * 60))

/** The playlist page's settings form: same service as PATCH /api/playlists/:id, a fragment back. */
export function playlistSettingsController({ ctx, manager }: Deps) {
  return new Elysia({ name: 'playlist-settings', prefix: '/playlists' })
    .get('/:id/prune-preview', async ({ params, query }) => <PrunePreview preview={await previewPrune(ctx, params.id, retentionFromForm(query))} />, {
      params: models.id,
      query: models.pruneQuery,
    })
    .post(
      '/:id/settings',
      async ({ params, body }) => {
        const playlist = await manager
          .updateSettings(params.id, {
            audio_format: body.audio_format === undefined ? undefined : body.audio_format || null,
            audio_quality: body.audio_quality === undefined ? undefined : body.audio_quality === '' ? null : Number(body.audio_quality),
            sync_interval: body.sync_interval,
            min_duration: seconds(body.min_minutes),
            max_duration: seconds(body.max_minutes),
            title_include: body.title_include,
            title_exclude: body.title_exclude,
            date_after: body.date_after,
            // An unticked checkbox sends nothing: only a form that shows the boxes may clear them.
            include_shorts: body.tabs ? body.include_shorts === 'on' : undefined,
            include_live: body.tabs ? body.include_live === 'on' : undefined,
            library_layout: body.library_layout,
            name_template: body.name_template,
            ...retentionFromForm(body),
            subtitles: body.subtitles,
            auto_subtitles: switchValue(body.auto_subtitles),
            chapters: switchValue(body.chapters),
            split_chapters: switchValue(body.split_chapters),
            sponsorblock: body.sponsorblock === undefined ? undefined : body.sponsorblock || null,
            sponsorblock_categories: body.sponsorblock_categories,
            sponsorblock_video: body.sb ? body.sponsorblock_video === 'on' : undefined,
          })
          .catch((err) => {
            // The form speaks in its labels, not the API's field names.
            throw err instanceof InvalidSetting ? new Invalid(humanMessage(err)) : err
          })
        // A new audio format may leave files to re-extract: the Extract buttons offer it at once (out-of-band).
        const [counts, active, reextract] = await Promise.all([
          playlistCounts(ctx.db, playlist.id),
          activeJobForPlaylist(ctx.db, playlist.id),
          reextractOffer(ctx, playlist),
        ])
        // Read now: the server's audio defaults change on the settings page while it runs.
        const defaults = settingDefaults(ctx.config)
        return (
          <>
            <PlaylistSettings playlist={playlist} defaults={defaults} saved relayoutJobId={playlist.relayout_job_id} />
            <PlaylistActions
              playlistId={playlist.id}
              playlistTitle={playlist.title}
              busy={active !== undefined}
              failed={counts.failed}
              reextract={reextract}
              oob
            />
          </>
        )
      },
      { params: models.id, body: models.playlistSettingsForm },
    )
}
