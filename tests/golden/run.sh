#!/usr/bin/env bash
# run.sh check|update — the golden files of the report writers: each case below runs adal
# on the fixtures in tests/data/texts and compares its stdout byte for byte with
# tests/golden/NAME (check), or rewrites NAME (update: `make golden-update`; review the diff
# before committing). Deterministic output is a promise of docs/FORMATS.md; these hold it.
set -u
mode=${1:?usage: run.sh check|update}
ADAL=${ADAL:?set ADAL to the adal binary}
export ADAL_LANG=en # the cases without --lang expect English labels
case $ADAL in /*) ;; *) ADAL=$PWD/$ADAL;; esac
G=$(cd "$(dirname "$0")" && pwd)
cd "$G/../data/texts" || exit 2
cases=(
  "check_kk_planted.txt|check essays/kk_planted.txt --against refs/"
  "check_kk_planted_kk.txt|check essays/kk_planted.txt --against refs/ --lang kk --width 80"
  "check_ru_planted_ru.txt|check essays/ru_planted.txt --against refs/ --lang ru"
  "check_all.jsonl|check essays/kk_copy.txt essays/kk_planted.txt essays/ru_planted.txt essays/ru_clean.txt --against refs/ --format json"
  "check_all.csv|check essays/kk_copy.txt essays/kk_planted.txt essays/ru_planted.txt essays/ru_clean.txt --against refs/ --format csv"
  "compare_all.csv|compare --all ."
  "compare_two.json|compare essays/ru_planted.txt refs/chekhov_vanka.txt --format json"
  "grade.json|grade 100 75 60 45 100 49 --format json"
  "check_docx_disguised.txt|check ../office/kk_disguised.docx --against refs/"
  "check_docx_disguised.jsonl|check ../office/kk_disguised.docx --against refs/ --format json --no-snippets"
  "check_all_excel.csv|check essays/kk_copy.txt essays/kk_planted.txt essays/ru_planted.txt essays/ru_clean.txt --against refs/ --format csv --csv-sep ; --csv-bom"
  "check_kk_planted.html|check essays/kk_planted.txt --against refs/ --format html"
  "check_docx_disguised_kk.html|check ../office/kk_disguised.docx --against refs/ --format html --lang kk"
  "check_ru_planted_ru.html|check essays/ru_planted.txt --against refs/ --format html --lang ru"
)
# cases reading DOCX wait for the DOCX reader (a placeholder says "not built yet")
docx_ok=1
case $($ADAL extract ../office/kk_disguised.docx 2>&1 >/dev/null) in *"not built yet"*) docx_ok=0;; esac
bad=0
for c in "${cases[@]}"; do
  name=${c%%|*}; args=${c#*|}
  case $args in *.docx*) [ $docx_ok = 1 ] || { echo "golden: $name skipped (no DOCX reader)"; continue; };; esac
  # shellcheck disable=SC2086
  out=$($ADAL $args 2>/dev/null; echo "rc=$?")
  if [ "$mode" = update ]; then
    printf '%s\n' "$out" > "$G/$name"
    echo "golden: wrote tests/golden/$name"
  elif ! printf '%s\n' "$out" | cmp -s - "$G/$name"; then
    echo "golden: tests/golden/$name differs (adal $args):"
    printf '%s\n' "$out" | diff -u "$G/$name" - | head -40
    bad=1
  fi
done
# the batch views: `adal summary` on a copy of the hand-written summary.json of the batch
# contract (tests/data/batch/out), Russian labels, Excel CSV
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp ../batch/out/summary.json "$tmp/"
$ADAL summary "$tmp" --lang ru 2>/dev/null || { echo "golden: adal summary failed"; bad=1; }
for pair in "index.html|summary_index_ru.html" "summary.csv|summary_excel.csv"; do
  got=$tmp/${pair%%|*}; name=${pair#*|}
  if [ "$mode" = update ]; then
    cp "$got" "$G/$name"; echo "golden: wrote tests/golden/$name"
  elif ! cmp -s "$got" "$G/$name"; then
    echo "golden: tests/golden/$name differs (adal summary):"; diff -u "$G/$name" "$got" | head -40; bad=1
  fi
done
exit $bad
