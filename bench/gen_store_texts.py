#!/usr/bin/env python3
"""gen_store_texts.py — the store benchmark's corpus: N plain-text essays (UTF-8) of real
sentences, Kazakh from Abai's Words of Edification and KazNERD, Russian from the RusLit
classics (../shared/data), a third each Kazakh, Russian and mixed, 4-10 paragraphs of 2-5
sentences (about 350 words, 4-5 KB). The words of every sentence are shuffled: the pool holds
~100k sentences, so 100,000 essays drawn from it verbatim would each share whole sentences
with dozens of others, which no real corpus does; shuffled, the token statistics (languages,
word lengths, vocabulary) stay real while unrelated essays share no 8-word run.

Also writes Q query essays (queries/qNN.txt): fresh shuffled text with 1-3 passages of 2-4
consecutive sentences copied verbatim from stored essays among the first BASE (so the same
queries find their sources at every store size), as a student's borrowing would.

Files go into OUT_DIR/docs/dNNN/eNNNNNN.txt, 1,000 per folder. Deterministic by seed.

    gen_store_texts.py OUT_DIR N [Q=50] [BASE=10000] [SHARED=../shared] [SEED=20261203]
"""
import os
import random
import sys

import sentences

out = sys.argv[1]
n = int(sys.argv[2])
q = int(sys.argv[3]) if len(sys.argv) > 3 else 50
base = min(n, int(sys.argv[4]) if len(sys.argv) > 4 else 10000)
shared = sys.argv[5] if len(sys.argv) > 5 else sentences.SHARED
seed = int(sys.argv[6]) if len(sys.argv) > 6 else 20261203
rnd = random.Random(seed)

kk, ru = sentences.load(shared, "gen_store_texts.py")
kk = [s.split() for s in kk]
ru = [s.split() for s in ru]


def shuffled(pool):
    w = list(rnd.choice(pool))
    rnd.shuffle(w)
    s = " ".join(w)
    return s[0].upper() + s[1:] + ("" if s[-1] in ".!?…" else ".")


def essay(i):
    lang = i % 3
    pool = kk if lang == 0 else ru if lang == 1 else kk + ru
    paras = []
    for _ in range(rnd.randint(4, 10)):
        paras.append(" ".join(shuffled(pool) for _ in range(rnd.randint(2, 5))))
    return paras


def path_of(i):
    return os.path.join(out, "docs", "d%03d" % (i // 1000), "e%06d.txt" % i)


for i in range(n):
    p = path_of(i)
    if i % 1000 == 0:
        os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write("\n".join(essay(i)) + "\n")

os.makedirs(os.path.join(out, "queries"), exist_ok=True)
truth = []
for k in range(q):
    paras = essay(rnd.randrange(n))
    srcs = rnd.sample(range(base), rnd.randint(1, 3))
    for s in srcs:
        with open(path_of(s), encoding="utf-8") as f:
            text = f.read().replace("\n", " ")
        sents = [x for x in sentences.SPLIT.split(text) if x.strip()]
        a = rnd.randrange(max(1, len(sents) - 4))
        paras.insert(rnd.randrange(len(paras) + 1), " ".join(sents[a:a + rnd.randint(2, 4)]))
    with open(os.path.join(out, "queries", "q%02d.txt" % k), "w", encoding="utf-8") as f:
        f.write("\n".join(paras) + "\n")
    truth.append("q%02d.txt\t%s" % (k, " ".join("e%06d.txt" % s for s in srcs)))
with open(os.path.join(out, "queries", "TRUTH.tsv"), "w") as f:
    f.write("\n".join(truth) + "\n")
