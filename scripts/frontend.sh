#!/usr/bin/env bash
# Refresh the vendored front-end: installs the exact versions pinned in frontend/package.json (and
# its lock file) with npm, compiles frontend/incluye.scss with GOV.UK Frontend into
# static/css/incluye.css, and copies the browser files into static/vendor/ (served) and axe-core
# into tests/e2e/vendor/ (used by the page audit only, never served).
#
# To move to a newer release: change the version in frontend/package.json, run this script, look
# at the pages (the page audit, tests/e2e/test_page_audit.py, opens all of them) and commit the
# lock file with what the script wrote. Nothing here runs at run time or in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "npm is needed to refresh the vendored front-end" >&2; exit 1; }

(cd frontend && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
modules=frontend/node_modules
version() { node -p "require('./$modules/$1/package.json').version"; }

echo "Compiling frontend/incluye.scss (govuk-frontend $(version govuk-frontend))"
{
  echo "/*! Incluye - compiled by scripts/frontend.sh from frontend/incluye.scss with govuk-frontend $(version govuk-frontend) (MIT, Crown copyright). Do not edit. */"
  "$modules/.bin/sass" --load-path="$modules" --style=compressed --no-charset --no-source-map --quiet-deps frontend/incluye.scss
} >static/css/incluye.css
echo "Compiling frontend/me.scss (the person's own pages)"
{
  echo "/*! Incluye /me/ - compiled by scripts/frontend.sh from frontend/me.scss with govuk-frontend $(version govuk-frontend) (MIT, Crown copyright). Do not edit. */"
  "$modules/.bin/sass" --load-path="$modules" --style=compressed --no-charset --no-source-map --quiet-deps frontend/me.scss
} >static/css/me.css

vendor=static/vendor
mkdir -p "$vendor/govuk-frontend" "$vendor/accessible-autocomplete" tests/e2e/vendor
cp "$modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$vendor/govuk-frontend/"
# The npm package carries its licence in its README (MIT, Crown copyright): keep it beside the code.
{
  echo "govuk-frontend $(version govuk-frontend): $(node -p "require('./$modules/govuk-frontend/package.json').license") licence."
  echo "From the package's README:"
  sed -n '/^## Licence/,/^## /p' "$modules/govuk-frontend/README.md" | sed '$d'
  echo "The MIT License (MIT). Copyright (c) 2018 Crown Copyright (Government Digital Service)."
  echo "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and"
  echo "associated documentation files (the \"Software\"), to deal in the Software without restriction,"
  echo "including without limitation the rights to use, copy, modify, merge, publish, distribute,"
  echo "sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is"
  echo "furnished to do so, subject to the following conditions: The above copyright notice and this"
  echo "permission notice shall be included in all copies or substantial portions of the Software."
  echo "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED."
} >"$vendor/govuk-frontend/LICENSE.txt"
cp "$modules/accessible-autocomplete/dist/accessible-autocomplete.min.js" "$vendor/accessible-autocomplete/"
cp "$modules/accessible-autocomplete/dist/accessible-autocomplete.min.css" "$vendor/accessible-autocomplete/"
cp "$modules/accessible-autocomplete/LICENSE.txt" "$vendor/accessible-autocomplete/LICENSE.txt"
cp "$modules/htmx.org/dist/htmx.min.js" "$vendor/htmx.min.js"
# The packages' source maps are not vendored: their comments would send `collectstatic` (the
# manifest storage of production) after files that are not there, and it stops.
for file in "$vendor"/govuk-frontend/*.js "$vendor"/accessible-autocomplete/*.js "$vendor"/accessible-autocomplete/*.css "$vendor"/htmx.min.js; do
  sed -i -e 's#//\# sourceMappingURL=[^ ]*$##' -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$file"
done
cp "$modules/axe-core/axe.min.js" tests/e2e/vendor/axe.min.js
cp "$modules/axe-core/LICENSE" tests/e2e/vendor/axe-core.LICENSE
{
  echo "# Written by scripts/frontend.sh: what is vendored here, from npm."
  for package in govuk-frontend accessible-autocomplete htmx.org; do echo "$package $(version $package)"; done
} >"$vendor/VERSIONS"
echo "axe-core $(version axe-core)" >tests/e2e/vendor/VERSION
echo "Done: static/css/incluye.css, static/css/me.css, $vendor/, tests/e2e/vendor/"
