#!/usr/bin/env bash
# `adal check FILE --db PATH` gives the same report as `--against` the same sources (sample
# course against the sample sources), and --db beside --against puts both in one report.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
DB="$TMP/c.db"
$ADAL corpus add "$ROOT/corpus/sources" --db "$DB" >/dev/null 2>&1 || fail "add"
essays=$(ls "$ROOT"/corpus/course/*/*.docx "$ROOT"/corpus/course/*/*.odt "$ROOT"/corpus/course/*/*.txt 2>/dev/null | grep -v 13-Bolat)
for f in $essays; do
  $ADAL check "$f" --against "$ROOT/corpus/sources" --format json >"$TMP/a.json" 2>/dev/null
  ra=$?
  $ADAL check "$f" --db "$DB" --format json >"$TMP/b.json" 2>/dev/null
  rb=$?
  [ $ra = $rb ] || fail "$f: exit $ra with --against, $rb with --db"
  python3 - "$TMP/a.json" "$TMP/b.json" <<'PY' || fail "$f: reports differ"
import json, sys
a, b = (json.loads(open(p).readline()) for p in sys.argv[1:3])
for k in ("originality", "borrowed", "cited", "band"):
    assert a[k] == b[k], (k, a[k], b[k])
assert len(a["sources"]) == len(b["sources"])
for x, y in zip(a["sources"], b["sources"]):
    assert x["percent"] == y["percent"]
    assert y["id"].startswith("corpus:") and y["id"].endswith(x["id"].rsplit("/", 1)[-1]), (x["id"], y["id"])
    pa = [(p["query"]["start"], p["query"]["end"], p["source"]["start"], p["source"]["end"]) for p in x["passages"]]
    pb = [(p["query"]["start"], p["query"]["end"], p["source"]["start"], p["source"]["end"]) for p in y["passages"]]
    assert pa == pb and pa, (pa, pb)
PY
done
# both: the Abai sources from the store, the Russian ones from --against
DB2="$TMP/kk.db"
$ADAL corpus add "$ROOT"/corpus/sources/abai-* --db "$DB2" >/dev/null 2>&1 || fail "add abai"
$ADAL check "$ROOT/corpus/course/02-Daniyar/essay.docx" "$ROOT/corpus/course/03-Olga/essay.txt" \
  --db "$DB2" --against "$ROOT/corpus/sources/chekhov-hameleon.txt" \
  --against "$ROOT/corpus/sources/chekhov-tolstyj-i-tonkij.txt" \
  --against "$ROOT/corpus/sources/pushkin-kapitanskaya-dochka.txt" \
  --against "$ROOT/corpus/sources/turgenev-senilia.txt" --format json >"$TMP/both.jsonl" 2>/dev/null
$ADAL check "$ROOT/corpus/course/02-Daniyar/essay.docx" "$ROOT/corpus/course/03-Olga/essay.txt" \
  --against "$ROOT/corpus/sources" --format json >"$TMP/all.jsonl" 2>/dev/null
python3 - "$TMP/both.jsonl" "$TMP/all.jsonl" <<'PY' || fail "mixed report"
import json, sys
both = [json.loads(l) for l in open(sys.argv[1])]
allr = [json.loads(l) for l in open(sys.argv[2])]
assert len(both) == 2
for x, y in zip(both, allr):
    assert x["originality"] == y["originality"] and x["borrowed"] == y["borrowed"], (x["file"], x["originality"], y["originality"])
ids = [s["id"] for r in both for s in r["sources"]]
assert any(i.startswith("corpus:") for i in ids) and any(not i.startswith("corpus:") for i in ids), ids
PY
# a stored copy of the essay is not its own source
$ADAL corpus add "$ROOT/corpus/course/03-Olga/essay.txt" --db "$DB" >/dev/null 2>&1
$ADAL check "$ROOT/corpus/course/03-Olga/essay.txt" --db "$DB" --format json >"$TMP/self.json" 2>/dev/null
python3 -c "
import json,sys; r=json.loads(open('$TMP/self.json').readline())
assert all('essay.txt' not in s['id'] for s in r['sources']), r['sources']" || fail "self match"
# ADAL_DB is used by check when set; a missing store is an error (exit 2), not ignored
ADAL_DB="$DB" $ADAL check "$ROOT/corpus/course/02-Daniyar/essay.docx" --format json 2>/dev/null \
  | grep -q '"corpus:' || fail "ADAL_DB not used by check"
$ADAL check "$ROOT/corpus/course/02-Daniyar/essay.docx" --db "$TMP/none.db" >/dev/null 2>"$TMP/e"
[ $? = 2 ] || fail "missing store: want exit 2"
grep -q "^adal: $TMP/none.db: " "$TMP/e" || fail "missing store message"
exit 0
