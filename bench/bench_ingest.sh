#!/usr/bin/env bash
# bench_ingest.sh BUILD_DIR — extraction + normalisation throughput (MB/s of DOCX, tokens/s)
# on a generated corpus of DOCX essays (bench/gen_docx.py, python-docx, real Kazakh and
# Russian sentences), beside the floor (the same files only inflated and SAX-parsed).
# The corpus is generated once into build/bench/docx. BENCH_QUICK=1: 60 essays, 3 runs.
set -eu
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
echo "\$ $B/bench/ingest_bench -r $RUNS $corpus/*.docx"
"$B/bench/ingest_bench" -r "$RUNS" "$corpus"/*.docx || rc=1
# the same measurement on the real Word files of ../shared/data/docx (POI, Tika, pandoc...),
# only those both sides read (-k): real styles parts, headers, notes, tables
real="$SHARED/data/docx"
if [ -d "$real" ]; then
  mapfile -t files < <(find "$real" -type f \( -name '*.docx' -o -name '*.docm' -o -name '*.dotx' -o -name '*.dotm' \) | LC_ALL=C sort)
  echo "\$ $B/bench/ingest_bench -r $RUNS -k \$(find $real -name '*.doc[xm]' -o -name '*.dot[xm]')"
  "$B/bench/ingest_bench" -r "$RUNS" -k "${files[@]}"
fi
exit $rc
