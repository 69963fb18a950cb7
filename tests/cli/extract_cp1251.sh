#!/usr/bin/env bash
# extract_cp1251.sh — `adal extract` on a Russian text file in CP1251 (Chekhov, made by
# tests/data/gen/make_txt_fixtures.py) names the encoding and prints the right Cyrillic text.
set -u
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
f="$ROOT/tests/data/txt/ru.cp1251.txt"
out=$($ADAL_WRAP "$ADAL" extract "$f" 2>"$tmp"); rc=$?
err=$(cat "$tmp")
if grep -q "not built yet" <<<"$err"; then echo "normaliser not built yet"; exit 77; fi
[ "$rc" = 0 ] || { echo "exit $rc: $err"; exit 1; }
grep -qF "== $f (txt, CP1251)" <<<"$out" || { echo "no header with CP1251: $out" | head -3; exit 1; }
grep -qF "[body 0] Антон Чехов" <<<"$out" || { echo "first paragraph wrong"; exit 1; }
grep -qF "[body 2] В самом дешевом номерке меблированных комнат «Лиссабон»" <<<"$out" ||
  { echo "third paragraph wrong"; exit 1; }
# forcing the wrong single-byte code page changes the text (mojibake), and says so
out=$($ADAL_WRAP "$ADAL" extract --encoding KOI8-R "$f" 2>/dev/null)
grep -qF "(txt, KOI8-R)" <<<"$out" || { echo "--encoding ignored"; exit 1; }
grep -qF "Антон Чехов" <<<"$out" && { echo "--encoding KOI8-R still gave CP1251 text"; exit 1; }
exit 0
