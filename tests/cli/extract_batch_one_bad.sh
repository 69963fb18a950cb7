#!/usr/bin/env bash
# extract_batch_one_bad.sh — several files with one bad one: the good ones are still
# printed, in order, the bad one gets one line on stderr, and the exit status is 2.
set -u
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
t="$ROOT/tests/data/txt" c="$ROOT/tests/data/cfb"
out=$($ADAL_WRAP "$ADAL" extract "$t/ru.cp1251.txt" "$c/encrypted-agile.cfb" "$t/kk.rk1048.txt" \
      2>"$tmp"); rc=$?
err=$(cat "$tmp")
if grep -q "not built yet" <<<"$err"; then echo "normaliser not built yet"; exit 77; fi
[ "$rc" = 2 ] || { echo "exit $rc, want 2"; exit 1; }
[ "$(grep -c '^== ' <<<"$out")" = 2 ] || { echo "want 2 documents on stdout: $out" | head; exit 1; }
grep -qF "== $t/ru.cp1251.txt (txt, CP1251)" <<<"$out" || { echo "first file missing"; exit 1; }
grep -qF "== $t/kk.rk1048.txt (txt, RK1048)" <<<"$out" || { echo "third file missing"; exit 1; }
grep -qF "БІРІНШІ СӨЗ Бұл жасқа келгенше" <<<"$out" || { echo "Kazakh text wrong"; exit 1; }
[ "$(wc -l <<<"$err")" = 1 ] || { echo "want one stderr line: $err"; exit 1; }
grep -qF "adal: $c/encrypted-agile.cfb:" <<<"$err" && grep -qF "[encrypted]" <<<"$err" ||
  { echo "stderr: $err"; exit 1; }
exit 0
