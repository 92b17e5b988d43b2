/** Every timestamp is an ISO-8601 UTC string: sortable as text, readable in SQLite and JSON. */
export const now = (): string => new Date().toISOString()
