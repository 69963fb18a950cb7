#!/usr/bin/env bash
# `adal corpus add` of the bundled sample corpus (corpus/sources, a folder: recursive), then
# list and stats in text and JSON; re-adding is a no-op; --db, else $ADAL_DB, else ./adal.db.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
DB="$TMP/c.db"
$ADAL corpus add "$ROOT/corpus/sources" --db "$DB" --label literature >"$TMP/out" 2>"$TMP/err"
rc=$?; [ $rc = 0 ] || { cat "$TMP/err"; fail "add exit $rc"; }
n=$(ls "$ROOT/corpus/sources" | wc -l)
[ "$(grep -c '^added ' "$TMP/out")" = "$n" ] || { cat "$TMP/out"; fail "want $n added"; }
grep -q "^adal: $n added, 0 already stored, 0 failed$" "$TMP/err" || { cat "$TMP/err"; fail "summary"; }
# the same files again: nothing added, same ids
$ADAL corpus add "$ROOT/corpus/sources" --db "$DB" >"$TMP/out2" 2>/dev/null || fail "re-add exit"
[ "$(grep -c '^exists ' "$TMP/out2")" = "$n" ] || { cat "$TMP/out2"; fail "re-add not a no-op"; }
# list: a header and one row per document; JSON Lines with the documented keys
$ADAL corpus list --db "$DB" >"$TMP/list" || fail "list exit"
[ "$(wc -l < "$TMP/list")" = $((n + 1)) ] || { cat "$TMP/list"; fail "list rows"; }
grep -q "abai-37.docx" "$TMP/list" || fail "docx not listed"
$ADAL corpus list --db "$DB" --format json >"$TMP/list.jsonl" || fail "list json exit"
python3 - "$TMP/list.jsonl" "$n" <<'PY' || fail "list json"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == int(sys.argv[2]), len(rows)
for i, r in enumerate(rows, 1):
    assert set(r) == {"format_version", "id", "kind", "name", "label", "student", "hash", "chars", "fingerprints", "added"}, r
    assert r["format_version"] == 1 and r["id"] == i and r["kind"] == "source" and r["label"] == "literature" and r["student"] == ""
    assert len(r["hash"]) == 32 and r["chars"] > 0 and r["fingerprints"] > 0 and r["added"] > 1.7e9
PY
# stats, text and JSON
$ADAL corpus stats --db "$DB" >"$TMP/stats" || fail "stats exit"
grep -q "^documents     $n ($n sources, 0 submissions)$" "$TMP/stats" || { cat "$TMP/stats"; fail "stats text"; }
grep -q "^size on disk  " "$TMP/stats" || fail "stats size"
$ADAL corpus stats --db "$DB" --format json >"$TMP/stats.json" || fail "stats json exit"
python3 - "$TMP/stats.json" "$TMP/list.jsonl" "$n" <<'PY' || fail "stats json"
import json, os, sys
s = json.load(open(sys.argv[1]))
rows = [json.loads(l) for l in open(sys.argv[2])]
assert s["format_version"] == 1 and s["documents"] == int(sys.argv[3]) == s["sources"], s
assert s["submissions"] == 0
assert s["fingerprints"] == sum(r["fingerprints"] for r in rows), s
assert s["bytes_on_disk"] > 0 and s["bytes_per_document"] == round(s["bytes_on_disk"] / s["documents"]), s
PY
# submissions with a student; ADAL_DB as the default store
ADAL_DB="$DB" $ADAL corpus add "$ROOT/corpus/course/01-Aigerim" --kind submission --student Aigerim \
  >/dev/null 2>&1 || fail "add submission"
ADAL_DB="$DB" $ADAL corpus list --format json | tail -1 | grep -q '"kind":"submission","name":"essay.docx","label":"","student":"Aigerim"' \
  || fail "submission row"
# ./adal.db when neither is given
(cd "$TMP" && $ADAL corpus add "$ROOT/corpus/sources/abai-07.txt" >/dev/null 2>&1) || fail "default db"
[ -s "$TMP/adal.db" ] || fail "no ./adal.db"
$ADAL corpus verify --db "$DB" | grep -q ": ok$" || fail "verify"
# usage errors: exit 2
$ADAL corpus --db "$DB" >/dev/null 2>&1; [ $? = 2 ] || fail "no subcommand"
$ADAL corpus frobnicate --db "$DB" >/dev/null 2>&1; [ $? = 2 ] || fail "bad subcommand"
$ADAL corpus add x --kind essay --db "$DB" >/dev/null 2>&1; [ $? = 2 ] || fail "bad kind"
$ADAL corpus list --db "$TMP/none.db" 2>"$TMP/e"; [ $? = 2 ] || fail "missing store"
grep -q "^adal: $TMP/none.db: " "$TMP/e" || { cat "$TMP/e"; fail "missing store message"; }
[ ! -e "$TMP/none.db" ] || fail "list created a store"
exit 0
