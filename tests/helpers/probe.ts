/** ffprobe's view of a file: duration and codecs, for asserting real outputs. */
export async function probe(path: string): Promise<{ duration: number; codecs: string[]; tags: Record<string, string>; streams: any[] }> {
  const p = Bun.spawn(['ffprobe', '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path], { stdout: 'pipe', stderr: 'pipe' })
  const out = await new Response(p.stdout).text()
  if ((await p.exited) !== 0) throw new Error(`ffprobe failed on ${path}: ${await new Response(p.stderr).text()}`)
  const data = JSON.parse(out)
  const tags: Record<string, string> = {}
  for (const [k, v] of Object.entries(data.format?.tags ?? {})) tags[k.toLowerCase()] = String(v)
  for (const s of data.streams ?? []) for (const [k, v] of Object.entries(s.tags ?? {})) tags[k.toLowerCase()] ??= String(v)
  return { duration: Number(data.format?.duration), codecs: (data.streams ?? []).map((s: any) => s.codec_name), tags, streams: data.streams ?? [] }
}
