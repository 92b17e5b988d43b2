/**
 * Parses with Python's expat (a strict XML parser; python3 is there wherever yt-dlp is) and
 * answers each element's text by tag (the last one wins), attributes as "tag@attr", the root
 * as "root"; a document that is not well-formed throws.
 */
export function parseXml(xml: string): Record<string, string> {
  const script = `
import sys, json, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
out = {'root': d.documentElement.tagName}
for e in d.documentElement.getElementsByTagName('*'):
    out[e.tagName] = ''.join(c.data for c in e.childNodes if c.nodeType == c.TEXT_NODE)
    for k, v in e.attributes.items(): out[e.tagName + '@' + k] = v
print(json.dumps(out))
`
  const r = Bun.spawnSync(['python3', '-c', script], { stdin: Buffer.from(xml) })
  if (r.exitCode !== 0) throw new Error(`not well-formed XML: ${r.stderr.toString()}`)
  return JSON.parse(r.stdout.toString())
}
