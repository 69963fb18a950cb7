#!/usr/bin/env bash
# bench_ingest.sh BUILD_DIR — extraction + normalisation throughput (MB/s of DOCX, tokens/s)
# on a generated corpus of DOCX essays (bench/gen_docx.py, python-docx, real Kazakh and
# Russian sentences), beside the floor (the same files only inflated and SAX-parsed).
# Times are CPU time, sides alternating in each pass; the last lines repeat the ratios of adal
# to the floors: floor = word/document.xml only, floor2 = every part a style-aware reader
# must parse, floor3 = floor2 with a part shared by several files (a template's styles.xml)
# parsed once (docs/PERFORMANCE.md says which the target means).
# The corpus is generated once into build/bench/docx. BENCH_QUICK=1: 60 essays, 3 runs.
set -euo pipefail
rc=0
B=${1:?usage: bench/bench_ingest.sh BUILD_DIR}
cd "$(dirname "$0")/.."
SHARED=${ADAL_SHARED:-$PWD/../shared}
N=300 RUNS=5
[ "${BENCH_QUICK:-0}" = 1 ] && N=60 RUNS=3
corpus=build/bench/docx-$N
if [ ! -e "$corpus/.done" ]; then
  [ -d "$SHARED/data/kazakh" ] || { echo "bench_ingest: $SHARED/data absent, skipped"; exit 0; }
  py=""
  for p in python3 /usr/bin/python3; do
    "$p" -c 'import docx' 2>/dev/null && { py=$p; break; }
  done
  [ -n "$py" ] || { echo "bench_ingest: python-docx missing (apt-get install python3-docx)"; exit 1; }
  rm -rf "$corpus"
  "$py" bench/gen_docx.py "$corpus" "$N" "$SHARED"
  touch "$corpus/.done"
fi
make --no-print-directory -s VARIANT="$(basename "$B")" "$B/bench/ingest_bench"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "\$ $B/bench/ingest_bench -r $RUNS $corpus/*.docx"
"$B/bench/ingest_bench" -r "$RUNS" "$corpus"/*.docx | tee "$log" || rc=1
gen_ratio=$(sed -n "s/^  ratio  //p" "$log")
gen_first=$(sed -n "s/^  first  //p" "$log")
# the same measurement on the real Word files of ../shared/data/docx (POI, Tika, pandoc...),
# only those both sides read (-k): real styles parts, headers, notes, tables
real="$SHARED/data/docx"
if [ -d "$real" ]; then
  mapfile -t files < <(find "$real" -type f \( -name '*.docx' -o -name '*.docm' -o -name '*.dotx' -o -name '*.dotm' \) | LC_ALL=C sort)
  echo "\$ $B/bench/ingest_bench -r $RUNS -k \$(find $real -name '*.doc[xm]' -o -name '*.dot[xm]')"
  "$B/bench/ingest_bench" -r "$RUNS" -k "${files[@]}" | tee "$log"
  real_ratio=$(sed -n "s/^  ratio  //p" "$log")
  real_first=$(sed -n "s/^  first  //p" "$log")
fi
echo "ingest ratios (CPU time, target adal <= 2x floor):"
echo "  generated essays: ${gen_ratio:-not measured}"
echo "                    ${gen_first:-}"
echo "  real Word files:  ${real_ratio:-not measured}"
echo "                    ${real_first:-}"
exit $rc
