import { runTool } from './spawn'

export interface ToolInfo {
  path: string
  version: string | null
  error?: string
}

/** First line of `--version` / `-version`, or the reason the tool could not run. */
export async function toolVersion(path: string, flag: '--version' | '-version'): Promise<ToolInfo> {
  try {
    const { code, stdout, stderr } = await runTool([path, flag], { timeoutMs: 15_000 })
    if (code !== 0) return { path, version: null, error: (stderr || stdout).split('\n')[0] || `exit code ${code}` }
    const first = stdout.split('\n')[0].trim()
    const m = /version\s+(\S+)/.exec(first)
    return { path, version: m ? m[1] : first }
  } catch (err) {
    return { path, version: null, error: err instanceof Error ? err.message : String(err) }
  }
}
