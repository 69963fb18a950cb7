#!/usr/bin/env bash
# docs/FORMATS.md documents every field adal writes: each key of the check JSON (at every
# level), of an error object, of compare's JSON and the CSV header columns appear there
# in backquotes.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
$ADAL check essays/kk_planted.txt "$TMP/missing.txt" --against refs/ --format json > "$TMP/c.jsonl" 2>/dev/null
$ADAL compare essays/ru_planted.txt refs/chekhov_vanka.txt --format json > "$TMP/p.json"
$ADAL compare --all . --format json > "$TMP/all.json"
$ADAL check essays/kk_planted.txt --format csv | head -1 > "$TMP/h.csv"
python3 - "$ROOT/docs/FORMATS.md" "$TMP/c.jsonl" "$TMP/p.json" "$TMP/all.json" "$TMP/h.csv" <<'PY' || fail "undocumented fields"
import json, re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
documented = set(re.findall(r"`([a-z_0-9]+)`", doc)) | set(re.findall(r"[{,]\s*\"?([a-z_]+)\"?", doc))
keys = set()
def walk(v, skip_counts=False):
    if isinstance(v, dict):
        for k, x in v.items():
            if not skip_counts:
                keys.add(k)
            walk(x, k == "counts")
    elif isinstance(v, list):
        for x in v:
            walk(x)
for line in open(sys.argv[2]):
    walk(json.loads(line))
walk(json.load(open(sys.argv[3])))
walk(json.load(open(sys.argv[4])))
keys |= set(open(sys.argv[5]).read().strip().split(","))
missing = sorted(k for k in keys if k not in documented)
assert not missing, "not in docs/FORMATS.md: %s" % missing
assert len(keys) > 40, len(keys)
PY
exit 0
