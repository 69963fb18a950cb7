#!/usr/bin/env bash
# batch_course.sh — `adal batch` over the sample course (corpus/, 13 students, see
# corpus/TRUTH.md): the broken file is listed with its error and the run goes on (exit 2);
# Zhanna's two versions are never compared and only v2 is checked; the title page every
# student copied is suppressed as cohort template (≥ 30 % and ≥ 3 students), and not when
# --common-min asks for more students than there are; Timur and Ruslan form a collusion
# cluster; every summary row equals `adal check` of the same file against the same other
# files; a rerun re-checks only what changed.
set -u
: "${ADAL:?}" "${ROOT:?}"
[ -n "${ADAL_WRAP:-}" ] && ADAL="$ADAL_WRAP $ADAL"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cp -r "$ROOT/corpus/course" "$TMP/course"
# v1 older than v2, whatever the checkout did to mtimes
touch -d '2026-01-01 10:00' "$TMP/course/12-Zhanna/essay-v1.docx"
touch -d '2026-01-02 10:00' "$TMP/course/12-Zhanna/essay-v2.docx"
SRC=$ROOT/corpus/sources
cd "$TMP"

$ADAL batch course --no-db --out out --against "$SRC" --jobs 2 2>err.txt
rc=$?
cat err.txt
[ $rc -eq 2 ] || fail "exit $rc, expected 2 (a broken file)"
grep -q '^adal: 13-Bolat/essay.docx: .*\[corrupt\]' err.txt || fail "no error line for the broken file"
for f in summary.json summary.csv index.html reports/05-Timur/essay.docx.json; do
  [ -s "out/$f" ] || fail "out/$f missing"
done
ls -a out | grep -q '^\.adal-tmp' && fail "temporary file left"

python3 - out/summary.json <<'PYEOF' || exit 1
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
bad = []
assert list(d) == ["format_version", "tool", "course", "policy", "template", "counts",
                   "submissions", "clusters"], list(d)
c = d["counts"]
if c != {"submissions": 14, "checked": 12, "unchanged": 0, "failed": 1}:
    bad.append("counts %s" % c)
rows = {r["file"]: r for r in d["submissions"]}
keys = ["student", "file", "report", "status", "originality", "borrowed", "cited", "excluded",
        "band", "band_index", "borderline", "top_source", "top_source_percent", "cluster", "error"]
for r in d["submissions"]:
    if list(r) != keys:
        bad.append("row keys %s" % list(r))
order = [(r["student"], r["file"]) for r in d["submissions"]]
if order != sorted(order):
    bad.append("rows not sorted by student, file")
b = rows["13-Bolat/essay.docx"]
if b["status"] != "failed" or b["error"]["code"] != "corrupt" or b["report"] is not None:
    bad.append("broken file row %s" % b)
v1, v2 = rows["12-Zhanna/essay-v1.docx"], rows["12-Zhanna/essay-v2.docx"]
if v1["status"] != "superseded" or v1["originality"] is not None or v2["status"] != "checked":
    bad.append("versions: %s / %s" % (v1["status"], v2["status"]))
rep = json.load(open("out/" + v2["report"], encoding="utf-8"))
if any("essay-v1" in s["id"] for s in rep["sources"]):
    bad.append("Zhanna's v2 compared with her own v1")
for f, r in rows.items():
    if r["status"] == "checked" and r["excluded"] < 8:
        bad.append("%s: cohort template excluded only %.1f %%" % (f, r["excluded"]))
if d["template"]["excluded_percent_mean"] < 15:
    bad.append("template mean %s" % d["template"])
t, ru = rows["05-Timur/essay.docx"], rows["06-Ruslan/essay.odt"]
if t["cluster"] is None or t["cluster"] != ru["cluster"]:
    bad.append("Timur/Ruslan not one cluster: %s %s" % (t["cluster"], ru["cluster"]))
others = [f for f, r in rows.items() if r["cluster"] is not None and f not in
          ("05-Timur/essay.docx", "06-Ruslan/essay.odt")]
if others:
    bad.append("unexpected cluster members %s" % others)
cl = d["clusters"]
if len(cl) != 1 or cl[0]["students"] != ["05-Timur", "06-Ruslan"] or \
   not all(15 < p["percent"] < 35 for p in cl[0]["pairs"]) or len(cl[0]["pairs"]) != 2:
    bad.append("clusters %s" % cl)
if not t["top_source"].endswith("06-Ruslan/essay.odt"):
    bad.append("Timur's top source %s" % t["top_source"])
if not rows["02-Daniyar/essay.docx"]["top_source"].endswith("abai-17.txt") or \
   rows["02-Daniyar/essay.docx"]["borrowed"] < 85:
    bad.append("Daniyar %s" % rows["02-Daniyar/essay.docx"])
for x in bad:
    print("FAIL:", x)
sys.exit(1 if bad else 0)
PYEOF
# summary.csv: the contract's columns first (the views rewrite it for Excel: BOM, ';')
head -1 out/summary.csv | sed 's/^\xEF\xBB\xBF//' | tr ';' ',' |
  grep -q '^student,file,originality,borrowed,cited,band,borderline,top_source,cluster,error' \
  || fail "summary.csv header"
[ -s out/index.html ] && [ -s out/reports/05-Timur/essay.docx.html ] || fail "no HTML views"
[ "$(wc -l < out/summary.csv)" -eq 15 ] || fail "summary.csv rows"

# no cohort template when more students are asked for than there are
$ADAL batch course --no-db --out out-nt --against "$SRC" --common-min 13 -q 2>/dev/null
python3 -c '
import json, sys
d = json.load(open("out-nt/summary.json"))
ex = [r["excluded"] for r in d["submissions"] if r["status"] == "checked"]
sys.exit(0 if max(ex) == 0 else "excluded without a cohort template: %s" % ex)' || exit 1

# every row equals `adal check` of the file against the same other files (no cohort
# template: check has none)
$ADAL batch course --no-db --out out-eq --against "$SRC" --common-share 1.01 -q 2>/dev/null
mapfile -t cur < <(python3 -c '
import json
d = json.load(open("out-eq/summary.json"))
for r in d["submissions"]:
    if r["status"] == "checked": print(r["file"])')
[ ${#cur[@]} -eq 12 ] || fail "${#cur[@]} checked rows"
: > check.jsonl
for f in "${cur[@]}"; do
  args=(check "course/$f" --against "$SRC" --format json)
  for o in "${cur[@]}"; do [ "$o" = "$f" ] || args+=(--against "course/$o"); done
  $ADAL "${args[@]}" >> check.jsonl 2>/dev/null
done
python3 - <<'PYEOF' || exit 1
import json, sys
d = json.load(open("out-eq/summary.json"))
chk = {}
for line in open("check.jsonl", encoding="utf-8"):
    j = json.loads(line)
    chk[j["file"].split("course/", 1)[1]] = j
bad = 0
for r in d["submissions"]:
    if r["status"] != "checked":
        continue
    c = chk[r["file"]]
    got = (r["originality"], r["borrowed"], r["cited"], r["excluded"], r["band_index"],
           r["borderline"], (r["top_source"] or "").rsplit("/", 1)[-1])
    want = (c["originality"], c["borrowed"], c["cited"], c["excluded"]["percent"],
            c["band"]["index"], c["borderline"],
            c["sources"][0]["id"].rsplit("/", 1)[-1] if c["sources"] else "")
    if got != want:
        print("FAIL: %s: batch %s, check %s" % (r["file"], got, want)); bad = 1
sys.exit(bad)
PYEOF

# incremental: nothing changed → nothing checked; one file changed → it (and the files that
# share fingerprints with it) re-checked, the rest kept
cp out/summary.json first.json
$ADAL batch course --no-db --out out --against "$SRC" -q 2>/dev/null
python3 -c '
import json, sys
a, b = json.load(open("first.json")), json.load(open("out/summary.json"))
assert b["counts"] == {"submissions": 14, "checked": 0, "unchanged": 12, "failed": 1}, b["counts"]
for x, y in zip(a["submissions"], b["submissions"]):
    x = dict(x); y = dict(y)
    if x["status"] == "checked": x["status"] = "unchanged"
    assert x == y, (x, y)
assert a["clusters"] == b["clusters"]' || fail "rerun without changes"
printf '\nМен бүгін мүлдем жаңа сөйлем жаздым, ол ешкімнің жұмысында жоқ.\n' >> course/01-Aigerim/essay.docx.txt 2>/dev/null
python3 - <<'PYEOF'
# rewrite Aigerim's essay as text with one new sentence (content changes, student stays)
import zipfile, re, os
p = "course/01-Aigerim/essay.docx"
os.remove("course/01-Aigerim/essay.docx.txt") if os.path.exists("course/01-Aigerim/essay.docx.txt") else None
z = zipfile.ZipFile(p)
items = [(i, z.read(i.filename)) for i in z.infolist()]
z.close()
with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as w:
    for i, data in items:
        if i.filename == "word/document.xml":
            data = data.replace(b"</w:body>", "<w:p><w:r><w:t>Бүгін мен мүлдем жаңа сөйлем жаздым.</w:t></w:r></w:p></w:body>".encode(), 1) if b"<w:sectPr" not in data else data.replace(b"<w:sectPr", "<w:p><w:r><w:t>Бүгін мен мүлдем жаңа сөйлем жаздым.</w:t></w:r></w:p><w:sectPr".encode(), 1)
        w.writestr(i, data)
PYEOF
$ADAL batch course --no-db --out out --against "$SRC" 2>err2.txt
cat err2.txt
python3 -c '
import json, sys
b = json.load(open("out/summary.json"))
rows = {r["file"]: r for r in b["submissions"]}
assert rows["01-Aigerim/essay.docx"]["status"] == "checked", rows["01-Aigerim/essay.docx"]
c = b["counts"]
assert c["checked"] == 1 and c["unchanged"] == 11, c' || fail "rerun after one change"
grep -q 'checked 01-Aigerim/essay.docx' err2.txt || fail "no progress line for the re-checked file"
# --force redoes all
$ADAL batch course --no-db --out out --against "$SRC" --force -q 2>/dev/null
python3 -c '
import json; c = json.load(open("out/summary.json"))["counts"]
assert c["checked"] == 12, c' || fail "--force"
# the cohort template's warning in the grader's language in the page; the JSON report keeps
# the English sentence and its code
$ADAL batch course --no-db --out outru --against "$SRC" --lang ru -q 2>/dev/null
nb=$(printf '\302\240')
grep -q "<li data-code=\"excluded-cohort\">исключено [0-9]*,[0-9]$nb% текста: этот текст есть не менее чем у [0-9]* из 12 обучающихся (общий шаблон группы)</li>" \
  outru/reports/05-Timur/essay.docx.html || fail "the cohort warning is not in Russian"
python3 -c '
import json; r = json.load(open("outru/reports/05-Timur/essay.docx.json"))
assert r["warning_codes"] == ["excluded-cohort"], r["warning_codes"]
assert r["warnings"][0].endswith("of the 12 students (cohort template)"), r["warnings"]' \
  || fail "JSON warnings: English and codes"
# a run that cannot start names the file at fault once (it said "adal: nope: nope: ...")
$ADAL batch nope --no-db --out out2 2>err3.txt
rc=$?
[ $rc -eq 2 ] || fail "no course folder: exit $rc, expected 2"
grep -qx 'adal: nope: not a folder \[io\]' err3.txt || { cat err3.txt; fail "no course folder: message"; }
echo "batch over the sample course ok"
