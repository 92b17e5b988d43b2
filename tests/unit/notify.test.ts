import { expect, test } from 'bun:test'
import type { Job } from '../../src/db/types'
import { jobSummary } from '../../src/jobs/notify'

const job = (patch: Partial<Job>): Job =>
  ({
    id: 7,
    type: 'both',
    status: 'completed',
    error: null,
    download_status: 'completed',
    extract_status: 'completed',
    download_completed: 3,
    extract_completed: 3,
    download_failed: 0,
    extract_failed: 0,
    ...patch,
  }) as Job

test('jobSummary: clean, with failures, failed outright, single phase', () => {
  expect(jobSummary(job({}), 'Mix')).toBe('✓ Mix: both job #7 completed: 3 downloaded, 3 extracted, 0 failed')
  expect(jobSummary(job({ extract_failed: 1, extract_completed: 2 }), 'Mix')).toBe('⚠ Mix: both job #7 completed: 3 downloaded, 2 extracted, 1 failed')
  expect(jobSummary(job({ status: 'failed', error: 'yt-dlp could not be started', download_completed: 0, extract_completed: 0 }), 'Mix')).toBe(
    '✗ Mix: both job #7 failed: yt-dlp could not be started (0 downloaded, 0 extracted, 0 failed)',
  )
  expect(jobSummary(job({ type: 'extract', download_status: null }), 'Mix')).toBe('✓ Mix: extract job #7 completed: 3 extracted, 0 failed')
})
