#!/usr/bin/env bash
# compare --all on a folder of real Kazakh and Russian texts: CSV `fileA,fileB,score`, the
# planted near-copy (essays/kk_copy.txt ← refs/abai_38.txt) ranked first, the two smaller
# planted borrowings found, the clean Turgenev text in no pair, fileA < fileB, 4 decimals,
# and the same bytes whatever the number of threads.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
$ADAL compare --all . --jobs 2 > "$TMP/all.csv"; rc=$?
[ $rc = 0 ] || fail "exit $rc"
head -1 "$TMP/all.csv" | grep -qx 'fileA,fileB,score' || fail "header: $(head -1 "$TMP/all.csv")"
sed -n 2p "$TMP/all.csv" | grep -q '^./essays/kk_copy.txt,./refs/abai_38.txt,0\.[5-9][0-9]\{3\}$' \
  || { cat "$TMP/all.csv"; fail "planted copy not first"; }
grep -q '^./essays/kk_planted.txt,./refs/abai_25.txt,0\.[0-9]\{4\}$' "$TMP/all.csv" || fail "kk_planted"
grep -q '^./essays/ru_planted.txt,./refs/chekhov_vanka.txt,0\.[0-9]\{4\}$' "$TMP/all.csv" || fail "ru_planted"
grep -q 'ru_clean' "$TMP/all.csv" && fail "clean text in a pair"
python3 - "$TMP/all.csv" <<'PY' || fail "order"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert all(r["fileA"] < r["fileB"] for r in rows)
scores = [float(r["score"]) for r in rows]
assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
PY
$ADAL compare --all . --jobs 1 > "$TMP/one.csv" || fail "jobs 1"
cmp -s "$TMP/all.csv" "$TMP/one.csv" || fail "output depends on --jobs"
# --all-pairs lists every pair of the 9 files, zeros included
$ADAL compare --all . --all-pairs > "$TMP/pairs.csv" || fail "all-pairs"
[ "$(($(wc -l < "$TMP/pairs.csv") - 1))" = 36 ] || fail "want 36 pairs"
$ADAL compare --all . --format json | python3 -m json.tool >/dev/null || fail "json"
# an unreadable file under DIR: named on stderr, exit 2, the other pairs still written
mkdir "$TMP/d" && cp -r essays refs "$TMP/d/" && printf '%%PDF-1.5\n' > "$TMP/d/essays/scan.pdf"
(cd "$TMP/d" && $ADAL compare --all . > out.csv 2> err); rc=$?
[ $rc = 2 ] || fail "unreadable file: exit $rc, want 2"
grep -q '^adal: ./essays/scan.pdf: ' "$TMP/d/err" || fail "stderr: $(cat "$TMP/d/err")"
cmp -s "$TMP/d/out.csv" "$TMP/all.csv" || fail "pairs changed by the bad file"
exit 0
