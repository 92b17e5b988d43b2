import type { Config } from '../config'
import { cookiesFileFor } from '../library/cookies'

/**
 * The options every yt-dlp run shares, resolved in one place: the effective cookies
 * file (COOKIES_FILE, else one uploaded in the UI) and the proxy.
 */
export function ytdlpCommon(config: Config): { socketTimeout: number; cookiesFile: string | null; proxy: string | null; sourceAddress: string | null } {
  return { socketTimeout: config.socketTimeout, cookiesFile: cookiesFileFor(config), proxy: config.proxy, sourceAddress: config.sourceAddress }
}
