import { describe, expect, test } from 'bun:test'
import { envOverrides, helpText, parseArgs, suggest, usageLine, UsageError, type CommandSpec } from '../../src/cli/args'

const spec: CommandSpec = {
  name: 'demo',
  summary: 'A demo command.',
  positionals: [
    { name: 'ITEM', required: true, help: 'the item' },
    { name: 'EXTRA', required: false, help: 'optional' },
  ],
  flags: [
    { name: 'data-dir', value: 'DIR', env: 'DATA_DIR', help: 'data' },
    { name: 'port', value: 'PORT', env: 'PORT', help: 'port' },
    { name: 'type', value: 'TYPE', choices: ['a', 'b'], help: 'type' },
    { name: 'json', help: 'json' },
    { name: 'insecure-no-auth', env: 'INSECURE_NO_AUTH', help: 'no auth' },
  ],
}

const usageError = (argv: string[]): string => {
  try {
    parseArgs(spec, argv)
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError)
    return (err as UsageError).message
  }
  throw new Error('expected a UsageError')
}

describe('parseArgs', () => {
  test('--flag value, --flag=value, booleans and positionals in any order', () => {
    const p = parseArgs(spec, ['--port', '9000', 'x', '--data-dir=/d', '--json', 'y'])
    expect(p).toEqual({ flags: { port: '9000', 'data-dir': '/d', json: true }, positionals: ['x', 'y'], help: false })
  })

  test('a value may contain "=" and a later flag wins', () => {
    expect(parseArgs(spec, ['x', '--data-dir=/a=b', '--data-dir', '/c']).flags['data-dir']).toBe('/c')
    expect(parseArgs(spec, ['x', '--data-dir=/a=b']).flags['data-dir']).toBe('/a=b')
  })

  test('-- ends the options', () => {
    expect(parseArgs(spec, ['--', '--json']).positionals).toEqual(['--json'])
  })

  test('--help and -h short-circuit the positional checks', () => {
    expect(parseArgs(spec, ['--help']).help).toBe(true)
    expect(parseArgs(spec, ['-h', '--json']).help).toBe(true)
  })

  test('unknown options are usage errors, with a suggestion for typos', () => {
    expect(usageError(['x', '--prot', '1'])).toBe('unknown option --prot (did you mean --port?)')
    expect(usageError(['x', '--data-dri', '/d'])).toContain('did you mean --data-dir?')
    expect(usageError(['x', '--zzz'])).toBe('unknown option --zzz')
    expect(usageError(['x', '-v'])).toBe('unknown option -v')
  })

  test('values: missing, empty, given to a boolean, outside the choices', () => {
    expect(usageError(['x', '--port'])).toBe('--port needs a value (PORT)')
    expect(usageError(['x', '--port', '--json'])).toBe('--port needs a value (PORT)')
    expect(usageError(['x', '--port='])).toBe('--port needs a value (PORT)')
    expect(usageError(['x', '--json=yes'])).toBe('--json does not take a value')
    expect(usageError(['x', '--type', 'c'])).toBe('--type must be one of a, b, got "c"')
  })

  test('positionals: missing and too many', () => {
    expect(usageError([])).toBe('missing ITEM')
    expect(usageError(['a', 'b', 'c'])).toBe('unexpected argument "c"')
  })

  test('required flags', () => {
    const req: CommandSpec = { ...spec, flags: spec.flags.map((f) => (f.name === 'type' ? { ...f, required: true } : f)) }
    expect(() => parseArgs(req, ['x'])).toThrow('missing --type (a, b)')
    expect(usageLine(req)).toContain(' --type TYPE ')
  })

  test('the error knows its command', () => {
    try {
      parseArgs(spec, ['--nope'])
    } catch (err) {
      expect((err as UsageError).command).toBe('demo')
    }
  })
})

test('envOverrides renames flags to their environment variables', () => {
  const p = parseArgs(spec, ['x', '--port=1', '--data-dir', '/d', '--json', '--insecure-no-auth'])
  expect(envOverrides(spec, p)).toEqual({ PORT: '1', DATA_DIR: '/d', INSECURE_NO_AUTH: 'true' })
})

test('suggest only offers close names', () => {
  expect(suggest('stauts', ['status', 'serve'])).toBe('status')
  expect(suggest('xyz', ['status', 'serve'])).toBeNull()
})

test('usage and help list every flag', () => {
  expect(usageLine(spec)).toBe('usage: yt-serve demo ITEM [EXTRA] [--data-dir DIR] [--port PORT] [--type TYPE] [--json] [--insecure-no-auth]')
  const help = helpText(spec)
  for (const f of spec.flags) expect(help).toContain(`--${f.name}`)
  expect(help).toContain('[env DATA_DIR]')
  expect(help).toContain('-h, --help')
})
