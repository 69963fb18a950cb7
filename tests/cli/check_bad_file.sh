#!/usr/bin/env bash
# A bad file among good ones: exit 2, one `adal: FILE: message [code]` line per bad file on
# stderr, and the good files are still checked and reported (JSON Lines, CSV error rows).
. "$ROOT/tests/cli/lib/check.sh"
need_engine
printf '%%PDF-1.4\n%%binary\n' > "$TMP/scan.pdf"
printf '\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1' > "$TMP/old.doc"
$ADAL check essays/ru_clean.txt "$TMP/scan.pdf" "$TMP/missing.docx" essays/kk_copy.txt \
  --against refs/ --format json >"$TMP/out.jsonl" 2>"$TMP/err"; rc=$?
[ $rc = 2 ] || fail "exit $rc, want 2 (an error wins over a low score)"
[ "$(wc -l < "$TMP/err")" = 2 ] || { cat "$TMP/err"; fail "want 2 stderr lines"; }
grep -q "^adal: $TMP/scan.pdf: .*\[unsupported\]$" "$TMP/err" || { cat "$TMP/err"; fail "pdf line"; }
grep -q "^adal: $TMP/missing.docx: " "$TMP/err" || fail "missing line"
python3 -m json.tool --json-lines "$TMP/out.jsonl" >/dev/null || fail "not JSON Lines"
python3 - "$TMP/out.jsonl" <<'PY' || fail "records"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["file"].rsplit("/", 1)[-1] for r in rows] == ["ru_clean.txt", "scan.pdf", "missing.docx", "kk_copy.txt"], rows
assert "error" not in rows[0] and rows[0]["originality"] == 100.0
assert rows[1]["error"]["code"] == "unsupported" and rows[2]["error"]["code"] == "io", rows[1:3]
assert rows[3]["borrowed"] > 50
PY
# CSV: a row per file, the error column set for the bad ones
$ADAL check essays/ru_clean.txt "$TMP/old.doc" --against refs/ --format csv -o "$TMP/out.csv" 2>/dev/null
rc=$?; [ $rc = 2 ] || fail "csv exit $rc"
python3 - "$TMP/out.csv" <<'PY' || fail "csv"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 2, rows
assert rows[0]["error"] == "" and rows[0]["originality"] == "100.0", rows[0]
assert rows[1]["error"].split(":")[0] in ("legacy-doc", "not-a-document", "corrupt"), rows[1]
assert rows[1]["originality"] == "", rows[1]
PY
# an unreadable reference is a warning, not an error
$ADAL check essays/ru_clean.txt --against refs/ --against "$TMP/scan.pdf" >/dev/null 2>"$TMP/err2"
rc=$?; [ $rc = 0 ] || fail "bad reference: exit $rc, want 0"
grep -q "reference skipped" "$TMP/err2" || fail "no warning for the bad reference"
exit 0
