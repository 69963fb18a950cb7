#!/usr/bin/env python3
"""gen_course.py — the batch benchmark's course: N students, one DOCX essay each
(COURSE/studentNNNN/essay.docx, written by python-docx), of real sentences — Kazakh from Abai
and KazNERD, Russian from the RusLit classics (../shared/data), like bench/gen_docx.py — with
planted borrowings: every essay starts with the same title page and task wording (cohort
template), 10 % copy 2-5 paragraphs from a source text (SOURCES/sourceNN.txt, written too),
and 5 % come in pairs sharing 2-4 paragraphs (collusion). The same text goes to TXT/studentNNNN.txt
(pre-extracted, for sim_text). Deterministic for a seed.

    gen_course.py COURSE TXT SOURCES [N=1000] [SHARED=../shared] [SEED=20261203]
"""
import os
import random
import sys

import docx

import sentences

course, txtdir, srcdir = sys.argv[1], sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
shared = sys.argv[5] if len(sys.argv) > 5 else sentences.SHARED
seed = int(sys.argv[6]) if len(sys.argv) > 6 else 20261203
rnd = random.Random(seed)
kk, ru = sentences.load(shared, "gen_course.py", max_len=300, kaznerd="*.sentences.txt", ruslit_max=200)
kk = sorted(set(kk))
ru = sorted(set(ru))
rnd.shuffle(kk)
rnd.shuffle(ru)
# each essay draws its own sentences from a private slice, so unplanted overlap stays low
pools = {0: kk, 1: ru}
cursor = {0: 0, 1: 0}


def take(lang, k):
    pool = pools[lang]
    out = []
    for _ in range(k):
        out.append(pool[cursor[lang] % len(pool)])
        cursor[lang] += 1
    return out


def paragraph(lang):
    return " ".join(take(lang, rnd.randint(3, 5)))


TEMPLATE = ["Әл-Фараби атындағы Қазақ ұлттық университеті",
            "Филология факультеті, қазақ әдебиеті кафедрасы",
            "Эссе. Тапсырма: Абайдың қара сөздеріндегі адамгершілік мәселесін өз ойыңызбен "
            "талдаңыз, кемінде екі дәйексөз келтіріп, әдебиеттер тізімін жасаңыз."]

os.makedirs(course, exist_ok=True)
os.makedirs(txtdir, exist_ok=True)
os.makedirs(srcdir, exist_ok=True)
sources = []
for s in range(20):
    lang = s % 2
    sources.append([paragraph(lang) for _ in range(12)])
    with open(os.path.join(srcdir, "source%02d.txt" % s), "w", encoding="utf-8") as f:
        f.write("\n\n".join(sources[-1]) + "\n")

essays = []
for i in range(n):
    lang = i % 2
    paras = [paragraph(lang) for _ in range(rnd.randint(6, 10))]
    essays.append(paras)
truth = []
for i in range(n):
    r = rnd.random()
    if r < 0.10:
        src = rnd.randrange(len(sources))
        k = rnd.randint(2, 5)
        at = rnd.randrange(len(essays[i]))
        essays[i][at:at] = sources[src][:k]
        truth.append("student%04d source source%02d %d" % (i, src, k))
for i in range(0, n - 1, 2):
    if rnd.random() < 0.05:
        k = rnd.randint(2, 4)
        essays[i + 1][1:1] = essays[i][:k]
        truth.append("student%04d collusion student%04d %d" % (i + 1, i, k))
for i, paras in enumerate(essays):
    d = docx.Document()
    for t in TEMPLATE:
        d.add_paragraph(t)
    d.add_paragraph("Орындаған: студент %04d" % i)
    for p in paras:
        d.add_paragraph(p)
    os.makedirs(os.path.join(course, "student%04d" % i), exist_ok=True)
    d.save(os.path.join(course, "student%04d" % i, "essay.docx"))
    with open(os.path.join(txtdir, "student%04d.txt" % i), "w", encoding="utf-8") as f:
        f.write("\n".join(TEMPLATE + ["Орындаған: студент %04d" % i] + paras) + "\n")
with open(os.path.join(os.path.dirname(course.rstrip("/")) or ".", "truth.txt"), "w") as f:
    f.write("\n".join(truth) + "\n")
