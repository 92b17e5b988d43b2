import { expect, test } from 'bun:test'
import { type RunningTool, runTool } from '../../src/tools/spawn'

test("runTool with a job's process set: listed while it runs, stopped with the job's processes, gone after", async () => {
  const procs = new Set<RunningTool>()
  // A tool that would run far longer than the test: only the kill below ends it.
  const done = runTool(['sleep', '600'], { procs })
  expect(procs.size).toBe(1)
  for (const p of procs) p.kill('SIGTERM') // what JobRun.killProcesses does on cancel
  const r = await done
  expect(r.code).not.toBe(0)
  expect(procs.size).toBe(0)
})

test('runTool collects the output and its exit code', async () => {
  const r = await runTool(['sh', '-c', 'echo out; echo err >&2; exit 3'])
  expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' })
})
