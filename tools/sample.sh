#!/usr/bin/env bash
# sample.sh BUILD_DIR — `make sample`: run the build's adal over the bundled sample course in
# corpus/ (see corpus/README.md and corpus/TRUTH.md for what is planted where).
#  - when the binary has `batch`: index corpus/sources in a fresh store (or, without the store,
#    pass them with --against), run `adal batch` over corpus/course (against the sources and
#    each other, template excluded), print one line per submission and the collusion clusters
#    from summary.json, and say where the reports are;
#  - else when it has a working `check`: check every essay against corpus/sources;
#  - else: `adal extract` every file and print one line per file (format, segments, tokens,
#    evasion counts, SUSPICIOUS), and the error for the file that cannot be read.
# Exit 0 when adal ran over the whole sample (the broken 13-Bolat/essay.docx is expected to
# fail with a clear error); 2 when adal is missing, crashed or printed something unreadable.
set -u
B=${1:?usage: tools/sample.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
case $B in /*) ADAL=$B/adal ;; *) ADAL=$ROOT/$B/adal ;; esac
[ -n "${ADAL_SAMPLE_BIN:-}" ] && ADAL=$ADAL_SAMPLE_BIN
OUT=build/sample
CORPUS=corpus
if [ ! -x "$ADAL" ]; then
  echo "sample: $ADAL not built (run make first)" >&2
  exit 2
fi
PY=$(command -v python3 || true)
if [ -z "$PY" ]; then
  echo "sample: python3 is needed to summarise the output (make deps installs it)" >&2
  exit 2
fi
mkdir -p "$OUT"
status=0

# A help text mentions an option: pass it only if the binary has it (the CLI grows).
has_opt() { "$ADAL" "$1" --help 2>&1 | grep -q -- "$2"; }
# adal's exit codes: 0 all fine, 1 something below the threshold, 2 an error (the broken file).
# Anything else (a signal, a sanitizer) is a failure of the run.
judge() {
  if [ "$1" -gt 2 ]; then
    echo "sample: adal $2 exited $1 (crash?)" >&2
    status=2
  fi
}

# One line per essay from adal's JSON Lines report (docs/FORMATS.md).
summarise_jsonl() {
  "$PY" - "$1" <<'PYEOF'
import json, sys
print("%-26s %6s %6s %6s %6s  %-16s %-36s %s" % ("essay", "orig%", "borr%", "cited%", "excl%",
      "band", "top source", "evasion"))
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    name = str(d.get("file", "?")).split("/course/", 1)[-1]
    if "originality" not in d and "error" not in d:
        print("%-26s %s" % (name, line.strip()[:100]))
        continue
    if "error" in d:
        e = d["error"] if isinstance(d["error"], dict) else {"message": d["error"], "code": "?"}
        print("%-26s error: %s [%s]" % (name, e.get("message"), e.get("code")))
        continue
    src = d.get("sources") or []
    top = "%s %.1f" % (src[0]["id"].rsplit("/", 1)[-1], src[0]["percent"]) if src else "-"
    ev = d.get("evasion", {})
    kinds = ", ".join("%s %d" % (k, v["count"]) for k, v in ev.get("counts", {}).items()
                      if v.get("count"))
    band = d.get("band") or {}
    print("%-26s %6.1f %6.1f %6.1f %6.1f  %-16s %-36s %s%s" % (name, d["originality"],
          d.get("borrowed", 0), d.get("cited", 0), (d.get("excluded") or {}).get("percent", 0),
          str(band.get("range", "?")) + (" (borderline)" if d.get("borderline") else ""), top,
          kinds or "-",
          "  SUSPICIOUS" if ev.get("suspicious") else ""))
PYEOF
}

# One line per submission from the batch's summary.json (docs/FORMATS.md), and the clusters.
summarise_batch() {
  "$PY" - "$1" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
rows = []
course = str(d.get("course") or "").rstrip("/") + "/"
for r in d.get("submissions", []):
    name, st = r.get("file", "?"), r.get("status")
    if st not in ("checked", "unchanged"):
        e = r.get("error") or {}
        extra = ": %s [%s]" % (e.get("message"), e.get("code")) if st == "failed" else ""
        rows.append((name, "error" if st == "failed" else st, extra))
        continue
    # a store source is "corpus:ID:NAME", another submission a path under the course
    src = str(r.get("top_source") or "")
    src = src[len(course):] if course and src.startswith(course) else src
    top = "%s %.1f" % (src, r.get("top_source_percent") or 0) if src else "-"
    rows.append((name, r["originality"], r["borrowed"], r["cited"], r["excluded"],
                 str(r.get("band")) + (" (bl)" if r.get("borderline") else ""), top,
                 r["cluster"] if r.get("cluster") is not None else "-"))
# columns as wide as their longest cell (a store's source is named "corpus:ID:file")
wn = max([len("submission")] + [len(x[0]) for x in rows])
wb = max([len("band")] + [len(x[5]) for x in rows if len(x) == 8])
wt = max([len("top source")] + [len(x[6]) for x in rows if len(x) == 8])
fmt = "%%-%ds %%6s %%6s %%6s %%6s  %%-%ds %%-%ds %%s" % (wn, wb, wt)
print(fmt % ("submission", "orig%", "borr%", "cited%", "excl%", "band", "top source", "cluster"))
for x in rows:
    if len(x) == 3:
        print("%-*s %s%s" % (wn, x[0], x[1], x[2]))
    else:
        print(fmt % ((x[0],) + tuple("%.1f" % v for v in x[1:5]) + x[5:]))
for c in d.get("clusters", []):
    print("collusion cluster %s: %s (%s)" % (c["id"], ", ".join(c["students"]),
          "; ".join("%s→%s %.1f %%" % (p["a"], p["b"], p["percent"]) for p in c["pairs"])))
t = d.get("template", {})
print("cohort template (in ≥ %d %% and ≥ %d students) excluded %.1f %% on average" %
      (round(100 * t.get("min_share", 0)), t.get("min_students", 0),
       t.get("excluded_percent_mean", 0)))
PYEOF
}

# The essays, in a stable order; the sources.
mapfile -t ESSAYS < <(find "$CORPUS/course" -type f | LC_ALL=C sort)
mapfile -t SOURCES < <(find "$CORPUS/sources" -type f | LC_ALL=C sort)

if "$ADAL" batch --help >/dev/null 2>&1; then
  # ---- the nightly job on the sample ------------------------------------------------
  rm -rf "$OUT/adal.db" "$OUT/adal.db-wal" "$OUT/adal.db-shm" "$OUT/report"
  args=(batch "$CORPUS/course" --out "$OUT/report")
  has_opt batch --template && args+=(--template "$CORPUS/assignment.docx")
  if "$ADAL" corpus --help >/dev/null 2>&1; then
    # the sources go into a fresh store; the batch checks against it and adds the essays
    args+=(--db "$OUT/adal.db")
    add=(corpus add --db "$OUT/adal.db" "$CORPUS/sources")
    has_opt corpus --kind && add+=(--kind source)
    echo "== adal ${add[*]}"
    "$ADAL" "${add[@]}"
    judge $? "corpus add"
  else
    args+=(--against "$CORPUS/sources")
  fi
  echo "== adal ${args[*]}"
  "$ADAL" "${args[@]}"
  rc=$?
  judge $rc batch
  if [ -s "$OUT/report/summary.json" ]; then
    echo
    summarise_batch "$OUT/report/summary.json" || status=2
  fi
  echo
  echo "sample: reports in $OUT/report/, store $OUT/adal.db;" \
       "what was planted: corpus/TRUTH.md (exit $rc)"
  exit $status
fi

if "$ADAL" check --help >/dev/null 2>&1; then
  # ---- every essay against the sources and the other students' work -----------------------
  # What batch will do, one essay at a time: the sources, plus every *other* student's folder
  # (a student's own versions are not collusion), the assignment sheet excluded.
  tmpl=()
  has_opt check --template && tmpl=(--template "$CORPUS/assignment.docx")
  rm -f "$OUT/check.txt" "$OUT/check.jsonl" "$OUT/pairs.txt"
  echo "== adal check ESSAY --against $CORPUS/sources --against OTHER-STUDENTS... ${tmpl[*]}"
  rc=0
  for f in "${ESSAYS[@]}"; do
    me=$(dirname "$f")
    args=(check "$f" --against "$CORPUS/sources")
    for d in "$CORPUS"/course/*/; do
      d=${d%/}
      [ "$d" = "$me" ] || args+=(--against "$d")
    done
    args+=("${tmpl[@]}")
    "$ADAL" "${args[@]}" >>"$OUT/check.txt" 2>/dev/null
    judge $? "check $f (text)"
    # the errors go to stderr once, from this run
    "$ADAL" "${args[@]}" --format json >>"$OUT/check.jsonl"
    r=$?
    judge $r "check $f (json)"
    [ $r -gt $rc ] && rc=$r
  done
  summarise_jsonl "$OUT/check.jsonl" || status=2
  if has_opt compare --template; then
    # collusion: passages shared between submissions, the template excluded
    echo
    echo "== adal compare --all $CORPUS/course --template $CORPUS/assignment.docx"
    "$ADAL" compare --all "$CORPUS/course" --template "$CORPUS/assignment.docx" \
      --format text 2>/dev/null | tee "$OUT/pairs.txt" | head -10
    judge "${PIPESTATUS[0]}" "compare --all"
  fi
  echo
  echo "sample: full reports in $OUT/check.txt and check.jsonl;" \
       "what was planted: corpus/TRUTH.md (adal check exit $rc)"
  exit $status
fi

# ---- today: extraction and evasion findings, one line per file ---------------------------
summarise() { # FILE JSON-on-stdin → one line
  "$PY" -c '
import json, sys
name = sys.argv[1]
try:
    d = json.load(sys.stdin)
except ValueError as e:
    print("%-32s unreadable JSON from adal: %s" % (name, e)); sys.exit(3)
ev = d.get("evasion", {})
counts = ev.get("counts", {})
found = ["%s %d" % (k, v["count"]) for k, v in counts.items() if v.get("count")]
enc = d.get("encoding") or ""
print("%-32s %-4s %-7s segs %3d  %s%s" % (name, d.get("format", "?"), enc,
      len(d.get("segments", [])), ", ".join(found) or "no evasion",
      "  SUSPICIOUS" if ev.get("suspicious") else ""))
' "$1"
}

echo "adal $("$ADAL" --version 2>/dev/null | sed 's/^adal //') — the sample course, extraction only"
echo "(check, compare and batch are not in this build yet; see corpus/TRUTH.md for the truth)"
nerr=0
for section in sources course; do
  echo
  echo "== corpus/$section"
  if [ $section = sources ]; then files=("${SOURCES[@]}"); else files=("${ESSAYS[@]}"); fi
  for f in "${files[@]}"; do
    name=${f#"$CORPUS/$section/"}
    err=$(mktemp)
    json=$("$ADAL" extract --format json "$f" 2>"$err")
    rc=$?
    if [ $rc -eq 0 ]; then
      echo "$json" | summarise "$name" || status=2
    elif [ $rc -le 2 ]; then
      nerr=$((nerr + 1))
      printf '%-32s error: %s\n' "$name" "$(head -1 "$err" | sed "s|^adal: $f: ||")"
    else
      judge $rc "extract $f"
    fi
    rm -f "$err"
  done
done
echo
echo "sample: $nerr file(s) could not be read (13-Bolat/essay.docx is broken on purpose)"
exit $status
