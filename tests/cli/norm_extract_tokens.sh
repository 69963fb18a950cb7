#!/usr/bin/env bash
# norm_extract_tokens — `adal extract --tokens` on a TXT file mixing the tricks the
# normaliser undoes: Kazakh Latin 2021 (Wikipedia sample) becomes the Cyrillic keys, a
# homoglyphed and zero-width-split Russian word gets the plain word's key, and the evasion
# line counts each kind.
set -eu
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken qazysynyñ üiıne kelıp qonypty.\nВсе счастливые семьи похожи друг на друга: пл\xe2\x80\x8baгиaт\xc2\xa0и плагиат.\n' > "$tmp/in.txt"
out=$(${ADAL_WRAP:-} "$ADAL" extract --tokens "$tmp/in.txt")
echo "$out"
echo "$out" | grep -q -- '-- evasion:.*homoglyph 1.*invisible 1.*odd-space 1.*kazakh-latin 14'
echo "$out" | grep -q 'Būryñğy -> бурынк$'
echo "$out" | grep -q 'şaharynyñ -> шахар$'
# the disguised word and the plain one share a key; the disguised span keeps the ZWSP
[ "$(echo "$out" | grep -c -- '-> плагиат$')" = 2 ]
echo "$out" | grep -q $'пл\u200baгиaт -> плагиат$'
