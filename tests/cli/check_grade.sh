#!/usr/bin/env bash
# adal grade: the DESIGN.md §2 example in text and JSON, decimal comma, and exit 2 on bad input.
set -u
out=$($ADAL grade 100 75 60 45 100 49) || { echo "exit $?"; exit 1; }
[ "$out" = "mean 71.5 of 6 -> 72: C+ (2.33) Жақсы / Хорошо / Good" ] || { echo "got: $out"; exit 1; }
json=$($ADAL grade 100 75 60 45 100 49 --format json) || exit 1
echo "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["rounded"] == 72 and d["letter"] == "C+" and d["mean"] == 71.5, d
assert d["word_kk"] == "Жақсы" and d["word_ru"] == "Хорошо", d
' || exit 1
[ "$($ADAL grade 89,5 90%)" = "mean 89.75 of 2 -> 90: A- (3.67) Өте жақсы / Отлично / Excellent" ] || exit 1
for bad in "101" "-1" "abc" "nan" ""; do
  $ADAL grade 50 "$bad" >/dev/null 2>&1; rc=$?
  [ $rc = 2 ] || { echo "grade 50 '$bad' exited $rc, want 2"; exit 1; }
done
$ADAL grade >/dev/null 2>&1; [ $? = 2 ] || exit 1
err=$($ADAL grade 50 120 2>&1 >/dev/null); case $err in "adal: "*) ;; *) echo "stderr: $err"; exit 1;; esac
exit 0
