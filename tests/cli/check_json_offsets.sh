#!/usr/bin/env bash
# --format json: valid JSON (python3 -m json.tool), and the passage offsets are UTF-16 code
# units into the extracted text: slicing the essay's own text there gives the quoted text,
# and the planted Abai paragraph is found in refs/abai_25.txt.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
$ADAL check essays/kk_planted.txt --against refs/ --format json > "$TMP/r.json"; rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || fail "exit $rc"
python3 -m json.tool "$TMP/r.json" >/dev/null || fail "invalid JSON"
python3 - "$TMP/r.json" <<'PY' || fail "offsets"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format_version"] == 1
text = open("essays/kk_planted.txt", encoding="utf-8").read()
src = open("refs/abai_25.txt", encoding="utf-8").read()
assert d["sources"] and d["sources"][0]["id"] == "refs/abai_25.txt", d["sources"]
s = d["sources"][0]
assert 15 < s["percent"] < 60, s["percent"]
assert abs(d["originality"] + d["borrowed"] + d["cited"] - 100) <= 0.15
for p in s["passages"]:
    q, r = p["query"], p["source"]
    assert text[q["start"]:q["end"]] == q["text"], (q, text[q["start"]:q["end"]])
    assert src[r["start"]:r["end"]] == r["text"]
    assert 0 < p["similarity"] <= 1 and q["ntokens"] >= 8
for k in ("hidden", "homoglyph", "invisible"):
    assert k in d["evasion"]["counts"]
PY
exit 0
