#!/usr/bin/env bash
# Install the Debian packages the tests need when they are missing.
# As root it installs them; otherwise it says what to install and goes on
# (browser and media tests then skip, except under CI=true where they fail).
set -euo pipefail

declare -A need=()
command -v chromium >/dev/null 2>&1 || need[chromium]=1
command -v ffmpeg >/dev/null 2>&1 || need[ffmpeg]=1
command -v ffprobe >/dev/null 2>&1 || need[ffmpeg]=1
command -v node >/dev/null 2>&1 || need[nodejs]=1
# npm installs the pinned Lighthouse for `make bench` (bench/bench_lighthouse.py)
command -v npm >/dev/null 2>&1 || need[npm]=1
# the fake fal server makes its loopback certificate with openssl
command -v openssl >/dev/null 2>&1 || need[openssl]=1

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
pkgs="${!need[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "sysdeps: installing Debian packages: $pkgs"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # With recommends: chromium's (fonts, mesa) are what headless rendering was
  # verified with here.
  # shellcheck disable=SC2086
  apt-get install -y -qq $pkgs fonts-liberation >/dev/null
  echo "sysdeps: installed $pkgs"
else
  echo "sysdeps: missing $pkgs; install them (Debian: sudo apt-get install $pkgs)." >&2
  echo "sysdeps: browser and media tests will be skipped until then." >&2
fi
