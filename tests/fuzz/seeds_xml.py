#!/usr/bin/env python3
"""seeds_xml.py OUT DIR... — seeds for fuzz_docx_xml: the XML parts of every DOCX/ODT under
the DIRs, each prefixed with the selector byte the target reads (0 document.xml, 1 styles.xml,
2 footnotes.xml, 3 document.xml.rels, 4 ODT content.xml, 5 ODT styles.xml), so mutations
start from real markup instead of from zipped bytes. Parts over 256 KiB are skipped."""
import hashlib, os, sys, zipfile

PARTS = {"word/document.xml": 0, "word/styles.xml": 1, "word/footnotes.xml": 2,
         "word/_rels/document.xml.rels": 3, "content.xml": 4, "styles.xml": 5}
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
n = 0
for top in sys.argv[2:]:
    for root, _, files in os.walk(top):
        for f in files:
            if not f.lower().endswith((".docx", ".odt")):
                continue
            try:
                z = zipfile.ZipFile(os.path.join(root, f))
                for name, sel in PARTS.items():
                    if name in z.namelist() and z.getinfo(name).file_size <= 256 << 10:
                        data = bytes([sel]) + z.read(name)
                        h = hashlib.sha1(data).hexdigest()[:16]
                        with open(os.path.join(out, h), "wb") as o:
                            o.write(data)
                        n += 1
            except Exception:
                pass
print(f"{n} seeds in {out}", file=sys.stderr)
