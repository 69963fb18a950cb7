#!/usr/bin/env bash
# eval.sh BUILD_DIR [clough|pan|planted|kazakh]... — `make eval`: adal's accuracy on real
# labelled data from ../shared/data (ADAL_SHARED), each figure printed beside sim_text's on
# the same inputs in the same run (docs/ACCURACY.md explains the datasets and definitions).
# Each evaluator (tools/eval/*.py) prints its figures and `target: ... met|MISSED` lines; this
# script ends with a summary. Exit: 0 = all targets met (or data absent: skipped),
# 1 = a target missed, 2 = an evaluator failed. Scratch files: BUILD_DIR/eval.
set -u
B=${1:?usage: tools/eval.sh BUILD_DIR [clough|pan|planted|kazakh]...}
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export ADAL="$ROOT/$B/adal"
export ADAL_SHARED=${ADAL_SHARED:-$ROOT/../shared}
export EVAL_WORK=${EVAL_WORK:-$ROOT/$B/eval}
if [ ! -d "$ADAL_SHARED/data" ]; then
  echo "eval: skipped: $ADAL_SHARED/data not found (set ADAL_SHARED to the folder holding data/)"
  exit 0
fi
[ -x "$ADAL" ] || { echo "eval: $ADAL not built" >&2; exit 2; }
# python-docx is a Debian package: prefer the system python3 over a pyenv/venv one without it
PY=python3
for p in /usr/bin/python3 python3; do
  if "$p" -c 'import docx' 2>/dev/null; then PY=$p; break; fi
done
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(clough pan planted kazakh)
command -v sim_text >/dev/null || echo "eval: sim_text missing (apt-get install similarity-tester): adal figures only"
mkdir -p "$EVAL_WORK"
log="$EVAL_WORK/last-run.txt"
: >"$log"
rc=0
t0=$(date +%s)
for part in "${parts[@]}"; do
  case $part in
    clough | pan | planted | kazakh) ;;
    *) echo "eval: unknown part '$part' (clough, pan, planted, kazakh)" >&2; exit 2 ;;
  esac
  echo "== $part" | tee -a "$log"
  s=$(date +%s)
  "$PY" "tools/eval/$part.py" 2>&1 | tee -a "$log"
  prc=${PIPESTATUS[0]}
  echo "   ($part: $(($(date +%s) - s)) s)" | tee -a "$log"
  if [ "$prc" -ne 0 ]; then
    echo "eval: $part failed (exit $prc)" | tee -a "$log"
    rc=2
  fi
done
echo "== summary ($(($(date +%s) - t0)) s; full log: $log)"
grep '^target:' "$log" | sed 's/^/  /'
met=$(grep -c '^target:.* met$' "$log")
missed=$(grep -c '^target:.* MISSED$' "$log")
echo "  $met met, $missed missed"
[ "$rc" -eq 0 ] && [ "$missed" -gt 0 ] && rc=1
exit $rc
