const SCRIPT = `
import sys, json, xml.dom.minidom as m
def parse(doc):
    try:
        d = m.parseString(doc.encode('utf-8', 'surrogatepass'))
    except Exception as e:
        return {'error': str(e)}
    out = {'root': d.documentElement.tagName}
    for e in d.documentElement.getElementsByTagName('*'):
        out[e.tagName] = ''.join(c.data for c in e.childNodes if c.nodeType == c.TEXT_NODE)
        for k, v in e.attributes.items(): out[e.tagName + '@' + k] = v
    return out
print(json.dumps([parse(doc) for doc in json.load(sys.stdin)]))
`

/**
 * Parses each document with Python's expat (a strict XML parser; python3 is there wherever
 * yt-dlp is), all in one process: each element's text by tag (the last one wins), attributes
 * as "tag@attr", the root as "root"; a document that is not well-formed gives { error }.
 */
export function parseXmlDocs(docs: string[]): Record<string, string>[] {
  const r = Bun.spawnSync(['python3', '-c', SCRIPT], { stdin: Buffer.from(JSON.stringify(docs)) })
  if (r.exitCode !== 0) throw new Error(`python3 failed: ${r.stderr.toString()}`)
  return JSON.parse(r.stdout.toString())
}

/** One document; throws when it is not well-formed XML. */
export function parseXml(xml: string): Record<string, string> {
  const [out] = parseXmlDocs([xml])
  if (out!.error !== undefined) throw new Error(`not well-formed XML: ${out!.error}`)
  return out!
}
