import { expect, test } from 'bun:test'
import { refreshRequest } from '../../src/jobs/media-server'

test('Jellyfin: POST /Library/Refresh under the base path, the token in the Authorization header', () => {
  expect(refreshRequest({ kind: 'jellyfin', url: 'http://10.0.0.5:8096/jellyfin', token: 'k' })).toEqual({
    method: 'POST',
    url: 'http://10.0.0.5:8096/jellyfin/Library/Refresh',
    headers: { 'user-agent': 'yt-serve', authorization: 'MediaBrowser Token="k"' },
  })
})

test('Plex: GET /library/sections/all/refresh, the token as X-Plex-Token header and not in the URL', () => {
  const req = refreshRequest({ kind: 'plex', url: 'http://plex.lan:32400', token: 'p' })
  expect(req).toEqual({
    method: 'GET',
    url: 'http://plex.lan:32400/library/sections/all/refresh',
    headers: { 'user-agent': 'yt-serve', 'x-plex-token': 'p', accept: 'application/json' },
  })
  expect(new URL(req.url).search).toBe('')
})
