#!/usr/bin/env bash
# Installs the Debian packages the tests use when they are missing, and says what it does.
# Each test that needs a system program fails loudly without it; this script makes sure it is there.
#   clickhouse-server  Debian's ClickHouse 18.16: the real server behind test/live-http.test.ts
#   openssl            makes the self-signed certificate that server serves HTTPS with
#   chromium           the browser Playwright drives through code-server in test/vscode-e2e.test.ts
#   neovim             Neovim 0.7, the second real LSP client of test/neovim-lsp.test.ts
#   zookeeper          ZooKeeper 3.8 (zookeeper.jar) for the 2x2 ClickHouse cluster of test/cluster-*.test.ts
#   default-jre-headless, libslf4j-java  run it (java, slf4j-simple.jar)
set -euo pipefail
need=()
[ -x /usr/bin/clickhouse-server ] || [ -x /usr/sbin/clickhouse-server ] || need+=(clickhouse-server)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v nvim >/dev/null 2>&1 || need+=(neovim)
[ -f /usr/share/java/zookeeper.jar ] || need+=(zookeeper)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -f /usr/share/java/slf4j-simple.jar ] || need+=(libslf4j-java)
if [ ${#need[@]} -eq 0 ]; then
  echo "ensure-system-deps: nothing to install"
  exit 0
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "ensure-system-deps: need root or sudo to install: ${need[*]}" >&2
    exit 1
  fi
fi
echo "ensure-system-deps: installing Debian packages: ${need[*]}"
echo "+ ${sudo[*]} apt-get update -qq"
"${sudo[@]}" apt-get update -qq
echo "+ ${sudo[*]} apt-get install -y -qq --no-install-recommends ${need[*]}"
# Installing does not start a server: the tests start their own on a free port (policy-rc.d refuses
# service starts in containers; outside one, Debian's packaged service may start and is left alone).
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
