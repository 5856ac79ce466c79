#!/usr/bin/env bash
# Installs the Debian packages refold-mock needs, only those missing. Usage: deps.sh [build|test]
set -euo pipefail
want=(build-essential cmake pkg-config libcivetweb-dev libcjson-dev libsqlite3-dev
      libcurl4-openssl-dev libssl-dev libcmocka-dev)
if [ "${1:-build}" = test ]; then
  # the test suite also needs: a JS runtime for the SDK/contract tests, a browser, sqlite3,
  # openssl (independent HMAC check), clang (libFuzzer), valgrind; the READMEs' recipes: pytest,
  # requests, jq
  want+=(nodejs npm chromium sqlite3 openssl clang valgrind curl procps python3-pytest python3-requests jq)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from outside Debian (e.g. a preinstalled toolchain): accept those.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]:-}"
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
