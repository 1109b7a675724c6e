#!/usr/bin/env bash
# Browser tests drive Debian's chromium with Playwright (no browser download is possible).
# With INCLUYE_REQUIRE_BROWSER=1 (CI) a browser that cannot be installed is a failure, never a skip.
set -u
cd "$(dirname "$0")/.."
browser=${INCLUYE_BROWSER:-/usr/bin/chromium}
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium for the browser tests"
  scripts/apt-install.sh chromium && [ -x "$browser" ] && exit 0
fi
if [ "${INCLUYE_REQUIRE_BROWSER:-}" = 1 ]; then
  echo "chromium is not installed and could not be installed: the browser tests cannot run." >&2
  exit 1
fi
echo "chromium is not installed and cannot be installed here: browser tests will be skipped (CI requires them)." >&2
exit 0
