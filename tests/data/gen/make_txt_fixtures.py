#!/usr/bin/env python3
"""make_txt_fixtures.py — regenerate tests/data/txt/ (the plain-text reader's fixtures).

Real prose, public domain: Abai's Words of Edification (Kazakh) and Chekhov's "Anyuta"
(Russian), taken from ../shared/data, converted with glibc iconv (the converter adal
itself uses) into every encoding the reader detects. Run from the repository root:
    python3 tests/data/gen/make_txt_fixtures.py [SHARED_DIR]
Deterministic: the same inputs give the same bytes.
"""
import os
import random
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared")
out = os.path.join(root, "tests", "data", "txt")
os.makedirs(out, exist_ok=True)


def iconv(text, enc):
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", enc], input=text.encode("utf-8"),
                          check=True, capture_output=True).stdout


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


# Kazakh: the first five Words, paragraphs separated by blank lines (as in the source)
with open(os.path.join(shared, "data/kazakh/abai/abai-kara-soz.LF.txt"), encoding="utf-8") as f:
    kk = "".join(f.readlines()[:9])
# Russian: the opening of "Anyuta", one paragraph per line (no blank lines, as in the source)
with open(os.path.join(shared, "data/russian/ruslit/Chekhov/Анюта.txt"), encoding="utf-8") as f:
    ru = "".join(f.readlines()[:10])

write("kk.utf8.txt", kk.encode("utf-8"))
write("kk.utf8-bom.txt", b"\xef\xbb\xbf" + kk.encode("utf-8"))
write("kk.rk1048.txt", iconv(kk, "RK1048"))
write("kk.rk1048-crlf.txt", iconv(kk.replace("\n", "\r\n"), "RK1048"))
write("kk.utf16le-bom.txt", iconv(kk, "UTF-16"))  # glibc writes a LE BOM
write("kk.utf16le.txt", iconv(kk, "UTF-16LE"))     # BOM-less
write("kk.utf16be.txt", iconv(kk, "UTF-16BE"))     # BOM-less
write("ru.utf8.txt", ru.encode("utf-8"))
write("ru.cp1251.txt", iconv(ru, "CP1251"))
write("ru.cp1251-crlf.txt", iconv(ru.replace("\n", "\r\n"), "CP1251"))
# KOI8-R and CP866 have no « » — …: DOS-era text used ASCII quotes and dashes
ru7 = ru.replace("«", '"').replace("»", '"').replace("—", "-").replace("…", "...")
write("ru7.utf8.txt", ru7.encode("utf-8"))
write("ru7.koi8r.txt", iconv(ru7, "KOI8-R"))
write("ru7.cp866.txt", iconv(ru7, "CP866"))
write("ru.utf16be-bom.txt", b"\xfe\xff" + iconv(ru, "UTF-16BE"))
# a Russian word at the end of a Kazakh-free line must not turn CP1251 into RK1048, and a
# short Kazakh line must: the two code pages differ only in the Kazakh letters
write("kk-short.rk1048.txt", iconv("Қазақ тілі — мемлекеттік тіл.\n", "RK1048"))
write("ru-short.cp1251.txt", iconv("Съешь же ещё этих мягких французских булок.\n", "CP1251"))

# the Latin fallback: an English answer with Word's curly quotes and a few accented words,
# as Notepad saved them before UTF-8 (like the Clough-Stevenson answers in ../shared/data)
en = ("The student’s answer – “copied” or not – was checked.\n"
      "Inheritance lets a class reuse another’s code; the café’s naïve résumé follows…\n")
write("en.utf8.txt", en.encode("utf-8"))
write("en.cp1252.txt", iconv(en, "CP1252"))

# binary junk: deterministic pseudo-random bytes (with NULs), and control bytes without NUL
rnd = random.Random(20261123)
write("junk.bin", bytes(rnd.randrange(256) for _ in range(3000)))
write("ctrl.bin", bytes(rnd.choice([1, 2, 3, 5, 0x41, 0x42, 0xC0, 0xE0]) for _ in range(2000)))
