#!/usr/bin/python3
"""make_hostile_docx.py — regenerate office/hostile.docx, an essay written with python-docx
whose text attacks the HTML report (issue 5, "student text is hostile"): <script> and
</script>, </textarea>, an <img onerror>, a real w:hyperlink to a javascript: URL, bidi
overrides (RLO, LRI/PDI), a quotation mark breaking out of an attribute, a 1 MiB single word,
and a paragraph copied from texts/refs/abai_38.txt with markup planted inside it, so the
hostile text also sits inside a highlighted passage and in its side-by-side pair.
Run: /usr/bin/python3 tests/data/make_hostile_docx.py   (Debian python3-docx)
"""
import datetime
import os
import random
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml import OxmlElement

here = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(here, "texts/refs/abai_38.txt"), encoding="utf-8").read()
copied = src.split("\n")[0][:700]
copied = copied[: copied.rfind(" ")]
words = copied.split(" ")
half = len(words) // 2

doc = Document()
doc.add_paragraph("Кіріспе <script>alert('essay')</script> және </textarea><img src=x "
                  "onerror=alert(1)> тағы </script><script>document.title='pwned'</script> "
                  "\" onmouseover=\"alert(2)\" x=\" &amp; &lt;b&gt; соңы.")
p = doc.add_paragraph("Сілтеме: ")
# a real hyperlink to a javascript: URL (the report must never make it a link)
rid = p.part.relate_to("javascript:alert(document.cookie)", RT.HYPERLINK, is_external=True)
h = OxmlElement("w:hyperlink")
h.set(qn("r:id"), rid)
r = OxmlElement("w:r")
t = OxmlElement("w:t")
t.text = "javascript:alert(document.cookie)"
r.append(t)
h.append(r)
p._p.append(h)
doc.add_paragraph("Файл Evil\u202Egnp.exe және \u2066оқшау\u2069 мен \u202Dкүштеу\u202C мәтін.")
doc.add_paragraph(" ".join(words[:half]) + " <script>alert('inside')</script> " +
                  " ".join(words[half:]))
# 1 MiB of UTF-8 in one word; letters drawn at random (fixed seed) so that the part does not
# compress like a zip bomb, which the reader rightly refuses
rnd = random.Random(5)
abc = "аә"  # two letters: about 90 KB compressed, ratio far under the 200:1 cap
doc.add_paragraph("Ұзын сөз: " + "".join(rnd.choice(abc) for _ in range(1 << 19)) + " бітті.")
doc.add_paragraph("Қорытынды: мұғалім бәрін оқиды.")
doc.core_properties.author = "adal tests"
doc.core_properties.created = datetime.datetime(2026, 1, 1)
doc.core_properties.modified = datetime.datetime(2026, 1, 1)
doc.save(os.path.join(here, "office/hostile.docx"))
