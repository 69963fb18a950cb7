#!/usr/bin/env bash
# --template: the assignment's own wording, copied into the essay, is excluded from the
# countable text, and the report says how much and why (excluded.percent, excluded.reasons).
. "$ROOT/tests/cli/lib/check.sh"
need_engine
$ADAL check essays/kk_planted.txt --against refs/ --format json > "$TMP/plain.json"
$ADAL check essays/kk_planted.txt --against refs/ --template ../template_kk.txt --format json > "$TMP/t.json"
python3 - "$TMP/plain.json" "$TMP/t.json" <<'PY' || fail "template"
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
assert a["excluded"]["percent"] == 0 and a["excluded"]["reasons"] == [], a["excluded"]
assert 5 < b["excluded"]["percent"] < 50, b["excluded"]
assert any("template" in r for r in b["excluded"]["reasons"]), b["excluded"]
# the same borrowed characters now weigh more: the template text no longer counts
assert b["borrowed"] > a["borrowed"], (a["borrowed"], b["borrowed"])
PY
# a template that cannot be read is an error (exit 2), not silently ignored
$ADAL check essays/kk_planted.txt --template "$TMP/none.docx" >/dev/null 2>&1; [ $? = 2 ] || fail "missing template"
exit 0
