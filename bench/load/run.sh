#!/usr/bin/env bash
# Figure (issue 9, Trust): reception officers, caseworkers and employers (bench/load/locustfile.py)
# against gunicorn on loopback and a throwaway PostgreSQL holding `manage.py demo --people N`.
#
# Usage: bench/load/run.sh [PEOPLE]          (default 1000000)
# Environment (all optional):
#   LOADS="10 25 50 100"   users of each run, in increasing order; stops after the first load that fails
#   STEADY=180         seconds measured at each load once every user is signed in
#   SPAWN_RATE=0.4     users started per second (allauth lets 30 sign-ins a minute through per
#                      IP and gunicorn worker: every virtual user comes from 127.0.0.1)
#   WARMUP=90          seconds of light load first (search and matching indexes), not reported
#   LOAD_THINK_SCALE=1 multiplies every think time (0.1: each user asks ten times as often, to find
#                      the server's capacity without signing in hundreds of users)
#   MAX_P95=1000       a load passes with no failure, no HTTP error and every page's p95 under this (ms)
#   RESULTS=/tmp/incluye-load-<UTC time>   where the CSVs, HTML reports and logs go
#   LOCUST_VENV=/tmp/locust-venv           locust lives in its own virtualenv, outside the project's
#                                          lock files (made here with `pip install locust` if missing)
#   LOAD_USER_CLASSES="ReceptionOfficer Caseworker Employer"   which users of the locustfile run; the
#                      participants' figure (issue 19): LOAD_USER_CLASSES=Participant LOADS=200
#   PORT=8800
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
people=${1:-${PEOPLE:-1000000}}

if [ -z "${DATABASE_URL:-}" ]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi

results=${RESULTS:-/tmp/incluye-load-$(date -u +%Y%m%dT%H%M%SZ)}
loads=${LOADS:-10 25 50 100}
steady=${STEADY:-180}
rate=${SPAWN_RATE:-0.4}
warmup=${WARMUP:-90}
max_p95=${MAX_P95:-1000}
port=${PORT:-8800}
venv=${LOCUST_VENV:-/tmp/locust-venv}
py=.venv/bin/python
mkdir -p "$results/static" "$results/media"
exec > >(tee -a "$results/run.log") 2>&1

step() { echo "[$(date -u +%H:%M:%S)] $*"; }
elapsed() { echo $(($(date +%s) - $1)); }

step "results in $results; $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ ! -x "$venv/bin/locust" ]; then
  step "installing locust into $venv"
  "${LOCUST_PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install -q locust
fi
step "$("$venv/bin/locust" --version 2>&1 | head -1)"

fernet() { $py -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"; }
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 INCLUYE_REQUIRE_MFA=0
SECRET_KEY=$($py -c "import secrets; print(secrets.token_urlsafe(50))")
INCLUYE_FIELD_KEYS=$(fernet)
INCLUYE_SEARCH_KEY=$(fernet)
export SECRET_KEY INCLUYE_FIELD_KEYS INCLUYE_SEARCH_KEY
# Production refuses to start without an e-mail configuration: a local port nothing listens on.
export EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend EMAIL_OPTIONS='{"host": "127.0.0.1", "port": 2525}'
export DEFAULT_FROM_EMAIL="Incluye <load-test@incluye.example>"
# bench/load/settings.py: config/settings.py with STATIC_ROOT in the results folder.
export DJANGO_SETTINGS_MODULE=bench.load.settings LOAD_STATIC_ROOT="$results/static" MEDIA_ROOT="$results/media"
export PYTHONPATH=$root PYTHONUNBUFFERED=1
export LOAD_THINK_SCALE=${LOAD_THINK_SCALE:-1}
# Participants read their sign-in codes here (bench/load/sms.py).
export LOAD_SMS_DIR="$results/sms"
users_classes=${LOAD_USER_CLASSES:-ReceptionOfficer Caseworker Employer}

start=$(date +%s)
$py manage.py migrate -v 0
step "migrated in $(elapsed "$start") s"

# collectstatic (WhiteNoise's compressed manifest, ~40 s) runs beside the demo.
$py manage.py collectstatic --noinput -v 0 >"$results/collectstatic.log" 2>&1 &
static_pid=$!

start=$(date +%s)
step "manage.py demo --people $people"
$py manage.py demo --people "$people"
step "demo loaded in $(elapsed "$start") s"
wait "$static_pid"

start=$(date +%s)
$py bench/load/setup.py --out "$results/fixtures.json" ${SETUP_ARGS:-}
step "load-test data added in $(elapsed "$start") s"
psql_size=$($py manage.py shell -v 0 -c "
from django.db import connection
with connection.cursor() as c:
    c.execute('SELECT pg_size_pretty(pg_database_size(current_database()))')
    print(c.fetchone()[0])")
step "database size on disk: $psql_size"

gunicorn_pid=
stop_gunicorn() {
  if [ -n "$gunicorn_pid" ]; then
    kill "$gunicorn_pid" 2>/dev/null || true
    wait "$gunicorn_pid" 2>/dev/null || true
    gunicorn_pid=
  fi
}
trap stop_gunicorn EXIT
# Status first, then the time gunicorn measured (ms); the user agent tells locust's requests from
# anyone else's (u<N>.http below holds the statuses of locust's requests only).
GUNICORN_BIND=127.0.0.1:$port .venv/bin/gunicorn -c config/gunicorn.conf.py config.wsgi \
  --access-logfile "$results/gunicorn-access.log" --access-logformat '%(s)s %(M)s %(t)s "%(r)s" "%(a)s"' \
  --error-logfile "$results/gunicorn.log" --capture-output &
gunicorn_pid=$!
for _ in $(seq 60); do
  if curl -fs -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$port/health/"; then break; fi
  sleep 1
done
step "gunicorn up (2 workers × 8 threads, config/gunicorn.conf.py) on 127.0.0.1:$port"

export LOAD_FIXTURES="$results/fixtures.json"
# One line: seconds since the epoch, busy and total jiffies of the machine (all cores), CPU seconds
# used so far by gunicorn's processes and by locust (PostgreSQL's backends end with each request's
# connection: their share is the machine's busy time less these two, and less anyone else's).
cpu() {
  echo "$(date +%s) $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat)" \
    "$(ps -eo comm=,cputimes= | awk '$1 ~ /gunicorn/ {g += $2} $1 ~ /locust/ {l += $2} END {print g + 0, l + 0}')"
}
locust() {
  "$venv/bin/locust" -f bench/load/locustfile.py --host "http://127.0.0.1:$port" --headless \
    --only-summary --reset-stats "$@" $users_classes
}

step "think times × $LOAD_THINK_SCALE"
echo "$LOAD_THINK_SCALE" >"$results/think"
step "warm-up: ${warmup} s at 6 users (the workers build the search index and the matching engine)"
locust -u 6 -r 1 -t "${warmup}s" --csv "$results/warmup" >"$results/warmup.log" 2>&1 || true

for users in $loads; do
  ramp=$(python3 -c "import math; print(math.ceil($users / $rate))")
  before=$(wc -l <"$results/gunicorn-access.log")
  step "$users users: ramp-up ${ramp} s, then ${steady} s measured; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  # What the two cores did during the measured window: u<N>.cpu (see cpu() above).
  (sleep "$ramp" && cpu >"$results/u$users.cpu" && sleep "$((steady - 3))" && cpu >>"$results/u$users.cpu") &
  cpu_pid=$!
  locust -u "$users" -r "$rate" -t "$((ramp + steady))s" --csv "$results/u$users" --html "$results/u$users.html" \
    >"$results/u$users.log" 2>&1 || true
  wait "$cpu_pid" || true
  tail -n +"$((before + 1))" "$results/gunicorn-access.log" >"$results/u$users.access"
  grep 'gevent-http-client' "$results/u$users.access" | awk '{print $1}' >"$results/u$users.http" || true
  others=$(grep -vc 'gevent-http-client' "$results/u$users.access" || true)
  step "$users users done; load average $(cut -d' ' -f1-3 /proc/loadavg); HTTP statuses: $(sort "$results/u$users.http" | uniq -c | xargs); requests of other clients: $others"
  verdict=$(python3 bench/load/report.py "$results" --max-p95 "$max_p95")
  if ! grep -q "^$users users.*: PASS" <<<"$verdict"; then
    step "$users users did not pass: no higher load is tried"
    break
  fi
done
stop_gunicorn

python3 bench/load/report.py "$results" --max-p95 "$max_p95" | tee "$results/summary.md"
echo
echo "tracebacks in gunicorn.log: $(grep -c "Traceback" "$results/gunicorn.log" || true)"
step "done: $results"
