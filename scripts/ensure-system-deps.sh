#!/usr/bin/env bash
# Installs the Debian packages the tests use when they are missing (these machines run as root).
# Each test that needs a system program fails loudly without it; this script makes sure it is there.
set -euo pipefail
need=()
# (none yet: the parser and model tests need only chDB, which npm installs)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
