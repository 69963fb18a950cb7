#!/usr/bin/env bash
# run.sh BUILD SECONDS TARGET... — run each libFuzzer target for SECONDS with its corpus in
# build/fuzz/corpus/TARGET seeded from tests/data, the kept findings of tests/fuzz/regress
# (and ../shared/data/docx when present, for the targets that read files).
# Crashes are written to tests/fuzz/crashes/ (ignored by git): fix the library, then move the
# input to tests/fuzz/regress/TARGET-what, where test_fuzz_regress.c replays it for ever.
set -u
B=$1; secs=$2; shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$root/tests/fuzz/crashes"
rc=0
for t in "$@"; do
  corpus="$root/$B/corpus/$t"; mkdir -p "$corpus"
  seeds=("$root/tests/data" "$root/tests/fuzz/regress")
  if [ "$t" = fuzz_docx_xml ] && command -v python3 >/dev/null; then
    # the XML parts themselves, behind their selector byte (see seeds_xml.py)
    python3 "$root/tests/fuzz/seeds_xml.py" "$root/$B/seeds/$t" "$root/tests/data" \
      "$root/../shared/data/docx" 2>/dev/null && seeds+=("$root/$B/seeds/$t")
  fi
  case $t in fuzz_norm|fuzz_report) ;;
    *) [ -d "$root/../shared/data/docx" ] && seeds+=("$root/../shared/data/docx") ;;
  esac
  echo "== $t for ${secs}s"
  "$root/$B/$t" -max_total_time="$secs" -max_len=1048576 -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="$root/tests/fuzz/crashes/$t-" -print_final_stats=1 \
      "$corpus" "${seeds[@]}" 2>&1 | grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY)|cov:' | tail -4 || true
  [ "${PIPESTATUS[0]}" = 0 ] || rc=1
done
exit $rc
