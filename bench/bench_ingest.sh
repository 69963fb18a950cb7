#!/usr/bin/env bash
# bench_ingest.sh BUILD_DIR — extraction + normalisation throughput (MB/s of DOCX, tokens/s)
# on a generated corpus of DOCX essays (bench/gen_docx.py, python-docx, real Kazakh and
# Russian sentences), beside the floor (the same files only inflated and SAX-parsed).
# Times are CPU time, sides alternating in each pass; the last lines repeat the ratios of adal
# to the floors: floor = word/document.xml only, floor2 = every part a style-aware reader
# must parse, floor3 = floor2 with a part shared by several files (a template's styles.xml)
# parsed once (docs/PERFORMANCE.md says which the target means).
# The corpus is generated once into build/bench/docx. BENCH_QUICK=1: 60 essays, 3 runs.
# BENCH_BASE=path/to/another/build/bench/ingest_bench: also a before/after comparison in the
# same run — that binary and this build's alternate BENCH_AB_ROUNDS times (default 3) on each
# corpus, and the medians of their adal times and ratios are printed side by side.
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
# before/after in one run: the two builds alternate, each a full `-r RUNS` measurement
ab() { # ab LABEL ARGS...: BENCH_AB_ROUNDS alternating runs of $BENCH_BASE and this build
  local label=$1 rounds=${BENCH_AB_ROUNDS:-3}
  shift
  local out
  out=$(mktemp)
  for _ in $(seq "$rounds"); do
    for side in base new; do
      local bin="$B/bench/ingest_bench"
      [ "$side" = base ] && bin=$BENCH_BASE
      "$bin" -r "$RUNS" "$@" | awk -v s="$side" '
        /^  adal / { for (i = 1; i <= NF; i++) if ($i ~ /^\(/) { t = substr($i, 2) } }
        /^  split / { e = $3; n = $6 }
        /^  ratio / { f = $5; f3 = $16; sub(/x;?/, "", f); sub(/x/, "", f3) }
        /^  floor / { for (i = 1; i <= NF; i++) if ($i ~ /^\(/) { fl = substr($i, 2) } }
        END { print s, t, e, n, fl, f, f3 }' >> "$out"
    done
  done
  echo "before/after ($label, $rounds alternating runs of each, medians): base = $BENCH_BASE"
  for side in base new; do
    awk -v s="$side" '$1 == s' "$out" | sort -k2,2n | awk -v s="$side" '
      { t[NR] = $2; e[NR] = $3; n[NR] = $4; fl[NR] = $5; f[NR] = $6; f3[NR] = $7 }
      function med(a, k,   i, j, x, y) { # median of a[1..k] (sorting a copy)
        for (i = 1; i <= k; i++) y[i] = a[i]
        for (i = 2; i <= k; i++) { x = y[i]; for (j = i - 1; j > 0 && y[j] > x; j--) y[j + 1] = y[j]; y[j + 1] = x }
        return k % 2 ? y[(k + 1) / 2] : (y[k / 2] + y[k / 2 + 1]) / 2 }
      END { printf "  %-4s adal %.3f s (extraction %.3f, normalisation %.3f), floor %.3f s; adal / floor %.2fx, adal / floor3 %.2fx\n",
                   s, med(t, NR), med(e, NR), med(n, NR), med(fl, NR), med(f, NR), med(f3, NR) }'
  done
  rm -f "$out"
}
if [ -n "${BENCH_BASE:-}" ]; then
  ab "generated essays" "$corpus"/*.docx
  [ -d "$real" ] && ab "real Word files" -k "${files[@]}"
fi

echo "ingest ratios (CPU time, target adal <= 2x floor):"
echo "  generated essays: ${gen_ratio:-not measured}"
echo "                    ${gen_first:-}"
echo "  real Word files:  ${real_ratio:-not measured}"
echo "                    ${real_first:-}"
exit $rc
