# lib/check.sh — sourced by tests/cli/check_*.sh: paths, a scratch folder, and the skip rule
# for builds whose engine or normaliser is still a placeholder.
set -u
# `make valgrind` runs the program under valgrind too (tests/run.sh sets ADAL_WRAP)
ADAL_BIN=$ADAL
[ -n "${ADAL_WRAP:-}" ] && ADAL="$ADAL_WRAP $ADAL"
T="$ROOT/tests/data/texts"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
cd "$ROOT/tests/data/texts"
fail() { echo "FAIL: $*"; exit 1; }
need_engine() {
  local e
  e=$($ADAL check essays/ru_clean.txt --against refs/gogol_nos.txt 2>&1 >/dev/null)
  case $e in *"not built yet"*) echo "engine or normaliser not built yet"; exit 77;; esac
}
