#!/usr/bin/env bash
# Installs what yt-serve needs on Debian/Ubuntu: yt-dlp and ffmpeg from apt, Bun from
# npm, then the project's packages. `--with-browser` adds Chromium for the browser tests,
# `--with-containers` podman, runc and debootstrap for the container tests.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

BUN_VERSION=1.4.5
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

with_browser=false
with_containers=false
for arg in "$@"; do
  case "$arg" in
    --with-browser) with_browser=true ;;
    --with-containers) with_containers=true ;;
    *) echo "install.sh: unknown option $arg (known: --with-browser, --with-containers)" >&2; exit 2 ;;
  esac
done

packages=()
command -v yt-dlp >/dev/null 2>&1 || packages+=(yt-dlp)
{ command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; } || packages+=(ffmpeg)
if $with_browser && [ ! -x /usr/bin/chromium ]; then packages+=(chromium); fi
if $with_containers; then
  for tool in podman runc debootstrap; do command -v "$tool" >/dev/null 2>&1 || packages+=("$tool"); done
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "installing from apt: ${packages[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

if ! command -v bun >/dev/null 2>&1 || [ "$(bun --version 2>/dev/null)" != "$BUN_VERSION" ]; then
  echo "installing bun $BUN_VERSION from npm"
  $SUDO npm install -g --silent "bun@$BUN_VERSION"
  # Some npm setups skip install scripts; bun's postinstall puts the real binary in place.
  bun --version >/dev/null 2>&1 || (cd "$(npm root -g)/bun" && $SUDO node install.js)
fi

bun install --frozen-lockfile

# A current, verified yt-dlp in DATA_DIR/bin; offline it warns once and the install goes on.
bash scripts/install-ytdlp.sh
