#!/usr/bin/python3
"""make_docx.py — regenerate office/kk_disguised.docx, a Kazakh "essay" written with
python-docx that hides its borrowing the ways students do (DESIGN.md §4): a paragraph copied
from texts/refs/abai_38.txt with Latin look-alike letters swapped into Cyrillic words, a hidden
run (w:vanish) and a white run of padding words inside it, and a tiny (1 pt) run.
Run: /usr/bin/python3 tests/data/make_docx.py   (Debian python3-docx)
"""
import os
from docx import Document
from docx.shared import Pt, RGBColor

here = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(here, "texts/refs/abai_38.txt"), encoding="utf-8").read()
copied = src.split("\n")[0][:900]
copied = copied[: copied.rfind(" ")]
words = copied.split(" ")
# every third word: Cyrillic а о е р с → Latin a o e p c (homoglyphs)
swap = str.maketrans("аоерс", "aoepc")
words = [w.translate(swap) if i % 3 == 0 else w for i, w in enumerate(words)]
half = len(words) // 2

doc = Document()
doc.add_paragraph("Менің эссеім тәрбие мен білім туралы. Мен бұл тақырыпты өзім таңдадым, "
                  "себебі ол әр отбасына маңызды.")
p = doc.add_paragraph()
p.add_run(" ".join(words[:half]) + " ")
h = p.add_run("жасырын сөздер санды көбейту үшін қосылды ")
h.font.hidden = True
wr = p.add_run("ақ түсті толтырғыш мәтін ")
wr.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
p.add_run(" ".join(words[half:]))
t = p.add_run(" кішкентай")
t.font.size = Pt(1)
doc.add_paragraph("Қорытындылай келе, ата-ана мен ұстаз бірге жұмыс істеуі керек деп ойлаймын.")
doc.core_properties.author = "adal tests"
doc.core_properties.created = __import__("datetime").datetime(2026, 1, 1)
doc.core_properties.modified = __import__("datetime").datetime(2026, 1, 1)
doc.save(os.path.join(here, "office/kk_disguised.docx"))
