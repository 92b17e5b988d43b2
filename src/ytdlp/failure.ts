import { redactCredentials } from '../tools/ytdlp'
import { humanYtdlpError, needsVersion } from '../tools/ytdlp-errors'
import { probeVersion } from './which'

export interface YtdlpFailure {
  /** For the item and the UI. */
  human: string
  /** yt-dlp's own line, credentials masked: for the job log. */
  raw: string
}

/** Explains a yt-dlp error; asks the binary its version only when "too old" is a candidate. */
export async function explainYtdlpError(ytdlpPath: string, text: string, url?: string): Promise<YtdlpFailure> {
  const version = needsVersion(text) ? await probeVersion(ytdlpPath) : null
  return { human: humanYtdlpError(redactCredentials(text), { ytdlpVersion: version, url }), raw: rawLine(text) }
}

/** The last ERROR line (else the last line) as yt-dlp wrote it, bounded. */
export function rawLine(text: string): string {
  const lines = redactCredentials(text)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
  return (lines.filter((l) => l.startsWith('ERROR:')).at(-1) ?? lines.at(-1) ?? 'yt-dlp failed').slice(0, 1000)
}
