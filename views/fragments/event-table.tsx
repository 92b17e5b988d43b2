/** @jsxImportSource @kitajs/html */
import type { JobEvent } from '../../src/db/types'
import { formatClock } from '../format'

/** A job's events, oldest first: time, level (coloured), message (tool errors, escaped). */
export function EventTable({ events }: { events: JobEvent[] }) {
  if (events.length === 0) return <p class="empty muted">No events recorded.</p>
  return (
    <div class="table-wrap">
      <table class="events">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Level</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr id={`event-${e.id}`} class={`event event-${e.level}`}>
              <td class="time" safe>
                {formatClock(e.at)}
              </td>
              <td>
                <span class={`level level-${e.level}`}>{e.level}</span>
              </td>
              <td class="event-message" safe>
                {e.message}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
