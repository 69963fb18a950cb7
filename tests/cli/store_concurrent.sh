#!/usr/bin/env bash
# Another program holds the store's write lock (as a batch adding does): `check --db`,
# `corpus list` and `corpus stats` still work on the committed snapshot, and a `corpus add`
# started meanwhile waits for the lock and then succeeds; the store verifies afterwards.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
DB="$TMP/c.db"
$ADAL corpus add "$ROOT"/corpus/sources/abai-* --db "$DB" >/dev/null 2>&1 || fail "add"
$ADAL check "$ROOT/corpus/course/02-Daniyar/essay.docx" --db "$DB" --format json >"$TMP/before.json" 2>/dev/null
python3 - "$DB" "$TMP/locked" <<'PY' &
import sqlite3, sys, time, os
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('test_lock', 1)")
open(sys.argv[2], "w").close()
time.sleep(2.5)
c.execute("ROLLBACK")
PY
holder=$!
for _ in $(seq 50); do [ -e "$TMP/locked" ] && break; sleep 0.1; done
[ -e "$TMP/locked" ] || fail "lock holder did not start"
t0=$(date +%s%N)
$ADAL check "$ROOT/corpus/course/02-Daniyar/essay.docx" --db "$DB" --format json >"$TMP/during.json" 2>"$TMP/e"
rc=$?; t1=$(date +%s%N)
[ $rc = 1 ] || { cat "$TMP/e"; fail "check during a write: exit $rc (want 1: the essay is below 60 %)"; }
[ $(( (t1 - t0) / 1000000 )) -lt 2000 ] || fail "check waited for the writer"
cmp -s "$TMP/before.json" "$TMP/during.json" || fail "check during a write differs"
$ADAL corpus list --db "$DB" >/dev/null 2>&1 || fail "list during a write"
$ADAL corpus stats --db "$DB" >/dev/null 2>&1 || fail "stats during a write"
# a writer waits (up to 10 s) and then gets through
$ADAL corpus add "$ROOT/corpus/sources/chekhov-hameleon.txt" --db "$DB" >"$TMP/add" 2>"$TMP/adderr" \
  || { cat "$TMP/adderr"; fail "add after the lock was released"; }
grep -q "^added " "$TMP/add" || fail "not added"
wait $holder
$ADAL corpus verify --db "$DB" >/dev/null || fail "verify"
exit 0
