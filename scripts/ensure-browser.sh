#!/usr/bin/env bash
# Browser tests drive Debian's chromium with Playwright (no browser download is possible).
set -u
browser=${INCLUYE_BROWSER:-/usr/bin/chromium}
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "chromium is not installed and cannot be installed here: browser tests will be skipped (CI requires them)." >&2
exit 0
