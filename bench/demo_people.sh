#!/usr/bin/env bash
# Figure (Foundation issue): `manage.py demo --people 100000` must finish in under 5 minutes on 2 cores.
# Usage: bench/demo_people.sh [PEOPLE]            (SQLite, a fresh database in a temporary folder)
#        DB=postgres bench/demo_people.sh [PEOPLE] (a throwaway PostgreSQL server)
set -euo pipefail
cd "$(dirname "$0")/.."
people=${1:-100000}
scripts/install.sh base >/dev/null
if [ "${DB:-sqlite}" = postgres ] && [ -z "${DATABASE_URL:-}" ]; then
  exec scripts/with-postgres.sh env DB=postgres "$0" "$@"
fi
if [ -z "${DATABASE_URL:-}" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  export DATABASE_URL="sqlite:///$tmp/bench.sqlite3"
fi
export DEBUG=1
.venv/bin/python manage.py migrate -v 0
start=$(date +%s.%N)
.venv/bin/python manage.py demo --people "$people" --quiet-accounts
end=$(date +%s.%N)
count=$(.venv/bin/python manage.py shell -v 0 -c "from incluye.people.models import Person; print(Person.objects.count())")
printf 'demo --people %s on %s: %.1f s wall clock (%s people in the database), %s cores\n' \
  "$people" "${DB:-sqlite}" "$(echo "$end - $start" | bc)" "$count" "$(nproc)"
