import type { SyncInterval } from '../db/types'

const MS: Record<Exclude<SyncInterval, 'off'>, number> = { hourly: 3600_000, daily: 86_400_000, weekly: 7 * 86_400_000 }

export function nextSyncAt(interval: SyncInterval, from: Date): string | null {
  return interval === 'off' ? null : new Date(from.getTime() + MS[interval]).toISOString()
}
