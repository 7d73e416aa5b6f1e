#!/usr/bin/env bash
# Re-creates the vendored front-end files from the exact npm versions pinned in package.json:
#   static/vendor/htmx.min.js           htmx.org (2.x)
#   static/fonts/*.woff2                @fontsource/cormorant-garamond and @fontsource/jost, latin subset only
#   tests/e2e/vendor/axe.min.js         axe-core, for the accessibility checks of the browser tests
# npm runs in a throw-away directory, so no node_modules is ever left in the tree. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp package.json "$TMP/"
(cd "$TMP" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
NM=$TMP/node_modules

mkdir -p static/vendor static/fonts tests/e2e/vendor

# htmx
cp "$NM/htmx.org/dist/htmx.min.js" static/vendor/htmx.min.js
cp "$NM/htmx.org/LICENSE" static/vendor/htmx.LICENSE.txt

# Fonts: only the faces site.css declares.
rm -f static/fonts/*.woff2
for face in 500-normal 500-italic 600-normal; do
  cp "$NM/@fontsource/cormorant-garamond/files/cormorant-garamond-latin-$face.woff2" static/fonts/
done
for face in 400-normal 500-normal; do
  cp "$NM/@fontsource/jost/files/jost-latin-$face.woff2" static/fonts/
done
cp "$NM/@fontsource/cormorant-garamond/LICENSE" static/fonts/cormorant-garamond.LICENSE.txt
cp "$NM/@fontsource/jost/LICENSE" static/fonts/jost.LICENSE.txt

# axe-core (tests only, never served)
cp "$NM/axe-core/axe.min.js" tests/e2e/vendor/axe.min.js

versions() {
  node -e 'for (const p of process.argv.slice(1)) { const j = require(p + "/package.json"); console.log(`  ${j.name}@${j.version}`); }' \
    "$NM/htmx.org" "$NM/@fontsource/cormorant-garamond" "$NM/@fontsource/jost" "$NM/axe-core"
}
echo "vendored into $ROOT:"
versions
