// Control for the polling rows: the least a Bun HTTP server can do per request (a fixed
// 2 KiB HTML body), measured under the same load so the load generator's own cost shows.
//
//   bun bench/bare-server.ts PORT
const body = `<div class="card">${'x'.repeat(2000)}</div>`
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.argv[2] ?? 0),
  fetch: () => new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } }),
})
console.log(server.port)
