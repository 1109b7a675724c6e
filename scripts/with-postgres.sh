#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server that this script starts and stops.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]  (DATABASE_URL is exported for COMMAND)
# PG_SERVER_OPTIONS adds server settings ("-c name=value ..."); the test suite turns autovacuum off.
set -euo pipefail

find_bin() {
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

bin=$(find_bin) || {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing PostgreSQL server"
    "$(dirname "$0")/apt-install.sh" postgresql
    bin=$(find_bin)
  else
    echo "PostgreSQL 15+ is needed for DB=postgres: install the 'postgresql' package and try again." >&2
    exit 1
  fi
}

dir=$(mktemp -d /tmp/incluye-pg.XXXXXX)
port=${PGPORT_TEST:-$((20000 + RANDOM % 20000))}
as_owner=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  chown postgres:postgres "$dir"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
  -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_SERVER_OPTIONS:-}" \
  -w start >/dev/null
"$bin/createdb" -h "$dir" -p "$port" -U postgres incluye
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running on socket $dir, port $port"
export DATABASE_URL="postgres://postgres@/incluye?host=$dir&port=$port"
"$@"
