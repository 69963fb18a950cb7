#!/usr/bin/env bash
# sample_truth.sh — the committed sample in corpus/ is exactly what tools/make_sample.py
# writes (regenerated into a temporary folder, LibreOffice files kept), and truth.csv names
# every essay file and nothing else. Skips when ../shared/data or python3-docx is absent.
set -u
: "${ROOT:?}"
C=$ROOT/corpus
fail=0
# every essay file is in truth.csv, every truth.csv file exists
for f in $(cd "$C/course" && find . -type f | sed 's|^\./||' | LC_ALL=C sort); do
  st=${f%%/*} fn=${f#*/}
  grep -q "^$st,$fn," "$C/truth.csv" || { echo "FAIL: $f not in truth.csv"; fail=1; }
done
tail -n +2 "$C/truth.csv" | cut -d, -f1,2 | sort -u | while IFS=, read -r st fn; do
  [ -f "$C/course/$st/$fn" ] || { echo "FAIL: truth.csv names missing $st/$fn"; exit 1; }
done || fail=1
[ $fail -eq 0 ] || exit 1

DATA=${ADAL_SHARED:-$ROOT/../shared}/data
[ -d "$DATA/kazakh/abai" ] || { echo "no shared data at $DATA"; exit 77; }
/usr/bin/python3 -c 'import docx' 2>/dev/null || { echo "python3-docx not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$C" "$tmp/corpus"
/usr/bin/python3 "$ROOT/tools/make_sample.py" --shared "$DATA" --out "$tmp/corpus" --no-soffice \
  || { echo "FAIL: make_sample.py failed"; exit 1; }
diff -r "$C" "$tmp/corpus" || { echo "FAIL: corpus/ differs from what make_sample.py writes"; exit 1; }
echo "corpus/ regenerates byte for byte"
