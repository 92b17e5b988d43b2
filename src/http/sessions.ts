import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { DB } from '../db/open'
import { deleteExpiredSessions, deleteSession, findSession, insertSession } from '../db/sessions'
import { now } from '../db/time'

export const SESSION_COOKIE = 'yt_serve_session'
/** 32 random bytes in base64url: anything else in the cookie is not worth a database look-up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/

const idHash = (id: string) => createHash('sha256').update(id).digest('hex')
const tokenMac = (id: string, token: string) => createHmac('sha256', id).update(token).digest('hex')

/** A new session for a correct token; expired ones are swept while we are here. */
export async function startSession(db: DB, token: string, days: number): Promise<{ id: string; maxAgeSeconds: number }> {
  const id = randomBytes(32).toString('base64url')
  const created = new Date()
  const maxAgeSeconds = days * 86_400
  await deleteExpiredSessions(db, created.toISOString())
  await insertSession(db, {
    id_hash: idHash(id),
    token_mac: tokenMac(id, token),
    created_at: created.toISOString(),
    expires_at: new Date(created.getTime() + maxAgeSeconds * 1000).toISOString(),
  })
  return { id, maxAgeSeconds }
}

/** True for a live session made under today's token; expired and revoked ones are deleted on sight. */
export async function sessionValid(db: DB, id: string | null, token: string): Promise<boolean> {
  if (!id || !SESSION_ID.test(id)) return false
  const hash = idHash(id)
  const row = await findSession(db, hash)
  if (!row) return false
  const sameToken = timingSafeEqual(Buffer.from(row.token_mac, 'hex'), Buffer.from(tokenMac(id, token), 'hex'))
  if (row.expires_at > now() && sameToken) return true
  await deleteSession(db, hash)
  return false
}

export async function endSession(db: DB, id: string | null): Promise<void> {
  if (id && SESSION_ID.test(id)) await deleteSession(db, idHash(id))
}

export function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return null
}

/** HttpOnly and SameSite=Strict always; Secure only over HTTPS, where the browser will send it back. */
export function sessionCookie(value: string, maxAgeSeconds: number, https: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${https ? '; Secure' : ''}`
}
