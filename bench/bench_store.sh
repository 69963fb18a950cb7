#!/usr/bin/env bash
# bench_store.sh BUILD_DIR — the corpus store at 10,000 and 100,000 documents (issue 4):
# `adal check --db` p50/p95 latency, bytes per document on disk, time to add 1,000 documents,
# and how each grows from 10k to 100k. Documents are generated plain-text essays of real
# Kazakh/Russian sentences (bench/gen_store_texts.py, ~350 words each), kept between runs in
# $BENCH_STORE_DIR (default /tmp/adal-bench-store). BENCH_QUICK=1: 2,000 and 10,000.
# Figures go to docs/PERFORMANCE.md with this command.
set -u
B=${1:?usage: bench/bench_store.sh BUILD_DIR}
cd "$(dirname "$0")/.."
ADAL=${ADAL:-$PWD/$B/adal}
SHARED=${ADAL_SHARED:-$PWD/../shared}
if [ ! -d "$SHARED/data/kazakh" ]; then echo "bench_store: skipped, no $SHARED/data"; exit 0; fi
if [ "${BENCH_QUICK:-0}" = 1 ]; then N1=2000 N2=10000; else N1=10000 N2=100000; fi
W=${BENCH_STORE_DIR:-${TMPDIR:-/tmp}/adal-bench-store}
mkdir -p "$W"
if [ "$(cat "$W/stamp" 2>/dev/null)" != "$N2 $N1" ]; then
  echo "generating $N2 essays in $W ..."
  rm -rf "$W/docs" "$W/queries"
  nice python3 bench/gen_store_texts.py "$W" "$N2" 50 "$N1" "$SHARED" || exit 1
  echo "$N2 $N1" > "$W/stamp"
fi
DB="$W/store.db"
rm -f "$DB" "$DB-wal" "$DB-shm"

folders() { local i; for ((i = $1 / 1000; i < $2 / 1000; i++)); do printf '%s/docs/d%03d\n' "$W" "$i"; done; }
# add documents [from, to) and print the seconds it took
add() {
  local t0 t1
  t0=$(date +%s.%N)
  mapfile -t dirs < <(folders "$1" "$2")
  nice "$ADAL" corpus add "${dirs[@]}" --db "$DB" --jobs 2 >/dev/null 2>"$W/add.err" \
    || { cat "$W/add.err"; exit 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
measure() { # N seconds_for_the_last_1000
  local n=$1 s1k=$2
  local st bytes per
  st=$("$ADAL" corpus stats --db "$DB" --format json)
  bytes=$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bytes_on_disk"])')
  per=$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bytes_per_document"])')
  fps=$(echo "$st" | python3 -c 'import json,sys; print(json.load(sys.stdin)["fingerprints"])')
  echo "-- $n documents: $fps fingerprint postings, $bytes bytes on disk, $per bytes per document"
  echo "   add 1,000 documents (from $((n - 1000)) to $n): ${s1k} s"
  echo "   $(nice python3 bench/store_latency.py "$ADAL" "$DB" "$W/queries" 3)"
  peak=$(/usr/bin/time -f %M "$ADAL" check "$W/queries/q00.txt" --db "$DB" 2>&1 >/dev/null | tail -1)
  echo "   peak memory of one check --db: $((peak / 1024)) MiB"
}
echo "commands: $ADAL corpus add FOLDERS --db $DB --jobs 2 (nice), then"
echo "          bench/store_latency.py $ADAL $DB $W/queries 3"
t=$(add 0 $((N1 - 1000)))
echo "-- built $((N1 - 1000)) documents in $t s"
s1=$(add $((N1 - 1000)) "$N1")
measure "$N1" "$s1"
t=$(add "$N1" $((N2 - 1000)))
echo "-- added $((N2 - 1000 - N1)) more documents in $t s ($(echo "($N2 - 1000 - $N1) / $t" | bc) per second)"
s2=$(add $((N2 - 1000)) "$N2")
measure "$N2" "$s2"
"$ADAL" corpus verify --db "$DB" >/dev/null || echo "verify FAILED"
