# Incluye — the two commands of the README, and a few helpers.
.PHONY: run test install messages lint

# Install, migrate, load the demo data and serve on http://127.0.0.1:8000 (with a task worker).
run:
	@scripts/run.sh

# Install and run the whole test suite (DB=postgres: against a throwaway PostgreSQL server).
test:
	@scripts/test.sh $(ARGS)

install:
	@scripts/install.sh dev

# Refresh the translation catalogs after changing user-visible strings.
messages:
	@scripts/install.sh dev
	DEBUG=$${DEBUG:-1} .venv/bin/python manage.py makemessages -l es -l en --no-location --no-obsolete -i ".venv/*" -i "var/*" -i "tests/*" -i "bench/*"
	DEBUG=$${DEBUG:-1} .venv/bin/python manage.py compilemessages --ignore=.venv

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
