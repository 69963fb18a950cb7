#!/usr/bin/env python3
"""make.py — regenerate the small real-text fixtures of the check/compare tests from
../shared/data (public-domain Abai and Russian classics; KazNERD sentences, CC BY 4.0: see
ATTRIBUTION.md). Run from anywhere: python3 tests/data/make_texts.py [SHARED_DIR]

refs/    reference texts (excerpts, unchanged words)
essays/  "student essays" assembled from real sentences with planted, known borrowings:
  kk_copy.txt     ~80 % copied from refs/abai_38.txt  (below the 60 % threshold)
  kk_planted.txt  KazNERD sentences + one paragraph of refs/abai_25.txt (~1/3 copied)
  ru_planted.txt  Pushkin sentences + a passage of refs/chekhov_vanka.txt
  ru_clean.txt    Turgenev, found in no reference
../template_kk.txt  an "assignment sheet" whose sentences open essays/kk_planted.txt
"""
import os, sys

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "texts")
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../../shared")
data = os.path.join(shared, "data")

def read(rel):
    with open(os.path.join(data, rel), encoding="utf-8") as f:
        return f.read()

def cut(text, n):
    """The first ~n characters, ending at a sentence end."""
    if len(text) <= n:
        return text
    end = max(text.rfind(". ", 0, n), text.rfind("! ", 0, n), text.rfind("? ", 0, n))
    return text[: end + 1] if end > 0 else text[:n]

def write(rel, text):
    p = os.path.join(here, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text.strip() + "\n")

abai = read("kazakh/abai/abai-kara-soz.LF.txt").split("\n")
def abai_word(first_line):  # 1-based line of the word's title line, to the next title
    out = []
    for line in abai[first_line - 1:]:
        if out and line.split(" ")[-1:] == ["СӨЗ"] or (out and " СӨЗ " in line[:40]):
            break
        out.append(line)
    return "\n".join(l for l in out if l.strip())

abai_02 = cut(abai_word(17), 2500)
abai_25 = cut(abai_word(235), 2500)
abai_38 = cut(abai_word(437), 2500)
write("refs/abai_02.txt", abai_02)
write("refs/abai_25.txt", abai_25)
write("refs/abai_38.txt", abai_38)

def classic(rel, skip, n):
    t = read(rel)
    t = "\n".join(l.strip() for l in t.split("\n")[skip:] if l.strip())
    return cut(t, n)

vanka = classic("russian/ruslit/Chekhov/Ванька.txt", 2, 2500)
nos = classic("russian/ruslit/Gogol/Нос.txt", 2, 2500)
write("refs/chekhov_vanka.txt", vanka)
write("refs/gogol_nos.txt", nos)

# essays
kaznerd = [l.strip() for l in read("kazakh/kaznerd/kaznerd_valid.sentences.txt").split("\n")]
seen, sents = set(), []
for s in kaznerd[200:2000]:
    if 70 <= len(s) <= 200 and s[:15] not in seen and s.endswith("."):
        seen.add(s[:15])
        sents.append(s)
p25 = cut(abai_25, 900)
write("essays/kk_planted.txt",
      " ".join(sents[0:6]) + "\n" + p25 + "\n" + " ".join(sents[6:12]))
# the teacher's assignment sheet: its wording is repeated at the top of kk_planted.txt
with open(os.path.join(here, "..", "template_kk.txt"), "w", encoding="utf-8") as f:
    f.write("Тапсырма.\n" + " ".join(sents[0:3]) + "\n")
p38 = cut(abai_38, 2000)
write("essays/kk_copy.txt", " ".join(sents[12:15]) + "\n" + p38)

dub = classic("russian/ruslit/Pushkin/Дубровский.txt", 2, 1800)
pv = vanka[600:1500]
pv = pv[pv.find(" ") + 1:]
write("essays/ru_planted.txt", dub[:900] + "\n" + cut(pv, 800) + "\n" + dub[900:])
write("essays/ru_clean.txt", classic("russian/ruslit/Turgenev/" + sorted(
    f for f in os.listdir(os.path.join(data, "russian/ruslit/Turgenev")) if f.endswith(".txt"))[0],
    2, 1500))
