#!/usr/bin/env bash
# check exits 0 when every essay is at or above the threshold: a Turgenev text found in no
# reference is 100 % original; the text report names the shares and the band.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
out=$($ADAL check essays/ru_clean.txt --against refs/); rc=$?
[ $rc = 0 ] || fail "exit $rc, want 0"
echo "$out" | grep -q '^Originality 100.0 % | Borrowed 0.0 % | Cited 0.0 %' || fail "shares: $out"
echo "$out" | grep -q '^Band 90-100' || fail "band: $out"
echo "$out" | grep -q '^Sources: 0' || fail "sources: $out"
# the threshold is inclusive: 100 is at or above 100
$ADAL check essays/ru_clean.txt --against refs/ --min-originality 100 >/dev/null || fail "min 100"
exit 0
