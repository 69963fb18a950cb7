#!/usr/bin/env bash
# bench_check.sh BUILD_DIR — check latency against in-memory reference sets of 100, 1,000
# and 10,000 generated documents (bench/check_bench.c), and all-pairs over 1,000 documents.
# Training text: Abai, KazNERD and Chekhov from ../shared/data. BENCH_QUICK=1: 100 and 1,000.
set -u
B=${1:?usage: bench/bench_check.sh BUILD_DIR}
S=${ADAL_SHARED:-../shared}
if [ ! -d "$S/data" ]; then echo "skip: no $S/data"; exit 0; fi
files=("$S/data/kazakh/abai/abai-kara-soz.LF.txt" "$S/data/kazakh/kaznerd/"*.sentences.txt)
while IFS= read -r f; do files+=("$f"); done < <(find "$S/data/russian/ruslit/Chekhov" -name '*.txt' | sort | head -150)
sizes=100,1000,10000
[ "${BENCH_QUICK:-0}" = 1 ] && sizes=100,1000
cmd=("$B/check_bench" -n "$sizes" -w 1500 -q 100 -a 1000)
echo "\$ taskset -c 0 ${cmd[*]} <Abai, KazNERD, 150 Chekhov stories>"
taskset -c 0 "${cmd[@]}" "${files[@]}"
