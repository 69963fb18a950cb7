#!/usr/bin/env bash
# batch_kill.sh — `adal batch` survives kill -9 at any moment: 20 runs over the sample course
# are killed after a random delay (0–0.34 s, while loading, checking, writing or adding to the
# store); after each kill no temporary file is left behind by the rerun, the store (when the
# build has one) passes its integrity check, and a rerun completes. The final summary.json and
# every report equal those of an uninterrupted run in a fresh folder (statuses aside: a report
# kept from before the kill is "unchanged", the same report). ADAL_KILL_ROUNDS overrides 20.
set -u
: "${ADAL:?}" "${ROOT:?}"
[ -n "${ADAL_WRAP:-}" ] && exit 77 # timing-based: not under valgrind
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cp -r "$ROOT/corpus/course" "$TMP/course"
touch -d '2026-01-01 10:00' "$TMP/course/12-Zhanna/essay-v1.docx"
touch -d '2026-01-02 10:00' "$TMP/course/12-Zhanna/essay-v2.docx"
cd "$TMP"
db=()
store=0
if "$ADAL" corpus --help >/dev/null 2>&1; then
  store=1
  "$ADAL" corpus add --db ref.db --kind source "$ROOT/corpus/sources" >/dev/null 2>&1 ||
    "$ADAL" corpus add --db ref.db "$ROOT/corpus/sources" >/dev/null || fail "corpus add"
  cp ref.db base.db
  db=(--db run.db)
else
  db=(--no-db --against "$ROOT/corpus/sources")
fi
# the reference: one uninterrupted run
[ $store = 1 ] && cp base.db run.db
"$ADAL" batch course --out ref "${db[@]}" --jobs 2 -q 2>/dev/null
[ $? -le 2 ] || fail "reference run crashed"
[ $store = 1 ] && cp run.db ref-store.db
rm -f run.db run.db-wal run.db-shm
[ $store = 1 ] && cp base.db run.db

verify() {
  [ $store = 1 ] || return 0
  r=$("$ADAL" corpus verify --db run.db 2>&1) || fail "store integrity after kill $1: $r"
  if command -v sqlite3 >/dev/null; then
    r=$(sqlite3 run.db 'PRAGMA integrity_check;' 2>&1)
    [ "$r" = ok ] || fail "store integrity (sqlite3) after kill $1: $r"
  fi
}
rounds=${ADAL_KILL_ROUNDS:-20}
killed=0
for i in $(seq 1 "$rounds"); do
  # every few rounds start from scratch, so kills land in first runs as well as in reruns
  if [ $((i % 4)) -eq 1 ]; then
    rm -rf out run.db run.db-wal run.db-shm
    [ $store = 1 ] && cp base.db run.db
  fi
  "$ADAL" batch course --out out "${db[@]}" --jobs 2 -q 2>/dev/null &
  pid=$!
  sleep "0.$(printf "%02d" $((RANDOM % 34)))"
  if kill -9 $pid 2>/dev/null; then killed=$((killed + 1)); fi
  wait $pid 2>/dev/null
  verify "$i"
  "$ADAL" batch course --out out "${db[@]}" --jobs 2 -q 2>/dev/null
  rc=$?
  [ $rc -le 2 ] || fail "rerun after kill $i exited $rc"
  [ -s out/summary.json ] || fail "no summary after the rerun of kill $i"
  find out -name '.adal-tmp*' | grep -q . && fail "temporary files left after the rerun of kill $i"
  [ -e out/.adal-batch-journal ] && fail "journal left after a complete run"
  verify "$i"
  python3 - ref out <<'PYEOF' || fail "round $i: output differs from the uninterrupted run"
import json, os, sys
ref, out = sys.argv[1], sys.argv[2]
def norm(p):
    d = json.load(open(os.path.join(p, "summary.json"), encoding="utf-8"))
    for r in d["submissions"]:
        if r["status"] == "unchanged":
            r["status"] = "checked"
    d["counts"]["checked"] += d["counts"]["unchanged"]
    d["counts"]["unchanged"] = 0
    return d
a, b = norm(ref), norm(out)
if a != b:
    print("summary differs"); sys.exit(1)
for r in a["submissions"]:
    if r["report"]:
        x = open(os.path.join(ref, r["report"]), "rb").read()
        y = open(os.path.join(out, r["report"]), "rb").read()
        if x.replace(b"/ref/", b"/") != y.replace(b"/out/", b"/"):
            print("report differs:", r["report"]); sys.exit(1)
PYEOF
done
if [ $store = 1 ]; then
  # nothing duplicated or lost in the store: same documents as after the uninterrupted run
  a=$("$ADAL" corpus list --db ref-store.db 2>/dev/null | wc -l)
  b=$("$ADAL" corpus list --db run.db 2>/dev/null | wc -l)
  [ "$a" = "$b" ] || fail "store holds $b entries, uninterrupted run $a"
fi
echo "$rounds rounds, $killed killed mid-run: rerun always completes with the same output"
