#!/usr/bin/env bash
# docx_extract_hostile.sh — hostile DOCX packages end in one clear stderr line each and exit
# status 2, quickly: an entity bomb behind a DOCTYPE, 10,000-deep nesting, a missing main part.
set -u
d="$ROOT/tests/data/docx"
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
start=$(date +%s%N)
$ADAL_WRAP "$ADAL" extract "$d/billion_laughs.docx" "$d/deep.docx" "$d/no_main.docx" >/dev/null 2>"$tmp"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$rc" = 2 ] || { echo "exit $rc, want 2"; exit 1; }
[ "$(wc -l <"$tmp")" = 3 ] || { echo "want 3 stderr lines:"; cat "$tmp"; exit 1; }
grep -qF "billion_laughs.docx: part word/document.xml declares a DOCTYPE" "$tmp" &&
  grep -qF "[doctype]" "$tmp" || { cat "$tmp"; exit 1; }
grep -qF "deep.docx: part word/document.xml nests XML elements deeper than" "$tmp" || { cat "$tmp"; exit 1; }
grep -qF "no_main.docx: the main document part word/document.xml is missing" "$tmp" || { cat "$tmp"; exit 1; }
[ -n "${ADAL_WRAP:-}" ] || [ "$ms" -lt 3000 ] || { echo "took ${ms} ms"; exit 1; }
exit 0
