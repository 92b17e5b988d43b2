/**
 * A tiny argument parser: each command declares its flags and positionals, and
 * anything else is a usage error (exit status 2). `--flag value`, `--flag=value`,
 * `-h`/`--help`, and `--` to end the options.
 */

/** A mistake on the command line; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message)
  }
}

export interface FlagSpec {
  /** Without the dashes: "data-dir". */
  name: string
  /** Placeholder shown in help ("DIR"); a flag without one is a boolean switch. */
  value?: string
  /** The environment variable this flag overrides. */
  env?: string
  choices?: readonly string[]
  required?: boolean
  help: string
}

export interface PositionalSpec {
  name: string
  required: boolean
  help: string
}

export interface CommandSpec {
  name: string
  summary: string
  description?: string
  positionals: PositionalSpec[]
  flags: FlagSpec[]
  examples?: string[]
}

export interface ParsedArgs {
  flags: Record<string, string | true>
  positionals: string[]
  help: boolean
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1) // swapped letters
    }
  return d[a.length][b.length]
}

/** The closest known name, if it is close enough to be a typo. */
export function suggest(name: string, known: string[]): string | null {
  let best: string | null = null
  let bestD = Infinity
  for (const k of known) {
    const dist = distance(name, k)
    if (dist < bestD) [best, bestD] = [k, dist]
  }
  return best !== null && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : null
}

export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const out: ParsedArgs = { flags: {}, positionals: [], help: false }
  const byName = new Map(spec.flags.map((f) => [f.name, f]))
  const fail = (msg: string): never => {
    throw new UsageError(msg, spec.name)
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1))
      break
    }
    if (arg === '-h' || arg === '--help') {
      out.help = true
      continue
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = arg.slice(2, eq === -1 ? undefined : eq)
      const flag = byName.get(name)
      if (!flag) {
        const near = suggest(name, [...byName.keys()])
        fail(`unknown option --${name}${near ? ` (did you mean --${near}?)` : ''}`)
      }
      if (!flag!.value) {
        if (eq !== -1) fail(`--${name} does not take a value`)
        out.flags[name] = true
        continue
      }
      let value: string
      if (eq !== -1) value = arg.slice(eq + 1)
      else {
        const next = argv[i + 1]
        if (next === undefined || next.startsWith('--')) fail(`--${name} needs a value (${flag!.value})`)
        value = next
        i++
      }
      if (value! === '') fail(`--${name} needs a value (${flag!.value})`)
      if (flag!.choices && !flag!.choices.includes(value!)) fail(`--${name} must be one of ${flag!.choices.join(', ')}, got "${value!}"`)
      out.flags[name] = value!
      continue
    }
    if (arg.startsWith('-') && arg.length > 1) fail(`unknown option ${arg}`)
    out.positionals.push(arg)
  }
  if (out.help) return out
  if (out.positionals.length > spec.positionals.length) fail(`unexpected argument "${out.positionals[spec.positionals.length]}"`)
  const missing = spec.positionals.find((p, i) => p.required && out.positionals[i] === undefined)
  if (missing) fail(`missing ${missing.name}`)
  const missingFlag = spec.flags.find((f) => f.required && out.flags[f.name] === undefined)
  if (missingFlag) fail(`missing --${missingFlag.name}${missingFlag.choices ? ` (${missingFlag.choices.join(', ')})` : ''}`)
  return out
}

/** Flags that override settings, renamed to their environment variables for loadConfig(). */
export function envOverrides(spec: CommandSpec, parsed: ParsedArgs): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of spec.flags) {
    const v = parsed.flags[f.name]
    if (f.env && v !== undefined) out[f.env] = v === true ? 'true' : v
  }
  return out
}

const flagUsage = (f: FlagSpec) => (f.value ? `[--${f.name} ${f.value}]` : `[--${f.name}]`)

/** One line: "usage: yt-serve run PLAYLIST --type TYPE [--data-dir DIR]". Required flags are shown bare. */
export function usageLine(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => (p.required ? p.name : `[${p.name}]`))
  const flags = spec.flags.map((f) => (f.required ? `--${f.name} ${f.value}` : flagUsage(f)))
  return ['usage: yt-serve', spec.name, ...pos, ...flags].join(' ')
}

export function helpText(spec: CommandSpec): string {
  const lines = [usageLine(spec), '', spec.summary]
  if (spec.description) lines.push('', spec.description)
  if (spec.positionals.length) {
    lines.push('', 'Arguments:')
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(24)}${p.help}`)
  }
  lines.push('', 'Options:')
  const rows = [
    ...spec.flags.map((f) => [`--${f.name}${f.value ? ` ${f.value}` : ''}`, f.help + (f.env ? ` [env ${f.env}]` : '')]),
    ['-h, --help', 'show this help'],
  ]
  for (const [left, right] of rows) lines.push(`  ${left.padEnd(24)}${right}`)
  if (spec.examples?.length) {
    lines.push('', 'Examples:')
    for (const e of spec.examples) lines.push(`  ${e}`)
  }
  return lines.join('\n')
}
