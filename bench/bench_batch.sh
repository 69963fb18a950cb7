#!/usr/bin/env bash
# bench_batch.sh BUILD_DIR — `adal batch` over a generated course of N DOCX essays
# (bench/gen_course.py: real Kazakh/Russian sentences from ../shared/data, a shared title page,
# 10 % copying from 20 source texts, 5 % colluding pairs), on 2 cores (taskset -c 0,1, --jobs 2):
#   1. full run with a fresh corpus store holding the sources: wall time, peak RSS
#      (/usr/bin/time -v), the store's size;
#   2. the same without a store (--against the sources);
#   3. sim_text -p -a -e -r 8 (Debian similarity-tester) on the same essays as pre-extracted
#      text, killed after 40 minutes ("> 40 min");
#   4. incremental rerun after changing 1 % of the essays (one paragraph appended), time
#      relative to the full run.
# N = 1000 (BENCH_QUICK=1: 200). Skips when python3-docx, ../shared/data or sim_text is
# missing. The course is cached in build/bench-batch/ by N and the generator's hash.
set -u
B=${1:?usage: bench/bench_batch.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ADAL=${ADAL:-$ROOT/$B/adal}
SHARED=${ADAL_SHARED:-$ROOT/../shared}
N=${BENCH_BATCH_N:-1000}
[ "${BENCH_QUICK:-0}" = 1 ] && N=200
PY=/usr/bin/python3
$PY -c 'import docx' 2>/dev/null || { echo "bench_batch: python3-docx missing, skipped"; exit 0; }
[ -d "$SHARED/data/kazakh/abai" ] || { echo "bench_batch: no $SHARED/data, skipped"; exit 0; }
W=$ROOT/build/bench-batch
key="$N $(cat bench/gen_course.py bench/sentences.py | sha1sum | cut -c1-12)"
if [ "$(cat "$W/key" 2>/dev/null)" != "$key" ]; then
  rm -rf "$W" && mkdir -p "$W"
  echo "generating $N essays..."
  nice $PY bench/gen_course.py "$W/course" "$W/txt" "$W/sources" "$N" "$SHARED" || exit 1
  echo "$key" > "$W/key"
fi
cd "$W"
T=(taskset -c 0,1)
command -v taskset >/dev/null || T=()
measure() { # LABEL LOG: wall seconds and peak RSS from /usr/bin/time -v
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$2")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$2")
  echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' > "$2.s"
  printf '%-44s wall %8s s   peak RSS %6.1f MB\n' "$1" "$(cat "$2.s")" "$(echo "$rss / 1024" | bc -l)"
}
echo "course: $N DOCX essays, $(du -sh course | cut -f1); text $(cat txt/*.txt | wc -c) bytes"

# 1. with a store
rm -rf out db.sqlite*
"$ADAL" corpus add --db db.sqlite --kind source sources >/dev/null 2>&1
/usr/bin/time -v "${T[@]}" "$ADAL" batch course --db db.sqlite --out out --jobs 2 -q 2> full.log
rc=$?
[ $rc -le 2 ] || { echo "adal batch exited $rc"; tail -5 full.log; exit 1; }
measure "adal batch --db (store, 2 jobs)" full.log
python3 -c '
import json; d = json.load(open("out/summary.json"))
print("  counts %s, %d clusters, template excluded %.1f %% on average" % (d["counts"],
      len(d["clusters"]), d["template"]["excluded_percent_mean"]))'
"$ADAL" corpus stats --db db.sqlite | sed 's/^/  store: /'

# 2. without a store
rm -rf out-ns
/usr/bin/time -v "${T[@]}" "$ADAL" batch course --no-db --against sources --out out-ns --jobs 2 -q 2> nostore.log
measure "adal batch --against (no store, 2 jobs)" nostore.log

# 4. incremental: 1 % of the essays get one more paragraph
k=$(( N / 100 )); [ $k -ge 1 ] || k=1
$PY - "$k" <<'PYEOF'
import sys, zipfile, os
k = int(sys.argv[1])
names = sorted(os.listdir("course"))
step = max(1, len(names) // k)
for name in names[::step][:k]:
    p = os.path.join("course", name, "essay.docx")
    z = zipfile.ZipFile(p); items = [(i, z.read(i.filename)) for i in z.infolist()]; z.close()
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as w:
        for i, data in items:
            if i.filename == "word/document.xml":
                data = data.replace(b"<w:sectPr", ("<w:p><w:r><w:t>Қосымша ой: %s бүгін "
                    "жаңа абзац қосты, ол бұрын болмаған.</w:t></w:r></w:p><w:sectPr" % name)
                    .encode(), 1)
            w.writestr(i, data)
PYEOF
/usr/bin/time -v "${T[@]}" "$ADAL" batch course --db db.sqlite --out out --jobs 2 -q 2> incr.log
measure "adal batch rerun, $k changed (1 %)" incr.log
python3 -c '
import json; d = json.load(open("out/summary.json")); print("  counts %s" % d["counts"])'
echo "  incremental / full: $(echo "$(cat incr.log.s) / $(cat full.log.s)" | bc -l | cut -c1-5)"
# restore the course for the next run
rm -f key

# 3. sim_text on the pre-extracted text
if command -v sim_text >/dev/null; then
  /usr/bin/time -v timeout 2400 "${T[@]}" sim_text -p -a -e -r 8 txt/*.txt > sim.out 2> sim.log
  rc=$?
  if [ $rc -eq 124 ]; then
    echo "sim_text -p -a -e -r 8 (1 core)                 > 40 min (killed)"
  else
    measure "sim_text -p -a -e -r 8 (text, 1 core)" sim.log
    echo "  $(grep -c 'consists for' sim.out) similarity lines"
  fi
else
  echo "sim_text not installed (apt-get install similarity-tester)"
fi
