// The Containerfile and compose.yaml promise what self-hosters expect of an image; the
// container tests (tests/container, CONTAINER_TESTS=1) build and run it for real.
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const repo = join(import.meta.dir, '..', '..')
const read = (f: string) => readFileSync(join(repo, f), 'utf8')

test('the Containerfile: a Debian base by ARG, apt without recommends, a non-root user, /data, the health check and the entrypoint', () => {
  const c = read('Containerfile')
  expect(c).toMatch(/^ARG BASE=debian:bookworm-slim$/m)
  expect(c).toMatch(/^FROM \$\{BASE\}$/m)
  expect(c).toContain('apt-get install -y --no-install-recommends ffmpeg python3 ca-certificates')
  expect(c).toContain('rm -rf /var/lib/apt/lists/*')
  expect(c).toMatch(/^ARG PUID=1000$/m)
  expect(c).toMatch(/^USER \$\{PUID\}:\$\{PGID\}$/m)
  expect(c).toMatch(/^VOLUME \/data$/m)
  expect(c).toMatch(/^EXPOSE 8000$/m)
  expect(c).toMatch(/^HEALTHCHECK .*CMD \["yt-serve", "doctor", "--quick"\]$/m)
  expect(c).toMatch(/^ENTRYPOINT \["yt-serve"\]$/m)
  expect(c).toMatch(/^CMD \["serve", "--host", "0.0.0.0"\]$/m)
  // The build context is the binary alone.
  expect(read('.containerignore')).toBe(read('.dockerignore'))
  expect(read('.containerignore')).toContain('!dist/yt-serve')
})

test('compose.yaml: one service with ./data, the port, a token from .env and a restart policy', () => {
  const compose = Bun.YAML.parse(read('compose.yaml')) as any
  const svc = compose.services['yt-serve']
  expect(svc.build).toEqual({ context: '.', dockerfile: 'Containerfile' })
  expect(svc.volumes).toEqual(['./data:/data'])
  expect(svc.ports).toEqual(['8000:8000'])
  expect(svc.env_file).toBe('.env')
  expect(svc.restart).toBe('unless-stopped')
  // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation, meant literally
  expect(svc.user).toBe('${PUID:-1000}:${PGID:-1000}')
  // Never a token written into the file itself.
  expect(JSON.stringify(svc.environment ?? {})).not.toContain('AUTH_TOKEN')
})

test('compose.cluster.yaml: PostgreSQL, one serve and two workers sharing the media, each with its own staging and name', () => {
  const compose = Bun.YAML.parse(read('compose.cluster.yaml')) as any
  const s = compose.services
  expect(Object.keys(s).sort()).toEqual(['postgres', 'serve', 'worker-1', 'worker-2'])
  expect(s.postgres.image).toBe('postgres:16')
  const nodes = ['serve', 'worker-1', 'worker-2'].map((n) => s[n])
  expect(nodes.map((n) => n.command[0])).toEqual(['serve', 'worker', 'worker'])
  for (const n of nodes) {
    expect(n.environment.DATABASE_URL).toMatch(/^postgres:\/\/yt:\$\{POSTGRES_PASSWORD\}@postgres:5432\/yt_serve$/)
    expect(n.volumes).toContain('media:/data')
    expect(n.environment.STAGING_DIR).toBe('/staging')
    expect(n.depends_on.postgres.condition).toBe('service_healthy')
    expect(n.env_file).toBe('.env')
  }
  // Names and staging volumes are per node; the media volume is the one shared thing.
  expect(new Set(nodes.map((n) => n.environment.NODE_NAME)).size).toBe(3)
  expect(new Set(nodes.map((n) => n.volumes.find((v: string) => v.endsWith(':/staging')))).size).toBe(3)
  expect(s.serve.ports).toEqual(['8000:8000'])
  // The image makes /staging for its user, so a fresh named volume there is writable.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the Containerfile's build arguments, meant literally
  expect(read('Containerfile')).toContain('chown "${PUID}:${PGID}" /data /staging')
})
