#!/usr/bin/env bash
# run.sh BUILD_DIR — runs the unit tests, then every CLI case in tests/cli/ (one script per
# case, zstd style: exit 0 = pass, 77 = skip, anything else = fail), and prints the totals as
# the last line: `N passed, N failed, N skipped`.
set -u
B=${1:?usage: tests/run.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export ADAL="$ROOT/$B/adal" ROOT
export ADAL_SHARED=${ADAL_SHARED:-$ROOT/../shared}
# goldens and expected outputs are in English; the default language otherwise follows the
# locale (adal_lang_default), so pin it here
export ADAL_LANG=en
passed=0 failed=0 skipped=0

wrap=()
if [ "${ADAL_VALGRIND:-0}" = 1 ]; then
  wrap=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect)
fi

out=$(mktemp); trap 'rm -f "$out"' EXIT
"${wrap[@]}" "$B/test_unit" 2> >(sed 's/^/  /' >&2) | tee "$out"
rc=${PIPESTATUS[0]}
line=$(grep '^unit:' "$out" | tail -1)
if [ -n "$line" ]; then
  read -r p f s < <(echo "$line" | sed -E 's/unit: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped/\1 \2 \3/')
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
fi
# a runner that dies before its summary line (a crash inside a test) or exits non-zero with
# no failed test (sanitizer, valgrind) is a failure too
if [ "$rc" -ne 0 ] && { [ -z "$line" ] || [ "$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')" = 0 ]; }; then
  echo "  FAIL unit runner exited $rc (crash, sanitizer or valgrind error)"; failed=$((failed + 1))
fi

export ADAL_WRAP="${wrap[*]:-}"
for t in tests/cli/*.sh; do
  [ -e "$t" ] || continue
  name=$(basename "$t" .sh)
  log=$(mktemp)
  bash "$t" >"$log" 2>&1; rc=$?
  case $rc in
    0) passed=$((passed + 1)); echo "  ok   cli/$name" ;;
    77) skipped=$((skipped + 1)); echo "  skip cli/$name: $(tail -1 "$log")" ;;
    *) failed=$((failed + 1)); echo "  FAIL cli/$name (exit $rc)"; sed 's/^/      /' "$log" | tail -20 ;;
  esac
  rm -f "$log"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
