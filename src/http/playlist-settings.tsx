/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { activeJobForPlaylist } from '../db/jobs'
import { playlistCounts } from '../db/playlists'
import { Invalid } from '../errors'
import { reextractOffer } from '../jobs/reextract'
import { updatePlaylistSettings } from '../playlists/queries'
import { humanMessage, InvalidSetting } from '../playlists/settings-labels'
import { PlaylistActions } from '../../views/fragments/playlist-actions'
import { PlaylistSettings, settingDefaults } from '../../views/fragments/playlist-settings'
import type { Deps } from './deps'
import { models } from './models'

/** "" → no bound; "1.5" minutes → 90 s; absent → unchanged. */
const seconds = (minutes: string | undefined) => (minutes === undefined ? undefined : minutes === '' ? null : Math.round(Number(minutes) * 60))

/** The playlist page's settings form: same service as PATCH /api/playlists/:id, a fragment back. */
export function playlistSettingsController({ ctx }: Deps) {
  const defaults = settingDefaults(ctx.config)
  return new Elysia({ name: 'playlist-settings', prefix: '/playlists' }).post(
    '/:id/settings',
    async ({ params, body }) => {
      const playlist = await updatePlaylistSettings(ctx, params.id, {
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
        sponsorblock: body.sponsorblock === undefined ? undefined : body.sponsorblock || null,
        sponsorblock_categories: body.sponsorblock_categories,
        sponsorblock_video: body.sb ? body.sponsorblock_video === 'on' : undefined,
      }).catch((err) => {
        // The form speaks in its labels, not the API's field names.
        throw err instanceof InvalidSetting ? new Invalid(humanMessage(err)) : err
      })
      // A new audio format may leave files to re-extract: the Extract buttons offer it at once (out-of-band).
      const [counts, active, reextract] = await Promise.all([
        playlistCounts(ctx.db, playlist.id),
        activeJobForPlaylist(ctx.db, playlist.id),
        reextractOffer(ctx, playlist),
      ])
      return (
        <>
          <PlaylistSettings playlist={playlist} defaults={defaults} saved />
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
