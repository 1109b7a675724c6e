#!/usr/bin/env bash
# Installs Debian packages as root with apt-get. When another apt or dpkg holds the lock (an
# unattended upgrade, a second checkout installing at the same time), it waits for it, up to
# APT_LOCK_WAIT seconds (default 600), instead of giving up. Usage: scripts/apt-install.sh PKG...
set -u
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Cannot install $* here (needs root and apt-get): install them and run the command again." >&2
  exit 1
fi
deadline=$((SECONDS + ${APT_LOCK_WAIT:-600}))
log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=30 "$@" >"$log" 2>&1
}
updated=0
while :; do
  if [ $updated = 1 ] || apt_get update; then
    updated=1
    apt_get install -y "$@" && exit 0
  fi
  if ! grep -qiE "lock|is another process using it" "$log"; then
    cat "$log" >&2
    echo "Installing $* failed." >&2
    exit 1
  fi
  if [ $SECONDS -ge $deadline ]; then
    cat "$log" >&2
    echo "Installing $* failed: another apt-get held the package lock for ${APT_LOCK_WAIT:-600} s." >&2
    exit 1
  fi
  echo "Another apt-get holds the package lock: waiting to install $*"
  sleep 5
done
