#!/usr/bin/env bash
# make.sh — regenerate abai.txt and chekhov.txt from ../shared/data (run from this folder).
set -eu
S=${ADAL_SHARED:-../../../../shared}
python3 - "$S" <<'PY'
import sys
S = sys.argv[1]
def take(src, dst, limit=9000):
    lines = [l.strip() for l in open(src, encoding='utf-8').read().split('\n') if l.strip()]
    out, n = [], 0
    for l in lines:
        if n > limit:
            break
        out.append(l); n += len(l)
    open(dst, 'w', encoding='utf-8').write('\n'.join(out) + '\n')
take(S + '/data/kazakh/abai/abai-kara-soz.LF.txt', 'abai.txt')
take(S + '/data/russian/ruslit/Chekhov/Анюта.txt', 'chekhov.txt')
PY
