// Podman as this machine allows it (see ../shared/research/stack-notes.md): no registry, so the
// base image is made from Debian's packages with debootstrap; `--isolation=chroot` builds
// without a runtime; runc (crun fails on hybrid cgroups) with explicit ulimits runs.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Slimmed like the official debian:bookworm-slim (no apt lists, docs, man pages or locales),
// so the sizes measured here are what a user of the published base would see.
export const BASE_IMAGE = 'localhost/debian:bookworm-slim-local'
const RUN_FLAGS = ['--runtime', 'runc']
const LIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024']

export interface Out {
  code: number
  stdout: string
  stderr: string
}

export async function sh(argv: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<Out> {
  const p = Bun.spawn(argv, { cwd: opts.cwd, stdout: 'pipe', stderr: 'pipe', timeout: opts.timeoutMs ?? 600_000 })
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { code, stdout, stderr }
}

export async function must(argv: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await sh(argv, opts)
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}:\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`)
  return r.stdout
}

export const podman = (...args: string[]) => ['podman', ...args]
export const podmanRun = (...args: string[]) => ['podman', ...RUN_FLAGS, 'run', ...LIMITS, ...args]
export const podmanCmd = (...args: string[]) => ['podman', ...RUN_FLAGS, ...args]

/** The Debian mirror apt uses here (deb822 or one-line format). */
export function debianMirror(): string {
  for (const f of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(f)) continue
    const text = readFileSync(f, 'utf8')
    const uri = /^URIs:\s*(\S+)/m.exec(text)?.[1] ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\b/m.exec(text)?.[1]
    if (uri && !uri.includes('security')) return uri
  }
  return 'http://deb.debian.org/debian'
}

/** A minbase Debian 12 image, made once per machine (~40 s) and kept. */
export async function ensureBaseImage(): Promise<void> {
  if ((await sh(podman('image', 'exists', BASE_IMAGE))).code === 0) return
  const dir = mkdtempSync(join(tmpdir(), 'yt-serve-rootfs-'))
  try {
    await must(['debootstrap', '--variant=minbase', 'bookworm', dir, debianMirror()], { timeoutMs: 900_000 })
    await must([
      'bash',
      '-c',
      `cd "${dir}" && rm -rf var/lib/apt/lists/* var/cache/apt/* usr/share/doc/* usr/share/man/* usr/share/info/* usr/share/locale/* var/log/*`,
    ])
    await must(['bash', '-c', `tar -C "${dir}" -c . | podman import - ${BASE_IMAGE}`])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Whether this machine can run a container at all (a kernel or sandbox may forbid it). */
export async function canRunContainers(): Promise<string | null> {
  const r = await sh(podmanRun('--rm', '--network', 'host', BASE_IMAGE, 'true'), { timeoutMs: 120_000 })
  return r.code === 0 ? null : r.stderr.trim().split('\n').slice(-3).join(' ')
}
