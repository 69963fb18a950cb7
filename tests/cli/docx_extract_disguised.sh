#!/usr/bin/env bash
# docx_extract_disguised.sh — `adal extract --format json` on a DOCX whose word gaps hide
# filler in white text, and on its LibreOffice ODT cousin: the printed text is the plain
# sentence, the evasion block counts every trick and flags the document as suspicious.
set -u
d="$ROOT/tests/data/docx"
out=$($ADAL_WRAP "$ADAL" extract --format json "$d/disguised_white.docx") || { echo "exit $?"; exit 1; }
python3 - "$out" <<'PY' || exit 1
import json, sys
doc = json.loads(sys.argv[1])
text = "".join(s["text"] for s in doc["segments"])
assert text.startswith("Бұл жасқа келгенше жақсы"), text[:80]
assert "жасырын" not in text, "hidden filler leaked into the text"
ev = doc["evasion"]
assert ev["suspicious"] is True, ev
assert ev["counts"]["white"]["count"] == 27, ev["counts"]["white"]
assert all(f["kind"] == "white" and f["part"] == "body" for f in ev["findings"]), ev["findings"][:2]
PY
out=$($ADAL_WRAP "$ADAL" extract "$d/lo_tricks.odt") || { echo "odt: exit $?"; exit 1; }
grep -qF "== $d/lo_tricks.odt (odt)" <<<"$out" || { echo "odt header: $out" | head -3; exit 1; }
grep -qF "[footnote 0] Вместо веселого свадебного бала" <<<"$out" || { echo "odt footnote missing"; exit 1; }
if grep -q "жасырын" <(grep '^\[' <<<"$out"); then echo "odt: filler in the text"; exit 1; fi
exit 0
