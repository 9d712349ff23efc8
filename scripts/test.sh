#!/usr/bin/env bash
# The README's test command. Installs what the tests need when it is missing, then runs every
# check: types, lint/format, and the whole test suite. Fails when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-deps.sh
[ -d node_modules ] || npm ci --no-audit --no-fund

echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== lint"
npx biome check .
echo "== tests"
npx vitest run "$@"
