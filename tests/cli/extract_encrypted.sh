#!/usr/bin/env bash
# extract_encrypted.sh — an encrypted DOCX and a legacy .doc are refused with their own
# message and code on stderr (`adal: FILE: ... [encrypted]`), nothing on stdout, exit 2.
set -u
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
check() { # FILE EXPECTED-STDERR
  out=$($ADAL_WRAP "$ADAL" extract "$1" 2>"$tmp"); rc=$?
  err=$(cat "$tmp")
  [ "$rc" = 2 ] || { echo "$1: exit $rc, want 2"; exit 1; }
  [ -z "$out" ] || { echo "$1: printed on stdout: $out"; exit 1; }
  [ "$err" = "$2" ] || { echo "$1: stderr '$err', want '$2'"; exit 1; }
}
d="$ROOT/tests/data/cfb"
check "$d/encrypted-agile.cfb" \
  "adal: $d/encrypted-agile.cfb: document is password-protected (Agile encryption); save it without a password [encrypted]"
check "$d/legacy.cfb" "adal: $d/legacy.cfb: legacy Word 97-2003 .doc; save it as .docx [legacy-doc]"
# the real files, when ../shared is here
s="$ADAL_SHARED/data/docx"
if [ -d "$s" ]; then
  f="$s/apache-poi/test-data/document/bug53475-password-is-pass.docx"
  check "$f" "adal: $f: document is password-protected (Agile encryption); save it without a password [encrypted]"
  f="$s/msoffcrypto-tool/tests/inputs/rc4cryptoapi_password.doc"
  check "$f" "adal: $f: legacy Word 97-2003 .doc, password-protected; save it as .docx without a password [legacy-doc]"
fi
exit 0
