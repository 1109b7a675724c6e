#!/usr/bin/env bash
# Creates .venv with a Python >= 3.12 and installs the locked dependencies.
# Usage: scripts/install.sh base|dev   (dev is a superset used by the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."
group=${1:-base}
lock="requirements/$group.txt"
stamp=".venv/.installed-$group"

ensure_system_packages() {
  # gettext compiles the translation catalogs; WeasyPrint (certificates) needs Pango.
  local missing=()
  command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
  ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
  # The certificates and skills profiles are PDF/A with one font family (DejaVu Sans): the fonts
  # must be there for every install; the tests also read the PDFs back with poppler (pdffonts).
  fc-list 2>/dev/null | grep -q 'DejaVuSans.ttf' || missing+=(fonts-dejavu-core)
  if [ "$group" = dev ]; then command -v pdffonts >/dev/null 2>&1 || missing+=(poppler-utils); fi
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing system packages: ${missing[*]}"
      scripts/apt-install.sh "${missing[@]}"
    else
      echo "Please install these system packages first: ${missing[*]}" >&2
      exit 1
    fi
  fi
}

ensure_system_packages
if [ ! -x .venv/bin/python ]; then
  py=$(scripts/find-python.sh)
  echo "Creating .venv with $py"
  "$py" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
  echo "Installing locked dependencies ($lock)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$lock"
  touch "$stamp"
fi
DEBUG=${DEBUG:-1} .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
