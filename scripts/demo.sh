#!/usr/bin/env bash
# What ClickPlan is for, in one screen: a pull request adds a migration to a deployed schema. Lint
# finds what it does to data, plan shows the steps against the running ClickHouse (here the embedded
# engine, chDB) with their risk and the drift someone left there by hand, and the pull request comment
# is written as Markdown and HTML. Everything lives in .clickplan/demo, made afresh on every run.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$repo/.clickplan/demo"
rm -rf "$work"
mkdir -p "$work/base" "$work/checkout"
# The base branch's copy of the project, and the checkout of the pull request: the same plus V3.
cp -r "$repo/fixtures/demo/shop" "$work/base/shop"
cp -r "$repo/fixtures/demo/shop" "$work/checkout/shop"
cp "$repo/fixtures/demo/pull-request/"*.sql "$work/checkout/shop/migrations/"
cd "$work/checkout"
# CLICKHOUSE_URL would point the demo elsewhere; colour only where the terminal wants it.
unset CLICKHOUSE_URL
target="embedded:$work/engine"
clickplan() { node "$repo/packages/cli/bin/clickplan.js" "$@"; }
# Headings in bold on a terminal (unless NO_COLOR), plain in a pipe.
if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then say() { printf '\n\033[1m%s\033[0m\n' "$*"; }; else say() { printf '\n%s\n' "$*"; }; fi

say "# Production runs V1 and V2 (deployed from the base branch). The engine starts from shop/clickhouse/config.xml:"
clickplan apply ../base/shop --target "$target" --progress none 2>&1 | grep -E '^(note: |Applied )'
# Rows to count, and a column added by hand on the server: drift the repository never made.
node --input-type=module -e "
  import { createRequire } from 'node:module';
  const { Session } = createRequire('$repo/package.json')('chdb');
  const session = new Session('$work/engine', { connectionArgs: ['--config-file=$work/engine.config/config.xml'] });
  session.query(\"INSERT INTO shop.orders SELECT number, number % 1000, number % 100, 'SPRING', now() FROM numbers(250000)\");
  session.query('ALTER TABLE shop.customers ADD COLUMN email String');
  session.cleanup();
"
echo "250,000 orders inserted; someone ran ALTER TABLE shop.customers ADD COLUMN email String by hand."

say "# A pull request adds migrations/V3__drop_coupon_widen_amount.sql. clickplan lint:"
clickplan lint shop || true

say "# clickplan plan --base ../base/shop: the steps against production, and the drift:"
clickplan plan shop --base ../base/shop --target "$target" 2>&1 | grep -v '^note: ' || true

say "# The pull request comment the GitHub Action posts:"
node --import tsx "$repo/scripts/demo-comment.ts" shop ../base . "$target" "$work"
