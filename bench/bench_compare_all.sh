#!/usr/bin/env bash
# bench_compare_all.sh BUILD_DIR — `adal compare --all` on a generated course of N essays
# (default 1,000; BENCH_QUICK=1: 200) of 25–45 real KazNERD sentences each, every 50th essay
# half-copied from the one before it. Prints wall and CPU time per thread count, checks that
# the output does not depend on --jobs, and that the planted pairs are the top-ranked ones.
# Skips (exit 0 with a note) when ../shared/data is absent.
set -u
B=${1:?usage: bench/bench_compare_all.sh BUILD_DIR}
ADAL=${ADAL:-$PWD/$B/adal}
S=${ADAL_SHARED:-$PWD/../shared}/data/kazakh/kaznerd/kaznerd_test.sentences.txt
[ -f "$S" ] || { echo "bench_compare_all: $S absent, skipped"; exit 0; }
N=1000; [ "${BENCH_QUICK:-0}" = 1 ] && N=200
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
python3 - "$S" "$T/d" "$N" <<'PY'
import os, random, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(1)
kz = [l.strip() for l in open(src, encoding="utf-8") if len(l.strip()) > 40]
os.makedirs(out)
for i in range(n):
    k = random.randint(25, 45)
    s = random.sample(kz, k)
    if i % 50 == 1:
        prev = open(os.path.join(out, "e%04d.txt" % (i - 1)), encoding="utf-8").read().split("\n")
        s = s[: k // 2] + prev[: len(prev) // 2]
    open(os.path.join(out, "e%04d.txt" % i), "w", encoding="utf-8").write("\n".join(s) + "\n")
PY
planted=$((N / 50))
rc=0
for j in 1 2 $(nproc); do
  /usr/bin/time -f "compare --all, $N files, --jobs $j: %e s wall, %U s user + %S s sys, %M KB max RSS" \
    "$ADAL" compare --all "$T/d" --jobs "$j" > "$T/out$j.csv" || rc=1
  cmp -s "$T/out1.csv" "$T/out$j.csv" || { echo "output differs with --jobs $j"; rc=1; }
done
top=$(sed -n "2,$((planted + 1))p" "$T/out1.csv" | awk -F, '{a=substr($1,length($1)-7,4); b=substr($2,length($2)-7,4); if (b-a==1) n++} END {print n+0}')
echo "planted pairs among the top $planted: $top ($(($(wc -l < "$T/out1.csv") - 1)) pairs listed)"
[ "$top" = "$planted" ] || rc=1
exit $rc
