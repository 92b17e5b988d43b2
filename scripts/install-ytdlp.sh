#!/usr/bin/env bash
# Debian's yt-dlp is years old and cannot download from YouTube: install the current
# release into DATA_DIR/bin, verified against its SHA2-256SUMS (yt-serve then prefers it).
# Offline: one warning line, the apt yt-dlp stays, and this still exits 0; the server's
# daily auto-update (or "bun src/index.ts ytdlp update") installs it later. Bounded in
# time: a dead network must not hang an install.
set -uo pipefail
cd "$(dirname "$0")/.."

err=$(mktemp)
trap 'rm -f "$err"' EXIT
if out=$(timeout "${YTDLP_INSTALL_TIMEOUT:-180}" bun src/index.ts ytdlp update 2>"$err"); then
  printf '%s\n' "$out"
else
  reason=$(grep -m1 '^yt-serve: ' "$err" | sed 's/^yt-serve: //')
  echo "warning: no current yt-dlp installed (${reason:-no answer in time}); keeping $(yt-dlp --version 2>/dev/null || echo 'the system yt-dlp') from apt; run 'bun src/index.ts ytdlp update' when online"
fi
exit 0
