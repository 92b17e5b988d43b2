/** @jsxImportSource @kitajs/html */
import type { NodeInfo } from '../../src/db/nodes'
import type { SiteStatus } from '../site-status'
import { Layout } from '../layout'

function backoffText(b: unknown): string {
  if (!b || typeof b !== 'object') return 'none'
  const s = b as { paused?: boolean; until?: string | null; reason?: string | null }
  if (s.paused) return s.reason ?? 'paused'
  return s.until ? `until ${s.until.slice(11, 19)} UTC` : 'none'
}

/** One row per node; a node silent for longer than its lease shows as lost (its items went to the others). */
function NodesTable({ nodes }: { nodes: NodeInfo[] }) {
  return (
    <div id="nodes" hx-get="/nodes/table" hx-trigger="every 2s" hx-swap="outerHTML">
      <table class="nodes">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Host</th>
            <th scope="col">Kind</th>
            <th scope="col">Roles</th>
            <th scope="col">State</th>
            <th scope="col">Working on</th>
            <th scope="col">Last heartbeat</th>
            <th scope="col">Back-off</th>
            <th scope="col">Versions</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr class={`node node-${n.state}`}>
              <th scope="row" safe>
                {n.name}
              </th>
              <td safe>{n.host}</td>
              <td>{n.kind}</td>
              <td safe>{n.roles.join(', ') || 'UI only'}</td>
              <td>{n.state}</td>
              <td>
                {n.current.length === 0 ? (
                  <span class="muted">nothing</span>
                ) : (
                  <ul>
                    {n.current.map((c) => (
                      <li safe>{`${c.phase}: ${c.title}`}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td safe>{n.heartbeat_at}</td>
              <td safe>{backoffText(n.backoff)}</td>
              <td safe>{`yt-serve ${n.version}, yt-dlp ${n.ytdlp_version ?? '?'}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {nodes.length === 0 ? <p class="empty muted">No node has registered yet.</p> : ''}
    </div>
  )
}

export function NodesPage({ nodes, status, fragment }: { nodes: NodeInfo[]; status: SiteStatus; fragment?: boolean }) {
  if (fragment) return <NodesTable nodes={nodes} />
  return (
    <Layout title="Nodes" status={status}>
      <h1>Nodes</h1>
      <p class="muted">Every yt-serve process sharing this archive's database. Items of a lost node go back to the others.</p>
      <NodesTable nodes={nodes} />
    </Layout>
  )
}
