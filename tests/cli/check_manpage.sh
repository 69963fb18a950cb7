#!/usr/bin/env bash
# The man page keeps up with the program: every long option that `adal CMD --help` shows
# for check, compare, extract, grade, summary, batch and corpus is documented in docs/adal.1, and so is every exit
# status the commands use.
set -u
man="$ROOT/docs/adal.1"
[ -f "$man" ] || { echo "no docs/adal.1"; exit 1; }
text=$(sed 's/\\-/-/g' "$man")
bad=0
for cmd in check compare extract grade summary batch corpus; do
  for opt in $($ADAL $cmd --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -- "$opt" <<<"$text" || { echo "docs/adal.1 lacks $cmd $opt"; bad=1; }
  done
done
for st in 0 1 2; do
  grep -q "^\.B $st\$" "$man" || { echo "exit status $st undocumented"; bad=1; }
done
if command -v man >/dev/null; then
  w=$(MANWIDTH=80 man --warnings -l "$man" 2>&1 >/dev/null)
  [ -z "$w" ] || { echo "man warnings: $w"; bad=1; }
fi
exit $bad
