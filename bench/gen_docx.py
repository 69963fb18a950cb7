#!/usr/bin/env python3
"""gen_docx.py — the ingest benchmark's corpus: N student-essay-like DOCX files written by
python-docx (a real DOCX writer), each a title and 10-30 paragraphs of real sentences: Kazakh
from Abai's Words of Edification and KazNERD, Russian from the RusLit classics
(../shared/data). About a third of the essays are Kazakh, a third Russian, a third mixed.
Deterministic: the same seed and data give the same texts.

    gen_docx.py OUT_DIR [N=300] [SHARED=../shared] [SEED=20261123]
"""
import os
import random
import sys

import docx

import sentences

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
shared = sys.argv[3] if len(sys.argv) > 3 else sentences.SHARED
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261123
rnd = random.Random(seed)
kk, ru = sentences.load(shared, "gen_docx.py", kaznerd_max=8000, ruslit_max=120)

os.makedirs(out, exist_ok=True)
for i in range(n):
    lang = i % 3  # 0 Kazakh, 1 Russian, 2 mixed
    pool = kk if lang == 0 else ru if lang == 1 else kk + ru
    d = docx.Document()
    d.add_heading(rnd.choice(pool)[:60], level=1)
    for _ in range(rnd.randint(10, 30)):
        d.add_paragraph(" ".join(rnd.choice(pool) for _ in range(rnd.randint(3, 8))))
    d.save(os.path.join(out, "essay%03d.docx" % i))
