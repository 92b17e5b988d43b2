/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { Unprocessable } from '../errors'
import type { FolderRemoval } from '../library/folder-removal'
import { formatBytes } from '../library/units'
import { updatePlaylistSettings } from '../playlists/queries'
import { removePlaylist } from '../playlists/service'
import { humanMessage, InvalidSetting } from '../playlists/settings-labels'
import { PlaylistName } from '../../views/fragments/playlist-name'
import type { Deps } from './deps'
import { flashCookie } from './flash'
import { models } from './models'
import { requestOrigin } from './security'

/** What the library says after a delete: what went, and what stayed where. */
function deletedNotice(title: string, folder: string, files: FolderRemoval | null): string {
  const name = `“${title.length > 200 ? `${title.slice(0, 200)}…` : title}”`
  if (files === null) return `Deleted ${name}. Its files stay in ${folder}/.`
  if (files.files_deleted)
    return `Deleted ${name} and its ${files.files_removed === 1 ? 'file' : `${files.files_removed} files`} (${formatBytes(files.bytes_removed)}).`
  return `Deleted ${name}, but not all its files: ${files.reason ?? 'unknown reason'}.`
}

/**
 * The playlist page's rename and delete: same services as PATCH and DELETE
 * /api/playlists/:id, fragments and a redirect instead of JSON.
 */
export function playlistManageController({ ctx }: Deps) {
  const https = (request: Request) => requestOrigin(request, ctx.config.trustProxy).scheme === 'https'
  return new Elysia({ name: 'playlist-manage', prefix: '/playlists' })
    .post(
      '/:id/title',
      async ({ params, body }) => {
        const playlist = await updatePlaylistSettings(ctx, params.id, { title: body.title }).catch((err) => {
          throw err instanceof InvalidSetting ? new Unprocessable(humanMessage(err)) : err
        })
        return <PlaylistName playlist={playlist} renamed />
      },
      { params: models.id, body: models.renameForm },
    )
    .post(
      '/:id/delete',
      async ({ params, body, request, set }) => {
        const { playlist, files } = await removePlaylist(ctx, params.id, body.delete_files === 'true')
        set.headers['set-cookie'] = flashCookie(deletedNotice(playlist.title, playlist.folder, files), https(request))
        // htmx follows HX-Redirect; a plain form post follows the 303.
        if (request.headers.get('hx-request')) {
          set.headers['hx-redirect'] = '/'
          return ''
        }
        set.status = 303
        set.headers.location = '/'
        return ''
      },
      { params: models.id, body: models.deleteForm },
    )
}
