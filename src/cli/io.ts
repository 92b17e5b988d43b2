import type { Terminal } from './progress-bars'

/** Where commands print; tests pass a recording one. */
export interface Io extends Terminal {
  /** One line to stdout. */
  out(line: string): void
  /** One line to stderr. */
  err(line: string): void
}

export const processIo: Io = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  write: (text) => void process.stdout.write(text),
  writeErr: (text) => void process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
  columns: () => process.stdout.columns || 80,
}

/** Collects everything printed; for unit tests. */
export function memoryIo(opts: { isTTY?: boolean; columns?: number } = {}): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (line: string) => void (io.stdout += `${line}\n`),
    err: (line: string) => void (io.stderr += `${line}\n`),
    write: (text: string) => void (io.stdout += text),
    writeErr: (text: string) => void (io.stderr += text),
    isTTY: opts.isTTY ?? false,
    columns: () => opts.columns ?? 80,
  }
  return io
}
