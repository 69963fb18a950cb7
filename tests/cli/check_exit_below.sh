#!/usr/bin/env bash
# check exits 1 when an essay is below the threshold: kk_copy.txt is ~80 % Abai's 38th word.
# The default threshold is 60; --min-originality moves it.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
json=$($ADAL check essays/kk_copy.txt --against refs/ --format json); rc=$?
[ $rc = 1 ] || fail "exit $rc, want 1"
echo "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["borrowed"] > 50, d["borrowed"]
assert d["sources"][0]["id"] == "refs/abai_38.txt", d["sources"][0]["id"]
assert d["band"]["value"] < 60 and d["band"]["metric"] == "100-borrowed", d["band"]
' || fail "json"
# the same essay passes a threshold of 0, and a clean essay with it still exits 1
$ADAL check essays/kk_copy.txt --against refs/ --min-originality 0 >/dev/null || fail "min 0"
$ADAL check essays/ru_clean.txt essays/kk_copy.txt --against refs/ >/dev/null; rc=$?
[ $rc = 1 ] || fail "mixed: exit $rc, want 1"
exit 0
