#!/usr/bin/env bash
# `adal check --format html` and `adal summary` from the command line: -o writes one page
# with the same exit status as the other formats, several essays are refused, compare refuses
# html, the label language follows --lang, then $ADAL_LANG, then the locale, else Kazakh;
# `adal summary` rewrites index.html and an Excel summary.csv, and fails cleanly on a folder
# without summary.json.
. "$ROOT/tests/cli/lib/check.sh"
need_engine
export ADAL_LANG=en
$ADAL check essays/kk_planted.txt --against refs/ --format html -o "$TMP/r.html"
rc=$?; [ $rc = 1 ] || fail "check --format html exit $rc, want 1 (below the threshold)"
head -c 15 "$TMP/r.html" | grep -q '<!DOCTYPE html>' || fail "no HTML page written"
grep -q '<html lang="en">' "$TMP/r.html" || fail "ADAL_LANG=en not honoured"
grep -q 'id="originality" data-value="58.8"' "$TMP/r.html" || fail "originality missing"
tail -c 8 "$TMP/r.html" | grep -q '</html>' || fail "page not complete"
$ADAL check essays/kk_planted.txt essays/ru_clean.txt --against refs/ --format html >/dev/null 2>"$TMP/e"
[ $? = 2 ] && grep -q "one essay" "$TMP/e" || fail "two essays as one html page not refused"
$ADAL compare essays/ru_planted.txt refs/chekhov_vanka.txt --format html >/dev/null 2>"$TMP/e"
[ $? = 2 ] && grep -q "html is for check" "$TMP/e" || fail "compare --format html not refused"
# language: option > ADAL_LANG > LC_ALL/LC_MESSAGES/LANG > Kazakh
lang_of() { grep -o '<html lang="[a-z]*">' "$1"; }
$ADAL check essays/kk_planted.txt --against refs/ --format html --lang ru -o "$TMP/ru.html"
[ "$(lang_of "$TMP/ru.html")" = '<html lang="ru">' ] || fail "--lang ru"
grep -q 'Оригинальность' "$TMP/ru.html" || fail "no Russian labels"
env -u ADAL_LANG -u LC_ALL -u LC_MESSAGES LANG=ru_RU.UTF-8 $ADAL check essays/kk_planted.txt --against refs/ | grep -q '^Оригинальность' || fail "LANG=ru_RU not honoured"
env -u ADAL_LANG -u LC_ALL -u LC_MESSAGES -u LANG $ADAL check essays/kk_planted.txt --against refs/ | grep -q '^Түпнұсқалылық' || fail "default is not Kazakh"
env -u LC_ALL -u LC_MESSAGES LANG=ru_RU.UTF-8 ADAL_LANG=kk $ADAL check essays/kk_planted.txt --against refs/ | grep -q '^Түпнұсқалылық' || fail "ADAL_LANG does not win over LANG"
env -u ADAL_LANG LC_ALL=en_US.UTF-8 LANG=kk_KZ.UTF-8 $ADAL check essays/kk_planted.txt --against refs/ | grep -q '^Originality' || fail "LC_ALL does not win over LANG"
# Excel CSV from check
$ADAL check essays/ru_planted.txt --against refs/ --format csv --csv-sep ';' --csv-bom -o "$TMP/x.csv"
head -c 3 "$TMP/x.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "no BOM"
grep -q '^essays/ru_planted.txt;66,0;34,0;0,0;' "$TMP/x.csv" || fail "no ; and decimal comma"
$ADAL check essays/ru_planted.txt --against refs/ --format csv --csv-sep x >/dev/null 2>&1
[ $? = 2 ] || fail "bad --csv-sep accepted"
# summary
mkdir -p "$TMP/out"; cp "$ROOT/tests/data/batch/out/summary.json" "$TMP/out/"
$ADAL summary "$TMP/out" --csv-sep , --no-csv-bom || fail "adal summary failed"
head -1 "$TMP/out/summary.csv" | grep -q '^student,file,originality,borrowed,cited,band,borderline,top_source,cluster,error' || fail "summary.csv header"
grep -q '<html lang="en">' "$TMP/out/index.html" || fail "summary language"
$ADAL summary "$TMP" 2>"$TMP/e"; [ $? = 2 ] && grep -q "summary.json" "$TMP/e" || fail "missing summary.json not reported"
$ADAL summary 2>/dev/null; [ $? = 2 ] || fail "summary without a folder accepted"
exit 0
