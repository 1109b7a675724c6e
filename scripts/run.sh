#!/usr/bin/env bash
# make run: install, migrate, load demo data, start a task worker and serve on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh base
export DEBUG=${DEBUG:-1}
# A demo laptop has no authenticator app at hand: the second factor is offered to every user but
# only enforced when INCLUYE_REQUIRE_MFA=1 (production enforces it by default).
export INCLUYE_REQUIRE_MFA=${INCLUYE_REQUIRE_MFA:-0}
py=.venv/bin/python
$py manage.py migrate --no-input -v 0
$py manage.py demo --people "${DEMO_PEOPLE:-300}"
$py manage.py db_worker >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo
echo "Incluye is running at http://127.0.0.1:8000  (task worker pid $worker, log var/worker.log)"
echo "Second factor enforced: $INCLUYE_REQUIRE_MFA   Stop with Ctrl+C."
$py manage.py runserver 127.0.0.1:8000
