#!/usr/bin/env bash
# What lint.sh needs, installed from the npm registry (no download of its own): Redocly CLI, pinned, into
# .tools/redocly (a private prefix, so nothing global changes). Prints the redocly command to use.
# Idempotent: a second run only checks the installed version.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$REPO/.tools/redocly"
VERSION="2.77.0"
REDOCLY="$TOOLS/node_modules/.bin/redocly"

if [[ ! -x $REDOCLY ]] || [[ "$("$REDOCLY" --version 2>/dev/null)" != "$VERSION" ]]; then
  command -v npm >/dev/null || { echo "tools.sh: npm is needed for @redocly/cli@$VERSION: apt-get install npm" >&2; exit 1; }
  echo "tools.sh: installing @redocly/cli@$VERSION (npm) into $TOOLS" >&2
  mkdir -p "$TOOLS"
  [[ -f $TOOLS/package.json ]] || echo '{ "private": true }' > "$TOOLS/package.json"
  npm install --prefix "$TOOLS" --no-audit --no-fund --silent --save-exact "@redocly/cli@$VERSION" >&2
fi
echo "$REDOCLY"
