import { copyFile, open, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/**
 * Moves a finished file into the archive. On one filesystem that is a rename. A node's
 * STAGING_DIR may sit on a local disk while the archive is a shared mount: then the file is
 * copied beside its destination under a dot-name, fsynced, and renamed into place (readers see
 * no file or the whole file, never half of one), and only then is the staged copy removed.
 */
export async function moveIntoPlace(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
    return
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
  }
  const tmp = join(dirname(to), `.${process.pid}.${Date.now()}.moving`)
  try {
    await copyFile(from, tmp)
    const fh = await open(tmp, 'r+')
    try {
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, to)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  await rm(from, { force: true })
}
