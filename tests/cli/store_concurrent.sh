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
# (under valgrind a check alone takes seconds: the bound means nothing there)
[ -n "${ADAL_WRAP:-}" ] || [ $(( (t1 - t0) / 1000000 )) -lt 2000 ] || fail "check waited for the writer"
cmp -s "$TMP/before.json" "$TMP/during.json" || fail "check during a write differs"
$ADAL corpus list --db "$DB" >/dev/null 2>&1 || fail "list during a write"
$ADAL corpus stats --db "$DB" >/dev/null 2>&1 || fail "stats during a write"
# a writer waits (up to 10 s) and then gets through
$ADAL corpus add "$ROOT/corpus/sources/chekhov-hameleon.txt" --db "$DB" >"$TMP/add" 2>"$TMP/adderr" \
  || { cat "$TMP/adderr"; fail "add after the lock was released"; }
grep -q "^added " "$TMP/add" || fail "not added"
wait $holder
$ADAL corpus verify --db "$DB" >/dev/null || fail "verify"

# ---- stress: several `check --db` and writers at once, results equal serial runs ---------
# 3 checker processes run through every essay while two writers commit: one adds a new
# document per `corpus add`, the other is an `adal batch` over a course of 3 students whose
# submissions it checks against the store and adds (as the nightly run does). Both write
# unrelated filler text, so no essay's sources change. ROUNDS times. Every JSON report equals
# the serial one byte for byte, every exit status too, no message about a lock (or anything
# at all) reaches stderr, and every batch checks all its submissions and adds them. Fewer
# rounds under valgrind.
ROUNDS=${ADAL_STRESS_ROUNDS:-8}
CANDIDATES=("$ROOT"/corpus/course/*/essay.* "$ROOT"/tests/data/texts/essays/*.txt)
MIN=10
if [ -n "${ADAL_WRAP:-}" ]; then # valgrind: one round of 4 essays (~1 min instead of 3.5)
  ROUNDS=1 MIN=4
  CANDIDATES=("$ROOT"/corpus/course/0[1-4]-*/essay.*)
fi
ESSAYS=()
for f in "${CANDIDATES[@]}"; do
  $ADAL check "$f" --db "$DB" --format json >/dev/null 2>&1
  [ $? -le 1 ] && ESSAYS+=("$f")
done
[ ${#ESSAYS[@]} -ge $MIN ] || fail "too few essays (${#ESSAYS[@]})"
mkdir -p "$TMP/serial" "$TMP/fill"
for i in "${!ESSAYS[@]}"; do
  $ADAL check "${ESSAYS[$i]}" --db "$DB" --format json >"$TMP/serial/$i.json" 2>"$TMP/serial/$i.err"
  echo $? >"$TMP/serial/$i.rc"
done
python3 - "$TMP/fill" "$ROUNDS" <<'PY'
import random, sys
r = random.Random(11)
for k in range(int(sys.argv[2]) * 9):
    w = [''.join(r.choice('bcdfghjklmnpqrstvwxz') + r.choice('aeiouy') for _ in range(r.randint(2, 4)))
         for _ in range(1500)]
    open(f'{sys.argv[1]}/f{k:03d}.txt', 'w').write(' '.join(w) + '\n')
PY
checker() { # checker ROUND P
  local d="$TMP/r$1/p$2" i
  mkdir -p "$d"
  for i in "${!ESSAYS[@]}"; do
    $ADAL check "${ESSAYS[$i]}" --db "$DB" --format json >"$d/$i.json" 2>"$d/$i.err"
    echo $? >"$d/$i.rc"
  done
}
writer() { # writer ROUND
  local k
  for k in $(seq $(($1 * 6)) $(($1 * 6 + 5))); do
    $ADAL corpus add "$TMP/fill/f$(printf %03d "$k").txt" --db "$DB" >>"$TMP/w$1.out" 2>>"$TMP/w$1.err" \
      || echo "corpus add exit $?" >>"$TMP/w$1.err"
  done
}
batch_writer() { # batch_writer ROUND: a course of 3 students from fillers 6R*... past the adds
  local c="$TMP/course$1" s k=$((ROUNDS * 6 + $1 * 3))
  for s in 0 1 2; do
    mkdir -p "$c/student$1-$s"
    cp "$TMP/fill/f$(printf %03d $((k + s))).txt" "$c/student$1-$s/essay.txt"
  done
  $ADAL batch "$c" --db "$DB" --out "$TMP/b$1" --jobs 2 --quiet >"$TMP/b$1.out" 2>"$TMP/b$1.err"
  echo $? >"$TMP/b$1.rc"
}
t0=$(date +%s)
for r in $(seq 0 $((ROUNDS - 1))); do
  pids=()
  for p in 1 2 3; do checker "$r" "$p" & pids+=($!); done
  writer "$r" & pids+=($!)
  batch_writer "$r" & pids+=($!)
  wait "${pids[@]}"
  grep -v '^adal: 1 added, 0 already stored, 0 failed$' "$TMP/w$r.err" | grep -q . &&
    { cat "$TMP/w$r.err"; fail "round $r: the writer failed"; }
  [ "$(grep -c '^added ' "$TMP/w$r.out")" = 6 ] || fail "round $r: not every filler added"
  [ "$(cat "$TMP/b$r.rc")" = 0 ] && ! [ -s "$TMP/b$r.err" ] ||
    { cat "$TMP/b$r.err"; fail "round $r: the batch exited $(cat "$TMP/b$r.rc")"; }
  python3 - "$TMP/b$r/summary.json" <<'PY' || fail "round $r: the batch summary"
import json, sys
s = json.load(open(sys.argv[1]))
subs = s["submissions"]
assert len(subs) == 3, len(subs)
for x in subs:
    assert x["status"] == "checked", x
    assert x["originality"] == 100.0, x
PY
  for p in 1 2 3; do
    for i in "${!ESSAYS[@]}"; do
      d="$TMP/r$r/p$p"
      if [ -s "$d/$i.err" ] && ! cmp -s "$d/$i.err" "$TMP/serial/$i.err"; then
        cat "$d/$i.err"; fail "round $r checker $p: ${ESSAYS[$i]}: a message on stderr"
      fi
      cmp -s "$d/$i.rc" "$TMP/serial/$i.rc" || fail "round $r checker $p: ${ESSAYS[$i]}: exit $(cat "$d/$i.rc")"
      cmp -s "$d/$i.json" "$TMP/serial/$i.json" || fail "round $r checker $p: ${ESSAYS[$i]}: report differs"
    done
  done
done
echo "stress: $ROUNDS rounds x 3 checkers x ${#ESSAYS[@]} essays + $((ROUNDS * 6)) adds + $ROUNDS batches in $(( $(date +%s) - t0 )) s"
$ADAL corpus verify --db "$DB" >/dev/null || fail "verify after the stress"
[ "$($ADAL corpus list --db "$DB" | grep -c '	f[0-9]*\.txt	')" = $((ROUNDS * 6)) ] || fail "fillers stored"
[ "$($ADAL corpus list --db "$DB" | grep -c 'student[0-9]*-[0-2]')" = $((ROUNDS * 3)) ] || fail "batch submissions stored"
exit 0
