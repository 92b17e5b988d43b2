export {}
// Browser-like pollers: each client polls `url` once a second from a random phase, as
// htmx cards do on pages opened at different moments (autocannon's -r fires them all
// in the same instant). Prints one JSON line with latency percentiles in ms.
//
//   bun bench/poller.ts URL CLIENTS SECONDS
const [url, clientsArg = '200', secondsArg = '10'] = process.argv.slice(2)
const clients = Number(clientsArg)
const seconds = Number(secondsArg)
const latencies: number[] = []
let errors = 0
let non2xx = 0
const end = performance.now() + seconds * 1000

async function client(): Promise<void> {
  await Bun.sleep(Math.random() * 1000)
  while (performance.now() < end) {
    const t0 = performance.now()
    try {
      const res = await fetch(url)
      await res.arrayBuffer()
      if (res.status >= 300) non2xx++
      latencies.push(performance.now() - t0)
    } catch {
      errors++
    }
    await Bun.sleep(Math.max(0, 1000 - (performance.now() - t0)))
  }
}

await Promise.all(Array.from({ length: clients }, client))
latencies.sort((a, b) => a - b)
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN
console.log(JSON.stringify({ requests: latencies.length, errors, non2xx, p50: pct(50), p99: pct(99), max: latencies.at(-1) ?? NaN }))
