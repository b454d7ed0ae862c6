#!/usr/bin/env bash
# Installs the npm packages the tests talk to (real MCP servers) into test-peers/node_modules, exactly as
# package-lock.json pins them. Does nothing when node_modules already matches the lock file.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if ! command -v npm >/dev/null 2>&1; then
  echo "test-peers/install.sh: npm is not installed; the MCP tests need Node.js and npm (apt-get install nodejs npm)" >&2
  exit 1
fi

stamp="node_modules/.switchboard-lock.sha256"
wanted="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  exit 0
fi

echo "test-peers/install.sh: installing the test peers from package-lock.json"
npm ci --no-audit --no-fund
echo "$wanted" > "$stamp"
