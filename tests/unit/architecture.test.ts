import { expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = join(import.meta.dir, '../..')

const filesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))

// One formatter and linter for everyone, so reviews are about behaviour, not layout.
test('biome check (format + lint) is clean', async () => {
  const proc = Bun.spawn([process.execPath, join(root, 'node_modules/@biomejs/biome/bin/biome'), 'check', '--colors=off', '.'], {
    cwd: root,
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()])
  if ((await proc.exited) !== 0) throw new Error(`biome check failed; run \`bun run lint:fix\`\n${out}${err}`)
}, 60_000)

// The layers point one way: http renders views, views never reach back into http.
test('no import runs from views/ up into src/http', () => {
  const offenders = filesUnder('views').filter((f) => /from '[./]*src\/http\//.test(readFileSync(join(root, f), 'utf8')))
  expect(offenders).toEqual([])
})

// SQL lives in src/db (repositories that take `db` first) and migrations/ only: the engine and
// the domain ask for what they need by name, and a second database means one folder to port.
test('no Kysely query building outside src/db and migrations/', () => {
  const building = /\b(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`/
  const offenders = [...filesUnder('src'), ...filesUnder('views')].filter((f) => !f.startsWith('src/db/') && building.test(readFileSync(join(root, f), 'utf8')))
  expect(offenders).toEqual([])
})
