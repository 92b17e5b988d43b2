/** @jsxImportSource @kitajs/html */
import { Elysia } from 'elysia'
import { DownloadPoolBanner } from '../../views/fragments/download-pool-banner'
import type { Deps } from './deps'

/** The banner's Resume downloads button: lifts the rate-limit pause, answers with the (now empty) banner. */
export function downloadPoolController({ manager }: Deps) {
  return new Elysia({ name: 'download-pool', prefix: '/downloads' }).post('/resume', () => <DownloadPoolBanner pool={manager.resumeDownloads()} />)
}
