#!/usr/bin/env python3
"""gen_docx.py — the ingest benchmark's corpus: N student-essay-like DOCX files written by
python-docx (a real DOCX writer), each a title and 10-30 paragraphs of real sentences: Kazakh
from Abai's Words of Edification and KazNERD, Russian from the RusLit classics
(../shared/data). About a third of the essays are Kazakh, a third Russian, a third mixed.
Deterministic: the same seed and data give the same texts.

    gen_docx.py OUT_DIR [N=300] [SHARED=../shared] [SEED=20261123]
"""
import glob
import os
import random
import re
import sys

import docx

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
shared = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "..", "..", "shared")
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261123
rnd = random.Random(seed)
split = re.compile(r"(?<=[.!?…])\s+")


def sentences(text):
    return [s.strip() for s in split.split(text) if 40 <= len(s.strip()) <= 400]


kk = sentences(open(os.path.join(shared, "data/kazakh/abai/abai-kara-soz.LF.txt"), encoding="utf-8").read())
with open(os.path.join(shared, "data/kazakh/kaznerd/kaznerd_test.sentences.txt"), encoding="utf-8") as f:
    kk += [l.strip() for l in f if len(l.strip()) >= 40][:8000]
ru = []
for p in sorted(glob.glob(os.path.join(shared, "data/russian/ruslit/*/*.txt")))[:120]:
    with open(p, encoding="utf-8", errors="replace") as f:
        ru += sentences(f.read().replace("\n", " "))
if not kk or not ru:
    sys.exit("gen_docx.py: no sentences found under " + shared)

os.makedirs(out, exist_ok=True)
for i in range(n):
    lang = i % 3  # 0 Kazakh, 1 Russian, 2 mixed
    pool = kk if lang == 0 else ru if lang == 1 else kk + ru
    d = docx.Document()
    d.add_heading(rnd.choice(pool)[:60], level=1)
    for _ in range(rnd.randint(10, 30)):
        d.add_paragraph(" ".join(rnd.choice(pool) for _ in range(rnd.randint(3, 8))))
    d.save(os.path.join(out, "essay%03d.docx" % i))
