#!/usr/bin/env bash
# bench_ingest.sh BUILD_DIR — extraction + normalisation throughput (MB/s of DOCX, tokens/s)
# on a generated corpus of DOCX essays (bench/gen_docx.py, python-docx, real Kazakh and
# Russian sentences), beside the floor (the same files only inflated and SAX-parsed).
# The corpus is generated once into build/bench/docx. BENCH_QUICK=1: 60 essays, 3 runs.
set -eu
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
"$B/bench/ingest_bench" -r "$RUNS" "$corpus"/*.docx
