"""sentences.py — the real sentences the bench generators draw from (../shared/data): Kazakh
from Abai's Words of Edification and KazNERD, Russian from the RusLit classics. One loader
for gen_docx.py, gen_store_texts.py and gen_course.py, so the three corpora are cut from the
same text the same way; each keeps its own limits (sentence length, how many KazNERD lines
and RusLit files), which are part of what makes its output the same for a seed.
"""
import glob
import os
import re
import sys

# a sentence ends at . ! ? … followed by white space
SPLIT = re.compile(r"(?<=[.!?…])\s+")
# ../shared beside the repository, as the bench scripts are run from its top folder
SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared")


def split(text, max_len=400):
    """The sentences of text of 40 to max_len characters, stripped."""
    return [s.strip() for s in SPLIT.split(text) if 40 <= len(s.strip()) <= max_len]


def load(shared, prog, max_len=400, kaznerd="kaznerd_test.sentences.txt", kaznerd_max=None,
         ruslit_max=None):
    """(kk, ru): the Kazakh and Russian sentences under shared/data, in file order. kaznerd is
    a glob of KazNERD's one-sentence-a-line files (lines of 40 characters or more, the first
    kaznerd_max of each); ruslit_max the number of RusLit files read (sorted by path). Exits
    with "PROG: no sentences found under SHARED" when a language has none."""
    with open(os.path.join(shared, "data/kazakh/abai/abai-kara-soz.LF.txt"), encoding="utf-8") as f:
        kk = split(f.read(), max_len)
    for p in sorted(glob.glob(os.path.join(shared, "data/kazakh/kaznerd", kaznerd))):
        with open(p, encoding="utf-8") as f:
            kk += [l.strip() for l in f if len(l.strip()) >= 40][:kaznerd_max]
    ru = []
    for p in sorted(glob.glob(os.path.join(shared, "data/russian/ruslit/*/*.txt")))[:ruslit_max]:
        with open(p, encoding="utf-8", errors="replace") as f:
            ru += split(f.read().replace("\n", " "), max_len)
    if not kk or not ru:
        sys.exit(prog + ": no sentences found under " + shared)
    return kk, ru
