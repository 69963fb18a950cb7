#!/usr/bin/env bash
# The HTML pages in a real browser (issue 5): headless Chromium loads the reports of the
# sample course's real DOCX/ODT/TXT essays (corpus/course against corpus/sources), the hostile
# DOCX (tests/data/office/hostile.docx) and the batch index of the hand-written summary.json,
# and tests/browser/check_pages.py checks the DOM over the DevTools protocol: figures equal
# the JSON report, every passage highlighted with its own text, the source side by side on
# selection, nothing from the essay executed, the page usable without JavaScript.
# Screenshots and PDFs go to a temporary folder ($ADAL_SHOTS to keep them). Skips (77) when
# Chromium is not installed (tools/deps.sh installs it with ADAL_DEPS_EXTRA=1).
. "$ROOT/tests/cli/lib/check.sh"
need_engine
CHROMIUM=${ADAL_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || { echo "chromium not installed"; exit 77; }
PY=/usr/bin/python3; [ -x $PY ] || PY=$(command -v python3)
SHOTS=${ADAL_SHOTS:-$TMP/shots}
C="$ROOT/corpus"
args=()
n=0
while IFS= read -r f; do
  n=$((n + 1)); b=$TMP/r$n
  $ADAL check "$f" --against "$C/sources" --template "$C/assignment.docx" --format json -o "$b.json" 2>/dev/null
  rc=$?
  [ $rc -le 1 ] || continue   # 13-Bolat/essay.docx is broken on purpose
  $ADAL check "$f" --against "$C/sources" --template "$C/assignment.docx" --format html --lang kk \
    -o "$b.html" 2>/dev/null
  [ $? -eq $rc ] || fail "check --format html exit status differs from json for $f"
  args+=("report:$b.html:$b.json")
done < <(find "$C/course" -type f | sort)
[ ${#args[@]} -ge 10 ] || fail "only ${#args[@]} sample reports were written"
# the hostile essay, with its copied paragraph
$ADAL check "$ROOT/tests/data/office/hostile.docx" --against refs/abai_38.txt --format json -o "$TMP/hostile.json"
$ADAL check "$ROOT/tests/data/office/hostile.docx" --against refs/abai_38.txt --format html --lang en -o "$TMP/hostile.html"
args+=("report:$TMP/hostile.html:$TMP/hostile.json")
# the batch index
mkdir -p "$TMP/batch"
cp "$ROOT/tests/data/batch/out/summary.json" "$TMP/batch/"
$ADAL summary "$TMP/batch" --lang kk || fail "adal summary failed"
args+=("index:$TMP/batch/index.html:$TMP/batch/summary.json")
# a real batch run over the sample course: its index, and the HTML report it wrote beside
# each JSON report
$ADAL batch "$C/course" --no-db --against "$C/sources" --template "$C/assignment.docx" \
  --out "$TMP/real" --lang ru -q 2>/dev/null
[ $? -le 2 ] || fail "adal batch crashed"
[ -s "$TMP/real/index.html" ] || fail "adal batch wrote no index.html"
args+=("index:$TMP/real/index.html:$TMP/real/summary.json")
nb=0
while IFS= read -r j; do
  h=${j%.json}.html
  [ -s "$h" ] || fail "batch wrote $j but no $h"
  args+=("report:$h:$j"); nb=$((nb + 1))
done < <(find "$TMP/real/reports" -name '*.json' | sort)
[ $nb -ge 10 ] || fail "batch wrote only $nb reports"
timeout 600 nice $PY "$ROOT/tests/browser/check_pages.py" "$CHROMIUM" "$SHOTS" "${args[@]}"
