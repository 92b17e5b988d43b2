// How the browser tests start Chromium: Debian's /usr/bin/chromium through playwright-core,
// never a downloaded browser, each context with a fresh profile directory.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Lets the test start the audio element without a click.
  '--autoplay-policy=no-user-gesture-required',
]

export type ContextOptions = Parameters<typeof chromium.launchPersistentContext>[1]

/** A headless Chromium with its own profile; close() also removes the profile. */
export async function launchBrowser(options: ContextOptions = {}): Promise<BrowserContext> {
  // A persistent context is how playwright takes a fresh --user-data-dir.
  const profileDir = mkdtempSync(join(tmpdir(), 'yt-serve-e2e-profile-'))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  })
  context.on('close', () => rmSync(profileDir, { recursive: true, force: true }))
  return context
}
