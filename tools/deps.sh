#!/usr/bin/env bash
# deps.sh — install the Debian/Ubuntu packages adal needs to build, test and benchmark.
# As root it runs apt-get; otherwise it prints the exact command to run.
# ADAL_DEPS_EXTRA=1 adds the tools behind `make eval`/`make bench`/the browser test.
set -eu
pkgs="build-essential make pkg-config libxml2-dev libicu-dev libzip-dev zlib1g-dev libxxhash-dev
      libstemmer-dev libsqlite3-dev libjansson-dev sqlite3 python3 python3-docx valgrind"
extra="similarity-tester clang libclang-rt-14-dev gettext hunspell-ru hunspell-kk time libreoffice-writer-nogui
       chromium"
[ "${ADAL_DEPS_EXTRA:-0}" = 1 ] && pkgs="$pkgs $extra"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "deps: missing packages; run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
