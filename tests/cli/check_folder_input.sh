#!/usr/bin/env bash
# check DIR: a folder among the FILEs stands for its documents, recursively, in byte order,
# between the FILEs given before and after it.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
$ADAL check refs/gogol_nos.txt essays --against refs/ --format csv > "$TMP/o.csv"; rc=$?
[ $rc = 1 ] || fail "exit $rc, want 1"
cut -d, -f1 "$TMP/o.csv" > "$TMP/files"
printf '%s\n' file refs/gogol_nos.txt essays/kk_copy.txt essays/kk_planted.txt \
  essays/ru_clean.txt essays/ru_planted.txt | diff - "$TMP/files" || fail "files or order"
exit 0
