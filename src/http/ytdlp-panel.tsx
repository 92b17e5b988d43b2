/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { YtdlpPanel } from '../../views/fragments/ytdlp-panel'
import type { Deps } from './deps'

/** The home page's yt-dlp panel: its polled fragment and its "Update now" button. */
export function ytdlpPanelController({ manager }: Deps) {
  const updater = manager.ytdlp
  return new Elysia({ name: 'ytdlp-panel', prefix: '/ytdlp' })
    .get('/', async () => <YtdlpPanel s={await updater.status()} />)
    .post('/update', async () => {
      // The panel shows the progress, then the result or the error, from the updater's state.
      updater.update().catch(() => {})
      return <YtdlpPanel s={await updater.status()} />
    })
}
