#!/usr/bin/env python3
"""make_kazakh_set.py — a labelled set of Kazakh DOCX essays for `make eval` part 4.

No public Kazakh plagiarism corpus with ground truth exists (data/README.md), so essays are
assembled from real Kazakh text in data/kazakh: Abai's *Қара сөздер* (odd-numbered words are
reference sources, even-numbered ones essay text) and KazNERD news sentences (test split →
40 reference "articles", valid split → essay text). Essay text that shares a (folded, truncated)
word 5-gram with any reference is dropped, so unplanted matches cannot exist. Passages copied
from the references are planted, each essay disguising them with one trick the ingest and
normalise stages handle: verbatim, Latin homoglyphs, ZWSP inside words, white letters between
words, hidden padding text, NBSP, upper case, «» around words, re-wrapped lines, Kazakh Latin
2021 and 2018, Kazakh letters typed as Russian. Fully original essays (some with a trick on
their own text) check the false-positive side.

Truth, exactly as DESIGN.md §3: countable = letters and digits (general category L* or Nd) of
the visible text (hidden and white runs excluded); covered = the planted passages' countable
characters; originality = 100 × (1 − covered / countable). Essays are written by python-docx;
every third one is re-saved by LibreOffice (`soffice --convert-to docx`), and every DOCX is
re-read (tools/eval/make_kazakh_set.py:visible_docx) to confirm its visible letter count.

Usage: make_kazakh_set.py OUT [--seed S] [--no-soffice]
Writes OUT/sources/*.txt, OUT/essays/*.docx, OUT/text/*.txt (the naive text of each essay,
hidden runs included, for sim_text), OUT/truth.csv. Same data + seed → same set.
"""
import argparse
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402

# ---- the tricks -------------------------------------------------------------------------------

HOMO = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i",
        "ә": "\u0259", "ө": "\u0275", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M",
        "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I"}

LAT2021 = {"а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e",
           "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l",
           "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s",
           "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
           "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
           "ю": "iu", "я": "ia"}
LAT2021_UP = {"И": "İ", "Й": "İ", "І": "I", "Ю": "İu", "Я": "İa"}
LAT2018 = {"а": "a", "ә": "á", "б": "b", "в": "v", "г": "g", "ғ": "ǵ", "д": "d", "е": "e",
           "ё": "io", "ж": "j", "з": "z", "и": "ı", "й": "ı", "к": "k", "қ": "q", "л": "l",
           "м": "m", "н": "n", "ң": "ń", "о": "o", "ө": "ó", "п": "p", "р": "r", "с": "s",
           "т": "t", "у": "ý", "ұ": "u", "ү": "ú", "ф": "f", "х": "h", "һ": "h", "ц": "c",
           "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e",
           "ю": "ıý", "я": "ıa"}
LAT2018_UP = {"И": "I", "Й": "I", "І": "I", "Ю": "Iý", "Я": "Ia"}
RUKBD = {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
         "і": "и"}

TRICKS = ["verbatim", "homoglyph", "zwsp", "white", "hidden", "nbsp", "upper", "guillemets",
          "rewrap", "latin2021", "latin2018", "rukbd"]
SHARES = [0.05, 0.10, 0.25, 0.45, 0.70, 0.90]  # target borrowed share, one essay each per trick


def translit(text, low, up):
    out = []
    for ch in text:
        if ch in up:
            out.append(up[ch])
        elif ch in low:
            out.append(low[ch])
        elif ch.lower() in low:
            t = low[ch.lower()]
            out.append(t[:1].upper() + t[1:])
        else:
            out.append(ch)
    return "".join(out)


def ru_keyboard(text):
    return "".join(RUKBD.get(ch, RUKBD[ch.lower()].upper() if ch.lower() in RUKBD else ch)
                   for ch in text)


def homoglyph(text, rng, rate=0.5):
    return "".join(HOMO[ch] if ch in HOMO and rng.random() < rate else ch for ch in text)


def zwsp(text):
    def one(m):
        w = m.group(0)
        return w[:len(w) // 2] + "\u200b" + w[len(w) // 2:] if len(w) >= 4 else w
    return re.sub(r"\w+", one, text)


def guillemets(text):
    ws = text.split(" ")
    for k in range(1, len(ws), 3):
        m = re.match(r"^(\w[\w-]*)(.*)$", ws[k])
        if m:
            ws[k] = f"«{m.group(1)}»{m.group(2)}"
    return " ".join(ws)


def disguise(trick, text, rng, filler_words):
    """Runs [(text, kind)] of one planted passage (kind: b = borrowed, hidden, white) and
    whether it must stand as its own paragraph(s) (a list of run lists)."""
    if trick == "verbatim":
        return [[(text, "b")]]
    if trick == "homoglyph":
        return [[(homoglyph(text, rng), "b")]]
    if trick == "zwsp":
        return [[(zwsp(text), "b")]]
    if trick == "nbsp":
        return [[(text.replace(" ", "\u00a0"), "b")]]
    if trick == "upper":
        return [[(text.upper(), "b")]]
    if trick == "guillemets":
        return [[(guillemets(text), "b")]]
    if trick == "latin2021":
        return [[(translit(text, LAT2021, LAT2021_UP), "b")]]
    if trick == "latin2018":
        return [[(translit(text, LAT2018, LAT2018_UP), "b")]]
    if trick == "rukbd":
        return [[(ru_keyboard(text), "b")]]
    if trick == "white":  # every space replaced by a white letter
        runs = []
        for k, w in enumerate(text.split(" ")):
            if k:
                runs.append((rng.choice("аеніқжс"), "white"))
            runs.append((w, "b"))
        return [runs]
    if trick == "hidden":  # hidden words after each sentence of the passage
        runs = []
        for s in re.split(r"(?<=[.!?…])\s+", text):
            if runs:
                runs.append((" ", "b"))
            runs.append((s, "b"))
            n = rng.randint(3, 8)
            runs.append((" " + " ".join(next(filler_words) for _ in range(n)), "hidden"))
        return [runs]
    if trick == "rewrap":  # hard line breaks every ~60 characters, as pasted from a PDF
        paras, line = [], ""
        for w in text.split(" "):
            if line and len(line) + 1 + len(w) > rng.randint(50, 70):
                paras.append([(line, "b")])
                line = w
            else:
                line = f"{line} {w}" if line else w
        if line:
            paras.append([(line, "b")])
        return paras
    raise ValueError(trick)


# ---- text pools -------------------------------------------------------------------------------

FOLD = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у",
                      "һ": "х", "і": "и", "й": "и", "ё": "е"})
SENT = re.compile(r"(?<=[.!?…])\s+")


def keys(text, n=5):
    ws = [w.translate(FOLD)[:6] for w in re.findall(r"\w+", text.lower())]
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def abai_words(path):
    t = open(path, encoding="utf-8").read()
    hs = [m.start() for m in re.finditer(
        r"(?m)^[А-ЯӘҒҚҢӨҰҮҺІЁ]+(?: [А-ЯӘҒҚҢӨҰҮҺІЁ]+)* СӨЗ\b", t)]
    return [t[a:b].strip() for a, b in zip(hs, hs[1:] + [len(t)])]


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [ln.strip() for ln in f if len(ln.split()) >= 5]


def build_pools(rng):
    kz = C.data_dir("kazakh")
    words = abai_words(os.path.join(kz, "abai", "abai-kara-soz.LF.txt"))
    test = read_lines(os.path.join(kz, "kaznerd", "kaznerd_test.sentences.txt"))
    valid = read_lines(os.path.join(kz, "kaznerd", "kaznerd_valid.sentences.txt"))
    sources = {}
    for k, w in enumerate(words):
        if k % 2 == 0:  # words 1, 3, 5, ...
            sources[f"abai_{k + 1:02d}.txt"] = w
    rng.shuffle(test)
    for a in range(40):
        sents = test[a * 40:(a + 1) * 40]
        paras = [" ".join(sents[i:i + 5]) for i in range(0, len(sents), 5)]
        sources[f"news_{a + 1:02d}.txt"] = "\n\n".join(paras)
    pool_keys = set()
    for t in sources.values():
        pool_keys |= keys(t)
    filler = []
    for k, w in enumerate(words):
        if k % 2 == 1:
            body = w.split(" ", 2)[-1] if k else w  # drop the "N-ШІ СӨЗ" header words
            filler += [s for s in SENT.split(body.replace("\n", " ")) if len(s.split()) >= 4]
    filler += valid
    seen, clean = set(), []
    for s in filler:
        s = re.sub(r"\s+", " ", s).strip()
        if s in seen or keys(s) & pool_keys:
            continue
        seen.add(s)
        clean.append(s)
    rng.shuffle(clean)
    return sources, clean


# ---- essays -----------------------------------------------------------------------------------


def passage_from(src_text, nwords, rng):
    sents = [s for s in SENT.split(src_text.replace("\n", " ")) if s.strip()]
    sents = [re.sub(r"\s+", " ", s).strip() for s in sents]
    for _ in range(50):
        i = rng.randrange(len(sents))
        out, n = [], 0
        while i < len(sents) and n < nwords:
            out.append(sents[i])
            n += len(sents[i].split())
            i += 1
        if n >= min(nwords, 40) and not re.match(r"^[А-ЯӘҒҚҢӨҰҮҺІЁ ]+ СӨЗ", out[0]):
            ws = " ".join(out).split(" ")
            if rng.random() < 0.3 and len(ws) > 60:  # start or end inside a sentence
                ws = ws[rng.randint(1, 8):] if rng.random() < 0.5 else ws[:-rng.randint(1, 8)]
            return " ".join(ws)
    return None


def make_essay(rng, trick, share, sources, filler):
    """Paragraphs: a list of run lists [(text, kind)]; kind o = original, b = borrowed,
    hidden, white. trick None = fully original; own_trick applies a trick to original text."""
    total = rng.randint(500, 900)
    borrowed_words = int(total * share)
    n_orig = total - borrowed_words
    paras = []
    while n_orig > 0:
        k = rng.randint(3, 6)
        sents = [next(filler) for _ in range(k)]
        paras.append([(" ".join(sents), "o")])
        n_orig -= sum(len(s.split()) for s in sents)
    planted = []
    if share > 0:
        npass = 1 if borrowed_words < 120 else rng.randint(2, 3)
        names = sorted(sources)
        for p in range(npass):
            for _ in range(20):
                src = rng.choice(names)
                text = passage_from(sources[src], max(40, borrowed_words // npass), rng)
                if text:
                    break
            planted.append((src, text))
    fw = filler_words(filler)
    for src, text in planted:
        block = disguise(trick, text, rng, fw)
        at = rng.randint(0, len(paras))
        own = trick in ("rewrap", "latin2021", "latin2018") or len(block) > 1 or rng.random() < 0.5
        if own or not paras:
            paras[at:at] = block
        else:  # inside an existing paragraph, after its first sentences
            host = paras[rng.randrange(len(paras))]
            txt = host[0][1] == "o" and host[0][0]
            if txt:
                ss = SENT.split(txt)
                cut = rng.randint(1, max(1, len(ss) - 1))
                head, tail = " ".join(ss[:cut]), " ".join(ss[cut:])
                runs = [(head + " ", "o")] + block[0] + ([(" " + tail, "o")] if tail else [])
                host[:1] = runs
            else:
                paras[at:at] = block
    if trick == "hidden":  # and a hidden paragraph of padding
        paras.append([(" ".join(next(filler) for _ in range(25)), "hidden")])
    return paras, [s for s, _ in planted]


def filler_words(filler):
    while True:
        for w in next(filler).split():
            yield w


def own_trick(paras, trick, rng, fw):
    """Apply a trick to one original paragraph of a fully original essay."""
    k = rng.randrange(len(paras))
    text = paras[k][0][0]
    if trick == "hidden":
        paras.append([(" ".join(next(fw) for _ in range(300)), "hidden")])
        return
    block = disguise(trick, text, rng, fw)
    paras[k:k + 1] = [[(t, "o" if kind == "b" else kind) for t, kind in runs] for runs in block]


def truth_of(paras):
    countable = covered = 0
    for runs in paras:
        for t, kind in runs:
            if kind in ("o", "b"):
                n = C.count_letters(t)
                countable += n
                if kind == "b":
                    covered += n
    return countable, covered


def write_docx(paras, path):
    import docx
    from docx.shared import RGBColor
    d = docx.Document()
    for runs in paras:
        p = d.add_paragraph()
        for t, kind in runs:
            r = p.add_run(t)
            if kind == "hidden":
                r.font.hidden = True
            elif kind == "white":
                r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    d.core_properties.author = "adal eval"
    d.save(path)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def visible_docx(path):
    """(visible countable letters, all text) of a DOCX body read independently of adal:
    runs with w:vanish or a white w:color (direct or through their character style) are
    invisible; w:t, w:tab and w:br give the text."""
    z = zipfile.ZipFile(path)
    styles = {}
    if "word/styles.xml" in z.namelist():
        for s in ET.fromstring(z.read("word/styles.xml")).iter(W + "style"):
            rpr = s.find(W + "rPr")
            styles[s.get(W + "styleId")] = invisible_rpr(rpr, {}) if rpr is not None else False
    root = ET.fromstring(z.read("word/document.xml"))
    vis, paras = 0, []
    for p in root.iter(W + "p"):
        line = []
        for r in p.iter(W + "r"):
            hid = invisible_rpr(r.find(W + "rPr"), styles)
            for el in r:
                if el.tag == W + "t":
                    t = el.text or ""
                    line.append(t)
                    if not hid:
                        vis += C.count_letters(t)
                elif el.tag == W + "tab":
                    line.append("\t")
                elif el.tag == W + "br":
                    line.append("\n")
        paras.append("".join(line))
    return vis, "\n".join(paras) + "\n"


def invisible_rpr(rpr, styles):
    if rpr is None:
        return False
    v = rpr.find(W + "vanish")
    if v is not None and v.get(W + "val", "true") not in ("0", "false"):
        return True
    c = rpr.find(W + "color")
    if c is not None and (c.get(W + "val") or "").upper() == "FFFFFF":
        return True
    st = rpr.find(W + "rStyle")
    return bool(st is not None and styles.get(st.get(W + "val")))


def soffice_resave(files, outdir):
    """Re-save DOCX files through LibreOffice Writer (its own DOCX writer); returns the list
    of files it wrote. A private profile keeps parallel runs apart."""
    prof = tempfile.mkdtemp(prefix="adal-eval-lo-")
    try:
        cmd = ["soffice", f"-env:UserInstallation=file://{prof}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", outdir, *files]
        subprocess.run(cmd, capture_output=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired):
        pass
    finally:
        shutil.rmtree(prof, ignore_errors=True)
    return [f for f in (os.path.join(outdir, os.path.basename(x)) for x in files)
            if os.path.exists(f)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--no-soffice", action="store_true")
    a = ap.parse_args()
    C.need_dir(C.data_dir("kazakh"), "Kazakh text (Abai, KazNERD)")
    rng = random.Random(a.seed)
    sources, clean = build_pools(rng)
    for sub in ("sources", "essays", "text", "lo"):
        shutil.rmtree(os.path.join(a.out, sub), ignore_errors=True)
        os.makedirs(os.path.join(a.out, sub))
    for name, t in sorted(sources.items()):
        with open(os.path.join(a.out, "sources", name), "w", encoding="utf-8") as f:
            f.write(t + "\n")
    filler = iter(clean)
    plan = [(t, s) for t in TRICKS for s in SHARES]
    plan += [(None, None)] * 4 + [(None, t) for t in
                                  ("homoglyph", "zwsp", "nbsp", "upper", "latin2021", "hidden")]
    rows = []
    for k, (trick, x) in enumerate(plan):
        name = f"kk_{k + 1:03d}_{trick or 'original'}{'_' + x if trick is None and x else ''}"
        if trick:
            paras, used = make_essay(rng, trick, x, sources, filler)
        else:
            paras, used = make_essay(rng, None, 0.0, sources, filler)
            if x:
                own_trick(paras, x, rng, filler_words(filler))
        countable, covered = truth_of(paras)
        path = os.path.join(a.out, "essays", name + ".docx")
        write_docx(paras, path)
        rows.append({"essay": name + ".docx", "trick": trick or "original",
                     "variant": x if trick is None and x else "", "share": x if trick else 0,
                     "writer": "python-docx", "countable": countable, "covered": covered,
                     "truth_originality": round(100.0 * (1 - covered / countable), 1),
                     "sources": " ".join(used)})
    if not a.no_soffice and shutil.which("soffice"):
        pick = [os.path.join(a.out, "essays", r["essay"]) for i, r in enumerate(rows) if i % 3 == 2]
        done = set(os.path.basename(f) for f in soffice_resave(pick, os.path.join(a.out, "lo")))
        for r in rows:
            if r["essay"] in done:
                shutil.move(os.path.join(a.out, "lo", r["essay"]),
                            os.path.join(a.out, "essays", r["essay"]))
                r["writer"] = "libreoffice"
    bad = 0
    for r in rows:
        path = os.path.join(a.out, "essays", r["essay"])
        vis, text = visible_docx(path)
        r["docx_countable"] = vis
        if vis != r["countable"]:
            bad += 1
            print(f"make_kazakh_set: {r['essay']} ({r['writer']}): visible letters {vis}"
                  f" != planned {r['countable']}", file=sys.stderr)
        with open(os.path.join(a.out, "text", r["essay"][:-5] + ".txt"), "w",
                  encoding="utf-8") as f:
            f.write(text)
    shutil.rmtree(os.path.join(a.out, "lo"), ignore_errors=True)
    with open(os.path.join(a.out, "truth.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    print(f"make_kazakh_set: {len(rows)} essays ({sum(r['writer'] == 'libreoffice' for r in rows)}"
          f" re-saved by LibreOffice), {len(sources)} sources, {len(clean)} clean filler"
          f" sentences -> {a.out}" + (f"; {bad} with a letter-count mismatch" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
