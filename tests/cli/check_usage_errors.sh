#!/usr/bin/env bash
# check/compare: bad command lines exit 2 with a one-line `adal: ...` message, never 0 or 1.
. "$ROOT/tests/cli/lib/check.sh"
expect2() {
  local err; err=$("$@" 2>&1 >/dev/null); local rc=$?
  [ $rc = 2 ] || fail "$* exited $rc, want 2"
  case $err in "adal: "*|"usage: "*) ;; *) fail "$*: stderr '$err'";; esac
}
expect2 $ADAL check
expect2 $ADAL check essays/ru_clean.txt --format xml
expect2 $ADAL check essays/ru_clean.txt --min-originality 101
expect2 $ADAL check essays/ru_clean.txt --min-originality abc
expect2 $ADAL check essays/ru_clean.txt --lang fr
expect2 $ADAL check essays/ru_clean.txt --bogus
expect2 $ADAL check essays/ru_clean.txt --against
expect2 $ADAL check essays/ru_clean.txt --jobs 0
expect2 $ADAL compare essays/ru_clean.txt
expect2 $ADAL compare a b c
expect2 $ADAL compare essays/ru_clean.txt refs/gogol_nos.txt --format csv
expect2 $ADAL compare --all
expect2 $ADAL compare --all . --format yaml
$ADAL check --help | grep -q -- '--min-originality' || fail "check --help"
$ADAL compare --help | grep -q -- '--all-pairs' || fail "compare --help"
exit 0
