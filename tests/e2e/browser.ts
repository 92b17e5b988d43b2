// Launching Debian's Chromium through playwright-core for the browser tests, with a fresh
// profile and a record of every Content-Security-Policy violation.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Lets a test start an audio element without a click.
  '--autoplay-policy=no-user-gesture-required',
]

export interface Browser {
  context: BrowserContext
  /** "page-url: directive blocked …" for every CSP violation in any page so far. */
  cspViolations: string[]
  close(): Promise<void>
}

export async function launchBrowser(viewport = { width: 960, height: 760 }): Promise<Browser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'yt-serve-e2e-profile-'))
  // A persistent context is how playwright takes a fresh --user-data-dir.
  const context = await chromium.launchPersistentContext(profileDir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport })
  const cspViolations: string[] = []
  // Injected through the DevTools protocol, which the CSP does not govern.
  await context.exposeBinding('__cspViolation', ({ page }, v: string) => cspViolations.push(`${page.url()}: ${v}`))
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      ;(window as unknown as { __cspViolation(v: string): void }).__cspViolation(
        `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
      )
    })
  })
  return {
    context,
    cspViolations,
    async close() {
      await context.close()
      rmSync(profileDir, { recursive: true, force: true })
    },
  }
}

/** Console errors and uncaught exceptions seen by a page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  return errors
}
