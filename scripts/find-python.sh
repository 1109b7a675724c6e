#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 found by *running* candidates (names lie: a shim
# called python3.12 may not work). Exits 1 with one clear sentence when there is none.
set -u
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.14 python3.13 python3.12 python3 python)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null)
  for p in "$root"/versions/3.1[2-9]*/bin/python "$root"/versions/3.[2-9][0-9]*/bin/python; do
    [ -x "$p" ] && candidates+=("$p")
  done
fi
for p in /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python; do
  [ -x "$p" ] && candidates+=("$p")
done
for c in "${candidates[@]}"; do
  if out=$("$c" -c 'import sys, venv; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null); then
    echo "$out"
    exit 0
  fi
done
echo "Incluye needs Python 3.12 or newer and none was found: install it (or set PYTHON=/path/to/python3.12) and run the command again." >&2
exit 1
