/** A daily time window in the server's local time (TZ), e.g. "01:00-07:00"; it may cross midnight. */
export interface TimeWindow {
  /** Minutes after local midnight. */
  start: number
  end: number
  /** As written, normalised: "01:00–07:00". */
  text: string
}

const pad = (n: number) => String(n).padStart(2, '0')
const clock = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`

/** "HH:MM-HH:MM" → a window; throws with the reason. */
export function parseTimeWindow(raw: string): TimeWindow {
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(raw)
  if (!m) throw new Error(`must look like 01:00-07:00, got "${raw}"`)
  const [h1, m1, h2, m2] = m.slice(1).map(Number)
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) throw new Error(`has a time that does not exist: "${raw}"`)
  const start = h1 * 60 + m1
  const end = h2 * 60 + m2
  if (start === end) throw new Error(`starts and ends at the same time: "${raw}"`)
  return { start, end, text: `${clock(start)}–${clock(end)}` }
}

const minuteOfDay = (d: Date) => d.getHours() * 60 + d.getMinutes()

export function inWindow(w: TimeWindow, at: Date): boolean {
  const m = minuteOfDay(at)
  return w.start < w.end ? m >= w.start && m < w.end : m >= w.start || m < w.end
}

/** The next time the window opens after `at` (today or tomorrow, local time). */
export function nextOpening(w: TimeWindow, at: Date): Date {
  const d = new Date(at)
  d.setHours(Math.floor(w.start / 60), w.start % 60, 0, 0)
  if (d.getTime() <= at.getTime()) d.setDate(d.getDate() + 1)
  return d
}
