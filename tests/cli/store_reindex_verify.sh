#!/usr/bin/env bash
# A store made with another fold version is refused by check and corpus commands (exit 2, a
# message naming `adal corpus reindex`), `adal corpus reindex` rebuilds it, and `adal corpus
# verify` passes; a damaged file fails verify with exit 2.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
DB="$TMP/c.db"
$ADAL corpus add "$ROOT/corpus/sources" --db "$DB" >/dev/null 2>&1 || fail "add"
$ADAL check "$ROOT/corpus/course/02-Daniyar/essay.docx" --db "$DB" --format json >"$TMP/before.json" 2>/dev/null
python3 -c "
import sqlite3; c = sqlite3.connect('$DB'); c.execute(\"UPDATE meta SET value='0' WHERE key='fold_version'\"); c.commit()"
$ADAL check "$ROOT/corpus/course/02-Daniyar/essay.docx" --db "$DB" >/dev/null 2>"$TMP/e"; rc=$?
[ $rc = 2 ] || fail "check on an old store: exit $rc, want 2"
grep -q "^adal: $DB: .*adal corpus reindex.*\[version\]$" "$TMP/e" || { cat "$TMP/e"; fail "message"; }
$ADAL corpus add "$ROOT/corpus/sources/abai-07.txt" --db "$DB" >/dev/null 2>&1; [ $? = 2 ] || fail "add on an old store"
$ADAL corpus reindex --db "$DB" >"$TMP/out" 2>&1 || { cat "$TMP/out"; fail "reindex"; }
$ADAL corpus verify --db "$DB" | grep -q ": ok$" || fail "verify after reindex"
$ADAL check "$ROOT/corpus/course/02-Daniyar/essay.docx" --db "$DB" --format json >"$TMP/after.json" 2>/dev/null
cmp -s "$TMP/before.json" "$TMP/after.json" || fail "report changed by reindex"
# a damaged page: verify says so (exit 2, one line)
python3 - "$DB" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
ps = int.from_bytes(b[16:18], "big")
for page in range(len(b) // ps - 3, len(b) // ps):  # the last pages: postings and texts
    for i in range(page * ps + 8, page * ps + 40):
        b[i] ^= 0x5A
open(p, "wb").write(bytes(b))
PY
$ADAL corpus verify --db "$DB" >/dev/null 2>"$TMP/v"; rc=$?
[ $rc = 2 ] || fail "verify of a damaged store: exit $rc"
[ "$(wc -l < "$TMP/v")" = 1 ] || { cat "$TMP/v"; fail "want one line"; }
exit 0
