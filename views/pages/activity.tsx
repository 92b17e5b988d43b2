/** @jsxImportSource @kitajs/html */
import { JOB_STATUSES, JOB_TYPES, type Job } from '../../src/db/types'
import type { SiteStatus } from '../site-status'
import { ACTIVITY_PAGE_SIZE, ActivityFilters, ActivityHistory, activityUrl, type ActivityFilter } from '../fragments/activity-history'
import { JobCard } from '../fragments/job-card'
import { NotifyToggle } from '../fragments/notify-toggle'
import { OffsetPager } from '../fragments/pager'
import { Layout } from '../layout'

/** `/activity`: the queue as live cards, then every job ever run, filtered and a page at a time. */
export function ActivityPage({
  queue,
  history,
  total,
  offset,
  filter,
  playlists,
  status,
}: {
  queue: Job[]
  history: Job[]
  total: number
  offset: number
  filter: ActivityFilter
  playlists: { id: number; title: string }[]
  status: SiteStatus
}) {
  const titles = new Map(playlists.map((p) => [p.id, p.title]))
  return (
    <Layout title="Activity" status={status}>
      <h1>Activity</h1>
      <NotifyToggle />
      <section class="jobs-section" aria-labelledby="queue-heading">
        <h2 id="queue-heading">Queue</h2>
        <div id="queue" class="jobs">
          {queue.map((j) => (
            <JobCard job={j} playlistTitle={titles.get(j.playlist_id) ?? null} />
          ))}
          <p class="empty muted">Nothing running, queued or paused.</p>
        </div>
      </section>
      <section class="history-section" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ActivityFilters filter={filter} statuses={JOB_STATUSES} types={JOB_TYPES} playlists={playlists} />
        <ActivityHistory jobs={history} titles={titles} />
        <OffsetPager offset={offset} limit={ACTIVITY_PAGE_SIZE} total={total} href={(at) => activityUrl(filter, at)} />
      </section>
    </Layout>
  )
}
