#!/usr/bin/env bash
# Install the Debian packages the tests need when they are missing.
# As root it installs them; otherwise it says what to install and goes on
# (browser and media tests then skip, except under CI=true where they fail).
#
# When another apt holds its lock (unattended upgrades on a fresh machine, a
# colleague's install), it says so and waits for it, SYSDEPS_APT_WAIT seconds
# at most (default 300), instead of failing at once. apt-get install waits by
# itself with -o DPkg::Lock::Timeout; apt-get update does not (apt 2.6 fails
# at once on the lists lock), so it is tried again within the same bound.
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
wait_s="${SYSDEPS_APT_WAIT:-300}"

# apt-get update, tried again while another apt holds the lists lock
update() {
  local deadline=$((SECONDS + wait_s)) said=0 out
  while true; do
    if out=$(apt-get update -qq 2>&1); then
      return 0
    fi
    if [[ "$out" != *"Could not get lock"* && "$out" != *"Unable to lock"* ]]; then
      printf '%s\n' "$out" >&2
      return 1
    fi
    if (( SECONDS >= deadline )); then
      printf '%s\n' "$out" >&2
      echo "sysdeps: the apt lock is still held after ${wait_s} s; run \`make sysdeps\`" \
           "again once the other apt is done (or set SYSDEPS_APT_WAIT)." >&2
      return 1
    fi
    if (( ! said )); then
      echo "sysdeps: another apt holds its lock; waiting up to ${wait_s} s for it"
      said=1
    fi
    sleep 1
  done
}

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "sysdeps: installing Debian packages: $pkgs"
  export DEBIAN_FRONTEND=noninteractive
  update
  echo "sysdeps: (if another apt holds its lock, the install waits up to ${wait_s} s for it)"
  # With recommends: chromium's (fonts, mesa) are what headless rendering was
  # verified with here.
  # shellcheck disable=SC2086
  if ! apt-get -o DPkg::Lock::Timeout="$wait_s" install -y -qq $pkgs fonts-liberation \
      >/dev/null; then
    echo "sysdeps: the install failed (if the apt lock was still held after ${wait_s} s," \
         "run \`make sysdeps\` again once the other apt is done)." >&2
    exit 1
  fi
  echo "sysdeps: installed $pkgs"
else
  echo "sysdeps: missing $pkgs; install them (Debian: sudo apt-get install $pkgs)." >&2
  echo "sysdeps: browser and media tests will be skipped until then." >&2
fi
