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
  expect(svc.user).toBe('${PUID:-1000}:${PGID:-1000}')
  // Never a token written into the file itself.
  expect(JSON.stringify(svc.environment ?? {})).not.toContain('AUTH_TOKEN')
})
