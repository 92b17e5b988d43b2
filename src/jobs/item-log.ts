import type { ItemOutcome } from './job-run'

/**
 * The job log's line for an item that finished a phase, so a log reads item by item while
 * the job runs. Failed items get none here: item-results already logs them with the
 * tool's reason, and one line per item is the rule.
 */
export function itemLogLine(item: ItemOutcome): string | null {
  if (!item.ok) return null
  return `${item.phase === 'download' ? 'downloaded' : 'extracted'}: ${item.title}`
}
