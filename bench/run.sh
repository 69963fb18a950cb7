#!/usr/bin/env bash
# run.sh BUILD_DIR — `make bench`: runs every bench/bench_*.sh in name order. Each prints its
# figures with the command that produced them; medians of repeated runs, and peers measured
# side by side in the same run. Set BENCH_QUICK=1 for a smaller, faster pass.
set -u
B=${1:?usage: bench/run.sh BUILD_DIR}
cd "$(dirname "$0")/.."
export ADAL="$PWD/$B/adal" ADAL_SHARED=${ADAL_SHARED:-$PWD/../shared}
rc=0
for b in bench/bench_*.sh; do
  [ -e "$b" ] || continue
  echo "== $b"
  bash "$b" "$B" || rc=1
done
exit $rc
