#!/usr/bin/env bash
# The main job on the embedded default: lint the quickstart repository, plan it against a fresh
# embedded ClickHouse (chDB, in-process), apply the plan, and plan again to show nothing is left.
set -euo pipefail
cd "$(dirname "$0")/.."
clickplan() {
  echo
  echo "\$ clickplan $*"
  node packages/cli/bin/clickplan.js "$@"
}
# A fresh engine every run, so the demo always has something to plan; CLICKHOUSE_URL would point elsewhere.
rm -rf .clickplan/demo
unset CLICKHOUSE_URL
target=embedded:.clickplan/demo
clickplan lint fixtures/quickstart
clickplan plan fixtures/quickstart --target "$target"
clickplan apply fixtures/quickstart --target "$target"
clickplan plan fixtures/quickstart --target "$target"
