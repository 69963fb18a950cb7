#!/usr/bin/env bash
# A bad file among good ones in `corpus add`: one `adal: FILE: message [code]` line each,
# the good ones are still added, exit 2 at the end; the store stays consistent.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
DB="$TMP/c.db"
mkdir -p "$TMP/in/sub"
cp "$ROOT/corpus/sources/abai-07.txt" "$TMP/in/"
cp "$ROOT/corpus/sources/abai-37.docx" "$TMP/in/sub/"
printf '%%PDF-1.4\n%%binary\n' > "$TMP/in/scan.pdf"
head -c 3000 "$ROOT/corpus/sources/abai-37.docx" > "$TMP/in/sub/broken.docx"
$ADAL corpus add "$TMP/in" "$TMP/missing.txt" --db "$DB" >"$TMP/out" 2>"$TMP/err"; rc=$?
[ $rc = 2 ] || fail "exit $rc, want 2"
grep -q "^adal: $TMP/in/scan.pdf: .*\[unsupported\]$" "$TMP/err" || { cat "$TMP/err"; fail "pdf line"; }
grep -q "^adal: $TMP/in/sub/broken.docx: .*\[" "$TMP/err" || { cat "$TMP/err"; fail "broken line"; }
grep -q "^adal: $TMP/missing.txt: " "$TMP/err" || { cat "$TMP/err"; fail "missing line"; }
[ "$(grep -c '^added ' "$TMP/out")" = 2 ] || { cat "$TMP/out"; fail "good files not added"; }
$ADAL corpus stats --db "$DB" --format json | grep -q '"documents":2,' || fail "stats"
$ADAL corpus verify --db "$DB" >/dev/null || fail "verify"
# remove by id and by hash; an unknown id is an error, the others still go
h=$($ADAL corpus list --db "$DB" --format json | head -1 | sed 's/.*"hash":"\([0-9a-f]*\)".*/\1/')
$ADAL corpus remove "$h" 2 999 --db "$DB" >"$TMP/rm" 2>"$TMP/rmerr"; rc=$?
[ $rc = 2 ] || fail "remove exit $rc"
[ "$(grep -c '^removed ' "$TMP/rm")" = 2 ] || { cat "$TMP/rm"; fail "removed"; }
grep -q "^adal: 999: no document 999 in the corpus \[invalid\]$" "$TMP/rmerr" || { cat "$TMP/rmerr"; fail "999"; }
$ADAL corpus stats --db "$DB" --format json | grep -q '"documents":0,"sources":0,"submissions":0,"fingerprints":0,' || fail "empty after remove"
$ADAL corpus verify --db "$DB" >/dev/null || fail "verify after remove"
exit 0
