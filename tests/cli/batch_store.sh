#!/usr/bin/env bash
# batch_store.sh — `adal batch --db`: the course is checked against the corpus store (sources
# added with `corpus add`) and each submission joins the store (kind submission, student set)
# unless --no-add; the next day's batch does not report a student's own earlier version
# (Zhanna's v1, stored yesterday) against her new one; next year's course finds this year's
# stored essays; a rerun adds nothing twice; `adal check --db` works while a batch writes.
set -u
: "${ADAL:?}" "${ROOT:?}"
[ -n "${ADAL_WRAP:-}" ] && ADAL="$ADAL_WRAP $ADAL"
$ADAL corpus --help >/dev/null 2>&1 || { echo "no corpus store in this build"; exit 77; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$TMP"
cp -r "$ROOT/corpus/course" course
mv course/12-Zhanna/essay-v2.docx v2.docx   # day 1: only the draft
$ADAL corpus add --db c.db --kind source "$ROOT/corpus/sources" >/dev/null 2>&1 || fail "corpus add"

$ADAL batch course --db c.db --out out -q 2>/dev/null
[ $? -eq 2 ] || fail "day 1: exit status (one broken file)"
n=$($ADAL corpus list --db c.db | grep -c submission)
[ "$n" -eq 12 ] || fail "day 1: $n submissions stored, expected 12"
$ADAL corpus list --db c.db | grep submission | grep -q '12-Zhanna' || fail "student not stored"
python3 - <<'PYEOF' || exit 1
import json, sys
d = json.load(open("out/summary.json"))
r = {x["file"]: x for x in d["submissions"]}
t = r["02-Daniyar/essay.docx"]
assert t["top_source"].endswith("abai-17.txt") and t["top_source"].startswith("corpus:"), t
assert t["borrowed"] > 85, t
z = r["12-Zhanna/essay-v1.docx"]
assert z["status"] == "checked" and z["borrowed"] > 40, z
PYEOF

# day 2: the final version arrives; the draft (stored yesterday) must not count against it
mv v2.docx course/12-Zhanna/essay-v2.docx
touch course/12-Zhanna/essay-v2.docx
$ADAL batch course --db c.db --out out 2>err.txt
cat err.txt
python3 - <<'PYEOF' || exit 1
import json, sys
d = json.load(open("out/summary.json"))
r = {x["file"]: x for x in d["submissions"]}
assert r["12-Zhanna/essay-v1.docx"]["status"] == "superseded", r["12-Zhanna/essay-v1.docx"]
v2 = r["12-Zhanna/essay-v2.docx"]
assert v2["status"] == "checked" and v2["borrowed"] < 5, v2
rep = json.load(open("out/" + v2["report"]))
ids = [s["id"] for s in rep["sources"]]
assert not any("essay-v1" in i for i in ids), ids
assert r["05-Timur/essay.docx"]["status"] == "unchanged", r["05-Timur/essay.docx"]
assert r["05-Timur/essay.docx"]["cluster"] is not None
PYEOF
n=$($ADAL corpus list --db c.db | grep -c submission)
[ "$n" -eq 13 ] || fail "day 2: $n submissions stored, expected 13 (v2 added, nothing twice)"
$ADAL batch course --db c.db --out out --force -q 2>/dev/null
n=$($ADAL corpus list --db c.db | grep -c submission)
[ "$n" -eq 13 ] || fail "rerun added again: $n"
$ADAL corpus verify --db c.db >/dev/null || fail "store integrity"

# next year: a new student hands in Timur's essay; --no-add leaves the store alone
mkdir -p next/01-New
cp "$ROOT/corpus/course/05-Timur/essay.docx" next/01-New/essay.docx
cp "$ROOT/corpus/course/01-Aigerim/essay.docx" next/01-Aigerim2.docx 2>/dev/null
$ADAL batch next --db c.db --out out-next --no-add -q 2>/dev/null
python3 - <<'PYEOF' || exit 1
import json
d = json.load(open("out-next/summary.json"))
r = {x["file"]: x for x in d["submissions"]}
n = r["01-New/essay.docx"]
assert n["top_source"].startswith("corpus:") and n["top_source"].endswith("essay.docx"), n
assert n["borrowed"] > 60, n
PYEOF
n=$($ADAL corpus list --db c.db | grep -c submission)
[ "$n" -eq 13 ] || fail "--no-add added: $n"

# check --db while a batch writes to the store
mkdir big
for k in 1 2 3 4 5 6; do
  for s in "$ROOT"/corpus/course/*/; do
    b=$(basename "$s"); mkdir -p "big/$k-$b"; cp "$s"/* "big/$k-$b/"
    printf '\nЖыл %s, студент %s.\n' "$k" "$b" >> "big/$k-$b/$(ls "$s" | head -1)" 2>/dev/null
  done
done
$ADAL batch big --db c.db --out out-big --jobs 2 -q 2>/dev/null &
pid=$!
ok=0
for i in 1 2 3 4 5 6 7 8; do
  $ADAL check "$ROOT/corpus/course/02-Daniyar/essay.docx" --db c.db --format json > chk.json 2>chk.err
  rc=$?
  [ $rc -le 1 ] || fail "check --db during a batch exited $rc: $(cat chk.err)"
  grep -q '"borrowed"' chk.json || fail "check --db during a batch: no report"
  ok=$((ok + 1))
done
wait $pid
[ $? -le 2 ] || fail "big batch crashed"
$ADAL corpus verify --db c.db >/dev/null || fail "store integrity after concurrent use"
echo "store batch ok ($ok checks while a batch wrote)"
