#!/usr/bin/env bash
# make test: install, run the static checks and the whole test suite.
# DB=postgres runs everything against a throwaway PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh dev
py=.venv/bin/python

if [ "${DB:-sqlite}" = postgres ] && [ -z "${DATABASE_URL:-}" ]; then
  # No autovacuum on the throwaway server: it analysed tables while they were empty (between
  # tests), and the planner, told they hold no rows, chose nested loops that ran an indicator query
  # for minutes on a few thousand rows. Never analysed, tables are sized from their pages.
  PG_SERVER_OPTIONS="-c autovacuum=off" exec scripts/with-postgres.sh env DB=postgres "$0" "$@"
fi

# Tooling below runs with development defaults unless told otherwise.
export DEBUG=${DEBUG:-1}
# The static checks read the code, not the database or the clock: CI runs them once
# (STATIC_CHECKS=0 on its PostgreSQL run).
if [ "${STATIC_CHECKS:-1}" = 1 ]; then
  echo "== static checks (database: ${DB:-sqlite})"
  .venv/bin/ruff check .
  .venv/bin/ruff format --check . >/dev/null || { .venv/bin/ruff format --check .; exit 1; }
  $py manage.py makemigrations --check --dry-run >/dev/null || { echo "Missing migrations: run manage.py makemigrations"; exit 1; }
  $py scripts/check_catalog.py
  # Static security scan: clean, or each exception marked `# nosec` where the code says why.
  # (bandit warns on stderr for every `# nosec` on a multi-line statement: those lines are dropped.)
  .venv/bin/bandit -q -r incluye config -x "*/tests/*,*/migrations/*" 2> >(grep -v "nosec encountered" >&2)
  # Production settings with placeholder keys and e-mail: production refuses to start without them.
  DEBUG=0 SECRET_KEY=check-deploy-$(date +%s)-with-enough-length-and-entropy-0123456789abcdef ALLOWED_HOSTS=incluye.example \
    INCLUYE_FIELD_KEYS=$($py -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
    INCLUYE_SEARCH_KEY=check-deploy-placeholder-search-key INCLUYE_KEYS_FILE=/nonexistent \
    EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend EMAIL_OPTIONS='{"host": "smtp.incluye.example"}' \
    DEFAULT_FROM_EMAIL="Incluye <no-reply@incluye.example>" \
    $py manage.py check --deploy --fail-level WARNING

  # Known vulnerabilities of the locked dependencies (pip-audit, with PyPI's advisory data). When no
  # vulnerability database answers (no network, or a package mirror without one) it says so plainly and
  # is skipped: it never fails CI for that.
  if reason=$($py scripts/vulnerability_db.py); then
    echo "== pip-audit (locked dependencies)"
    .venv/bin/pip-audit --vulnerability-service pypi --no-deps --disable-pip --progress-spinner off \
      -r requirements/dev.txt
  else
    echo "== pip-audit SKIPPED: $reason"
  fi
else
  echo "== static checks: run once, in the first run"
fi

scripts/ensure-browser.sh
# CLOCK='+400 days' runs the tests with the whole process clock moved (Debian's faketime): the
# suite must pass on any date, not only on the day a test was written.
clock=()
if [ -n "${CLOCK:-}" ]; then
  command -v faketime >/dev/null 2>&1 || scripts/apt-install.sh faketime
  clock=(faketime "$CLOCK")
  echo "== the clock moved $CLOCK: today is $("${clock[@]}" date +%F)"
fi
# The SQLite runs build each worker's test database from the models (`--nomigrations`: 3 s instead
# of 28 s of table rebuilds). The migrations are still run from nothing in every run that matters:
# by the PostgreSQL run (production's database) for its test databases, and on SQLite by the
# shared-limits test's own database; `makemigrations --check` (above) proves that the models and the
# migrations describe the same schema.
schema=()
[ "${DB:-sqlite}" = postgres ] || schema=(--nomigrations)
echo "== tests"
# (pytest exits 5 when it collects nothing: that fails here too.)
exec "${clock[@]}" $py -m pytest -n "${PYTEST_WORKERS:-2}" --dist worksteal "${schema[@]}" "$@"
