import { expect, test } from 'bun:test'
import { join } from 'node:path'

// Bun runs TypeScript without checking it; this makes `bun run test` (and CI) catch type errors too.
test('the whole project type-checks (tsc --noEmit)', async () => {
  const root = join(import.meta.dir, '../..')
  const proc = Bun.spawn([process.execPath, join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], {
    cwd: root,
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const out = await new Response(proc.stdout).text()
  expect(out).toBe('')
  expect(await proc.exited).toBe(0)
}, 120_000)
