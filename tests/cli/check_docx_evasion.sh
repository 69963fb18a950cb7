#!/usr/bin/env bash
# A real DOCX (python-docx) that disguises a copied Abai paragraph: homoglyphs in every third
# word, a hidden run, a white run and a 1 pt run inside it. check still finds the source,
# and the report's evasion section counts each trick with its location; the text view flags
# the document as suspicious.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
D="$ROOT/tests/data/office/kk_disguised.docx"
e=$($ADAL extract "$D" 2>&1 >/dev/null)
case $e in *"not built yet"*) echo "DOCX reader not built yet"; exit 77;; esac
$ADAL check "$D" --against refs/ --format json > "$TMP/r.json"; rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || fail "exit $rc"
python3 - "$TMP/r.json" <<'PY' || fail "report"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "docx", d["format"]
assert d["sources"] and d["sources"][0]["id"] == "refs/abai_38.txt", d["sources"]
assert d["sources"][0]["percent"] > 30, d["sources"][0]["percent"]
c = d["evasion"]["counts"]
for kind in ("hidden", "white", "tiny", "homoglyph"):
    assert c[kind]["count"] >= 1, (kind, c)
assert d["evasion"]["suspicious"] is True, d["evasion"]
hidden = [f for f in d["evasion"]["findings"] if f["kind"] == "hidden"]
assert hidden[0]["part"] == "body" and hidden[0]["para"] == 1, hidden
assert "жасырын" in hidden[0]["text"], hidden
PY
$ADAL check "$D" --against refs/ > "$TMP/r.txt"
grep -q '^Evasion:.*hidden 1' "$TMP/r.txt" || fail "text evasion line"
grep -q 'SUSPICIOUS' "$TMP/r.txt" || fail "not flagged"
exit 0
