// Files embedded with `import p from '…' with { type: 'file' }`: the import is a path
// (on disk in dev, inside /$bunfs in a compiled binary), served with Bun.file(p).
declare module '*.css' {
  const path: string
  export default path
}
declare module '*.min.js' {
  const path: string
  export default path
}
declare module '*.svg' {
  const path: string
  export default path
}
// Our own small scripts in public/ (not modules the app runs: served to the browser).
declare module '*/public/notify.js' {
  const path: string
  export default path
}
declare module '*/public/api-docs.js' {
  const path: string
  export default path
}
// Vendored Swagger UI for /api/docs, copied unchanged from swagger-ui-dist.
declare module '*/swagger-ui-bundle.js' {
  const path: string
  export default path
}
