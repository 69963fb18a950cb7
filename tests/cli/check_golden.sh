#!/usr/bin/env bash
# Golden files: text, JSON and CSV reports of the fixtures are byte-for-byte what
# tests/golden/ holds (`make golden-update` rewrites them after an intended change).
. "$ROOT/tests/cli/lib/check.sh"
need_engine
ls "$ROOT"/tests/golden/*.csv >/dev/null 2>&1 || { echo "no golden files yet (make golden-update)"; exit 77; }
ADAL=$ADAL_BIN "$ROOT/tests/golden/run.sh" check
