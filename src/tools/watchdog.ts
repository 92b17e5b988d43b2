/**
 * Calls `onStall` once when `touch` has not been called for `ms`. yt-dlp and ffmpeg
 * print progress continuously; a process silent for that long is hung (socket timeouts
 * only cover the network), and would otherwise hold a worker forever.
 */
export function watchdog(ms: number, onStall: () => void): { touch(): void; stop(): void } {
  let last = Date.now()
  let fired = false
  const timer = setInterval(
    () => {
      if (!fired && Date.now() - last > ms) {
        fired = true
        onStall()
      }
    },
    Math.min(5000, Math.max(50, ms / 4)),
  )
  return {
    touch: () => (last = Date.now()),
    stop: () => clearInterval(timer),
  }
}
