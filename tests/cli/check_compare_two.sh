#!/usr/bin/env bash
# compare A B: both directions. The essay's passages found in Chekhov and Chekhov's found in
# the essay are the same borrowing seen from each side; the text view quotes both sides.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
$ADAL compare essays/ru_planted.txt refs/chekhov_vanka.txt --format json > "$TMP/c.json" || fail "exit $?"
python3 -m json.tool "$TMP/c.json" >/dev/null || fail "invalid JSON"
python3 - "$TMP/c.json" <<'PY' || fail "directions"
import json, sys
d = json.load(open(sys.argv[1]))
ab, ba = d["a_in_b"], d["b_in_a"]
assert ab["file"] == "essays/ru_planted.txt" and ba["file"] == "refs/chekhov_vanka.txt"
pa = ab["sources"][0]["passages"]; pb = ba["sources"][0]["passages"]
assert pa and pb
# the same copied words, seen from both sides
assert pa[0]["query"]["text"] == pb[0]["source"]["text"] or pa[0]["source"]["text"] == pb[0]["query"]["text"]
assert d["score"] == round(max(ab["sources"][0]["percent"], ba["sources"][0]["percent"]) / 100, 4)
PY
out=$($ADAL compare essays/ru_planted.txt refs/chekhov_vanka.txt --lang ru) || fail "text exit"
[ "$(echo "$out" | grep -c '^== ')" = 2 ] || fail "two reports"
echo "$out" | grep -q 'Оригинальность' || fail "ru labels"
echo "$out" | grep -q '│' || fail "no side-by-side view"
exit 0
