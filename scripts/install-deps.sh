#!/usr/bin/env bash
# Installs, from Debian's packages, what genuine needs to build, test and
# benchmark, and the web console's npm packages from web/package-lock.json.
# Idempotent: it asks apt only for packages that are missing, npm only when
# web/node_modules is not installed from the lock.
set -euo pipefail

packages=(
  build-essential pkg-config clang clang-format libclang-rt-14-dev curl
  libsqlite3-dev libjansson-dev libhyperscan-dev libicu-dev
  libmicrohttpd-dev libcmocka-dev libsodium-dev libcurl4-openssl-dev
  libjpeg62-turbo-dev libpng-dev libwebp-dev libqrencode-dev
  libxgboost-dev liblua5.4-dev
  postgresql libpq-dev
  patroni etcd-server procps
  time python3
  libfaiss-dev
  mate-backgrounds
  chromium iso-codes
)
# The console (web/) is built with node and npm; a machine that has them from
# elsewhere (NodeSource's nodejs carries npm) keeps them.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The console's packages (esbuild, ECharts, world-atlas; playwright-core and
# axe-core for its tests, which drive Debian's chromium: no browser is
# downloaded) exactly as web/package-lock.json pins them, when they are not
# installed from that lock already.
web="$(dirname "$0")/../web"
if [ ! -f "$web/node_modules/.package-lock.json" ] ||
   [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
  echo "install-deps: npm ci in web/" >&2
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
