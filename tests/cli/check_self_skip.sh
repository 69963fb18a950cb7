#!/usr/bin/env bash
# A FILE that is also among the references (however its path is spelled) is not its own
# source; the other references still are.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
$ADAL check ./refs/abai_38.txt --against refs/ --format json > "$TMP/a.json"; rc=$?
[ $rc = 0 ] || fail "exit $rc, want 0 (nothing but itself to match)"
$ADAL check refs/abai_38.txt --against . --format json > "$TMP/b.json"; rc=$?
[ $rc = 1 ] || fail "exit $rc, want 1 (kk_copy.txt holds most of it)"
python3 - "$TMP/a.json" "$TMP/b.json" <<'PY' || fail "sources"
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
assert a["sources"] == [] and a["originality"] == 100.0, a["sources"]
ids = [s["id"] for s in b["sources"]]
assert ids[0] == "./essays/kk_copy.txt", ids
assert not any(i.endswith("abai_38.txt") for i in ids), ids
PY
exit 0
