#!/usr/bin/env bash
# Installs, from Debian's packages only, what genuine needs to build, test and
# benchmark. Idempotent: it asks apt only for packages that are missing.
set -euo pipefail

packages=(
  build-essential pkg-config clang clang-format libclang-rt-14-dev curl
  libsqlite3-dev libjansson-dev libhyperscan-dev libicu-dev
  libmicrohttpd-dev libcmocka-dev libsodium-dev libcurl4-openssl-dev
  libjpeg62-turbo-dev libpng-dev libwebp-dev
  libxgboost-dev liblua5.4-dev
  time python3
  mate-backgrounds
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
