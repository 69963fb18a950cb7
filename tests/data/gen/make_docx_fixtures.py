#!/usr/bin/python3
"""make_docx_fixtures.py — writes the small DOCX/ODT fixtures of tests/unit/test_docx.c and
test_odt.c into tests/data/docx/.

Two real writers, so both dialects are covered:
  * python-docx (Debian's python3-docx, hence /usr/bin/python3), starting from a tiny
    template so each file stays a few KB; where its API has no call for a feature (tracked
    changes, fields, text boxes with mc:AlternateContent, notes, comments) the raw OOXML is
    added through python-docx's oxml layer or as extra parts;
  * LibreOffice (soffice --headless --convert-to odt|docx) from flat-ODF sources written here.
Hostile packages (billion laughs, deep nesting, a missing or directory main part) are written
byte by byte with zipfile.

Text: Abai, «Қара сөздер» (public domain) and Chekhov, «Анна на шее» (public domain).
Usage: /usr/bin/python3 tests/data/gen/make_docx_fixtures.py   (from the repository root)
"""
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docx")

# Abai, First Word; Chekhov, Anna on the Neck (chapter I)
KZ = ("Бұл жасқа келгенше жақсы өткіздік пе, жаман өткіздік пе, әйтеуір бірталай "
      "өмірімізді өткіздік.")
KZ2 = "Ел бағу? Жоқ, елге бағым жоқ."
RU = ("После венчания не было даже легкой закуски; молодые выпили по бокалу, переоделись "
      "и поехали на вокзал.")
RU2 = ("Вместо веселого свадебного бала и ужина, вместо музыки и танцев — поездка на "
       "богомолье за двести верст.")
JUNK = "жасырын"  # "hidden" in Kazakh: the filler a student hides between words

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/><w:lang w:val="kk-KZ"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="HiddenBase"><w:name w:val="Hidden Base"/><w:basedOn w:val="Normal"/><w:rPr><w:vanish/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="HiddenPara"><w:name w:val="Hidden Para"/><w:basedOn w:val="HiddenBase"/></w:style>
<w:style w:type="paragraph" w:styleId="Shaded"><w:name w:val="Shaded"/><w:basedOn w:val="Normal"/><w:pPr><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:pPr></w:style>
<w:style w:type="character" w:styleId="Invisible"><w:name w:val="Invisible"/><w:rPr><w:color w:val="FFFFFF"/><w:sz w:val="2"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="HiddenChar"><w:name w:val="Hidden Char"/><w:rPr><w:vanish/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
</w:styles>"""

CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"""

DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""

EMPTY_DOC = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body><w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>"""


def zip_bytes(parts):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            if isinstance(data, str):
                data = data.encode("utf-8")
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data,
                       zipfile.ZIP_DEFLATED)
    return buf.getvalue()


TEMPLATE = zip_bytes([("[Content_Types].xml", CT), ("_rels/.rels", RELS),
                      ("word/document.xml", EMPTY_DOC), ("word/_rels/document.xml.rels", DOC_RELS),
                      ("word/styles.xml", STYLES)])


def new_doc():
    return docx.Document(io.BytesIO(TEMPLATE))


def x(xml):
    """One OOXML element in the w namespace, for python-docx's oxml tree."""
    i = 1
    while xml[i] not in " />":
        i += 1
    return parse_xml(xml[:i] + " " + nsdecls("w") + xml[i:])


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def r(text, rpr=""):
    return f'<w:r>{"<w:rPr>" + rpr + "</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'


def para_xml(p, inner):
    """Append raw run-level XML (several siblings) to python-docx paragraph p."""
    frag = parse_xml(f'<w:p {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
                     ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
                     ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
                     ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
                     ' xmlns:v="urn:schemas-microsoft-com:vml">' + inner + "</w:p>")
    for child in list(frag):
        p._p.append(child)


def save(doc, name, extra_parts=None):
    buf = io.BytesIO()
    doc.save(buf)
    data = buf.getvalue()
    if extra_parts:
        data = add_parts(data, extra_parts)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def add_parts(data, parts):
    """Add (name, reltype, content_type, xml) parts related from word/document.xml."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    files = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    out = []
    for name, body in files:
        if name == "[Content_Types].xml":
            t = body.decode()
            for pn, _, ct, _ in parts:
                t = t.replace("</Types>", f'<Override PartName="/{pn}" ContentType="{ct}"/></Types>')
            body = t.encode()
        elif name == "word/_rels/document.xml.rels":
            t = body.decode()
            for k, (pn, rt, _, _) in enumerate(parts):
                t = t.replace("</Relationships>",
                              f'<Relationship Id="rIdX{k}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{rt}" Target="{pn[5:]}"/></Relationships>')
            body = t.encode()
        out.append((name, body))
    for pn, _, _, xml in parts:
        out.append((pn, xml))
    return zip_bytes(out)


# ---- python-docx documents -----------------------------------------------------------------

def plain():
    d = new_doc()
    d.add_paragraph(KZ)
    d.add_paragraph(RU)
    save(d, "plain.docx")


def disguised():
    """Twins of plain.docx: the same two sentences with filler hidden between the words by one
    trick each; the extracted text must equal plain.docx's exactly (each hidden run becomes the
    one space that separated the words)."""
    tricks = {
        "white": '<w:color w:val="FFFFFF"/>',
        "nearwhite": '<w:color w:val="FDFDFD"/>',
        "tiny": '<w:sz w:val="2"/>',
        "narrow": '<w:w w:val="1"/>',
        "collapsed": '<w:spacing w:val="-480"/>',
        "vanish": '<w:vanish/>',
        "rstyle": '<w:rStyle w:val="Invisible"/>',
        "highlight": '<w:color w:val="FFFF00"/><w:highlight w:val="yellow"/>',
    }
    for name, rpr in tricks.items():
        d = new_doc()
        for sent in (KZ, RU):
            p = d.add_paragraph()
            words = sent.split(" ")
            inner = ""
            for i, wd in enumerate(words):
                inner += r(wd)
                if i + 1 < len(words):
                    # the separating space itself is hidden with the filler: " жасырын "
                    inner += r(" " + JUNK + " ", rpr)
            para_xml(p, inner)
        save(d, f"disguised_{name}.docx")


def styles_doc():
    """Visibility through styles: a whole paragraph hidden by a basedOn chain, the toggle XOR
    (hidden paragraph style + hidden character style = visible), direct w:vanish w:val=0,
    shading from the paragraph style, a black table cell."""
    d = new_doc()
    d.add_paragraph(KZ)
    d.add_paragraph(KZ2, style="Hidden Para")                   # hidden via HiddenBase
    p = d.add_paragraph(style="Hidden Para")
    para_xml(p, r(RU, '<w:rStyle w:val="HiddenChar"/>'))        # XOR: visible
    p = d.add_paragraph(style="Hidden Para")
    para_xml(p, r(RU2, '<w:vanish w:val="0"/>'))                # direct off: visible
    p = d.add_paragraph(style="Shaded")                          # dark blue background
    para_xml(p, r("Ел") + r(JUNK, '<w:color w:val="1F3864"/>') + r(" бағу?"))
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = KZ2
    c = t.cell(0, 1)
    c._tc.get_or_add_tcPr().append(x('<w:shd w:val="clear" w:color="auto" w:fill="000000"/>'))
    cp = c.paragraphs[0]
    para_xml(cp, r("Жоқ") + r(JUNK, '<w:color w:val="000000"/>') + r(" бағым"))
    save(d, "styles.docx")


def tracked():
    d = new_doc()
    p = d.add_paragraph()
    para_xml(p, r("Бұл жасқа ") +
             '<w:del w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r><w:delText xml:space="preserve">өшірілген сөз </w:delText></w:r></w:del>'
             '<w:ins w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z">' + r("келгенше ") + '</w:ins>'
             + r("жақсы өткіздік пе."))
    p = d.add_paragraph()
    para_xml(p, '<w:moveFrom w:id="3" w:author="A" w:date="2024-01-01T00:00:00Z">' + r("жылжыған ") + '</w:moveFrom>'
             + r("После венчания ") +
             '<w:moveTo w:id="4" w:author="A" w:date="2024-01-01T00:00:00Z">' + r("не было") + '</w:moveTo>'
             + '<w:r><w:rPr><w:rPrChange w:id="5" w:author="A"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr>'
             '<w:t xml:space="preserve"> даже закуски.</w:t></w:r>')
    save(d, "tracked.docx")


def fields():
    d = new_doc()
    p = d.add_paragraph()
    para_xml(p, r("Дәйексөз: ") +
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> QUOTE "жасырын код" </w:instrText></w:r>'
             # a nested field inside the code: its result belongs to the code too
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("99") +
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("Ел бағу?") +
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + r(" Жоқ."))
    p = d.add_paragraph()
    para_xml(p, r("Бет ") + '<w:fldSimple w:instr=" PAGE ">' + r("7") + '</w:fldSimple>'
             + r(" из") + '<w:r><w:tab/><w:t>восьми</w:t><w:br/><w:t>строк</w:t>'
             '<w:noBreakHyphen/><w:t>два</w:t><w:softHyphen/><w:sym w:font="Symbol" w:char="F0B7"/></w:r>')
    save(d, "fields.docx")


TXBX = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline>'
        '<wp:extent cx="914400" cy="457200"/><wp:docPr id="1" name="Text Box 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:txbx><w:txbxContent><w:p>{inner}</w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><v:rect><v:textbox><w:txbxContent><w:p>{inner}</w:p></w:txbxContent>'
        '</v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def textbox():
    d = new_doc()
    p = d.add_paragraph()
    para_xml(p, r("Бұл жасқа келгенше ") + TXBX.format(inner=r(RU2)) + r("жақсы өткіздік пе."))
    d.add_paragraph(RU)
    # white text on a dark-blue shape is readable; on a shape with no fill it is not
    white = '<w:color w:val="FFFFFF"/>'
    for fill, text in (('<a:solidFill><a:srgbClr val="1F3864"/></a:solidFill>', "Абай"),
                       ("<a:noFill/>", JUNK)):
        p = d.add_paragraph()
        para_xml(p, r("Қара сөздер") + TXBX.format(inner=r(text, white)).replace(
            "<wps:txbx>", f"<wps:spPr>{fill}</wps:spPr><wps:txbx>", 1))
    save(d, "textbox.docx")


def notes():
    d = new_doc()
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "Әл-Фараби атындағы ҚазҰУ"
    sec.footer.paragraphs[0].text = "Алматы, 2024"
    p = d.add_paragraph()
    para_xml(p, r(KZ) + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
             + '<w:commentRangeStart w:id="0"/>' + r(" Соңы.") + '<w:commentRangeEnd w:id="0"/>'
             '<w:r><w:commentReference w:id="0"/></w:r>'
             '<w:r><w:endnoteReference w:id="1"/></w:r>')
    sep = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')
    fn = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">{sep}'
          f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>{r(RU)}</w:p></w:footnote></w:footnotes>')
    en = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:endnotes xmlns:w="{W}">'
          + sep.replace("footnote", "endnote") +
          f'<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r>{r(RU2)}</w:p>'
          f'<w:p>{r(JUNK, "<w:vanish/>")}{r("Ел бағу?")}</w:p></w:endnote></w:endnotes>')
    cm = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="{W}">'
          f'<w:comment w:id="0" w:author="Оқытушы" w:initials="О"><w:p>{r("Дереккөзді көрсетіңіз.")}</w:p></w:comment></w:comments>')
    ctw = "application/vnd.openxmlformats-officedocument.wordprocessingml."
    save(d, "notes.docx", [
        ("word/footnotes.xml", "footnotes", ctw + "footnotes+xml", fn),
        ("word/endnotes.xml", "endnotes", ctw + "endnotes+xml", en),
        ("word/comments.xml", "comments", ctw + "comments+xml", cm),
    ])


def table_and_spacing():
    d = new_doc()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "Абай"
    t.cell(0, 1).text = KZ2
    t.cell(1, 0).text = "Чехов"
    t.cell(1, 1).text = RU2
    # letters pushed apart: "Ел" + wide-spaced "б" + "ағу" reads "Ел б ағу"? no: the wide run
    # stands for a missing space between two words written together
    p = d.add_paragraph()
    para_xml(p, r("Жоқелг") + r("е", '<w:spacing w:val="200"/>') + r("бағым"))
    # paragraph style chain and run shading: white on a white run shading is still white
    p = d.add_paragraph()
    run = p.add_run("Мал бағу? ")
    run = p.add_run(JUNK)
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    run.font.size = Pt(12)
    p.add_run(" Жоқ, баға алмаймын.")
    save(d, "table.docx")


# ---- hostile packages ------------------------------------------------------------------------

def raw_docx(name, document_xml, drop_main=False, dir_main=False):
    parts = [("[Content_Types].xml", CT), ("_rels/.rels", RELS),
             ("word/_rels/document.xml.rels", DOC_RELS), ("word/styles.xml", STYLES)]
    if dir_main:
        parts.append(("word/document.xml/", b""))
    elif not drop_main:
        parts.append(("word/document.xml", document_xml))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(zip_bytes(parts))


def hostile():
    lol = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10))
    raw_docx("billion_laughs.docx",
             f'<?xml version="1.0"?><!DOCTYPE w:document [{lol}]><w:document xmlns:w="{W}">'
             f'<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    raw_docx("deep.docx",
             f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>' + "<w:customXml>" * 10000
             + "<w:p><w:r><w:t>терең</w:t></w:r></w:p>" + "</w:customXml>" * 10000
             + "</w:body></w:document>")
    raw_docx("malformed.docx",
             f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Абай'
             f'</w:r></w:p></w:body></w:document>')
    raw_docx("no_main.docx", "", drop_main=True)
    raw_docx("dir_main.docx", "", dir_main=True)
    # the main part found only through _rels/.rels (not at word/document.xml)
    parts = [("[Content_Types].xml", CT.replace("/word/document.xml", "/text/main.xml")),
             ("_rels/.rels", RELS.replace("word/document.xml", "text/main.xml")),
             ("text/_rels/main.xml.rels", DOC_RELS.replace("styles.xml", "../word/styles.xml")),
             ("word/styles.xml", STYLES),
             ("text/main.xml", f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'
              f'<w:p><w:pPr><w:pStyle w:val="HiddenPara"/></w:pPr>{r(JUNK)}</w:p><w:p>{r(KZ2)}</w:p>'
              f'</w:body></w:document>')]
    with open(os.path.join(OUT, "other_main.docx"), "wb") as f:
        f.write(zip_bytes(parts))


# ---- LibreOffice ------------------------------------------------------------------------------

FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
 <style:default-style style:family="paragraph"><style:text-properties fo:font-size="12pt" style:font-name="Liberation Serif"/></style:default-style>
 <style:style style:name="Standard" style:family="paragraph"/>
 <style:style style:name="HiddenBase" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties text:display="none"/></style:style>
 <style:style style:name="HiddenPara" style:family="paragraph" style:parent-style-name="HiddenBase"/>
 <style:style style:name="Invisible" style:family="text"><style:text-properties fo:color="#ffffff" fo:font-size="1pt"/></style:style>
</office:styles>
<office:automatic-styles>
 <style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style>
 <style:style style:name="T2" style:family="text"><style:text-properties fo:color="#ffffff"/></style:style>
 <style:style style:name="T3" style:family="text"><style:text-properties fo:font-size="1pt"/></style:style>
 <style:style style:name="T4" style:family="text"><style:text-properties style:text-scale="1%"/></style:style>
 <style:style style:name="T5" style:family="text"><style:text-properties fo:letter-spacing="-0.6cm"/></style:style>
 <style:style style:name="T6" style:family="text" style:parent-style-name="Invisible"/>
 <style:style style:name="P1" style:family="paragraph" style:parent-style-name="HiddenPara"/>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"/></style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:header><text:p text:style-name="Standard">Әл-Фараби атындағы ҚазҰУ</text:p></style:header>
  <style:footer><text:p text:style-name="Standard">Алматы, 2024</text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
{body}
</office:text></office:body></office:document>
"""


def lo_body(tricks):
    kz = KZ.split(" ")
    out = []
    if tricks:
        out.append('<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion>'
                   '<office:change-info><dc:creator>A</dc:creator><dc:date>2024-01-01T00:00:00</dc:date>'
                   '</office:change-info><text:p>өшірілген сөз </text:p></text:deletion></text:changed-region>'
                   '</text:tracked-changes>')
    # paragraph 1: Abai with filler hidden between the words, one trick per gap
    styles = ["T1", "T2", "T3", "T4", "T5", "T6"]
    s = ""
    for i, wd in enumerate(kz):
        s += esc(wd)
        if i + 1 < len(kz):
            if tricks:
                st = styles[i % len(styles)]
                s += f'<text:span text:style-name="{st}"> {JUNK} </text:span>'
            else:
                s += " "
    if tricks:
        s = s.replace("жақсы", '<text:change text:change-id="ct1"/>жақсы', 1)
    out.append(f'<text:p text:style-name="Standard">{s}</text:p>')
    if tricks:
        out.append(f'<text:p text:style-name="P1">{esc(KZ2)}</text:p>')
    # paragraph 2: Chekhov with a footnote, text:s and a line break
    ru = esc(RU).replace("; ", ";<text:s/>", 1).replace(" и поехали", "<text:line-break/>и поехали", 1)
    note = ('<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
            f'<text:note-body><text:p text:style-name="Standard">{esc(RU2)}</text:p></text:note-body></text:note>')
    out.append(f'<text:p text:style-name="Standard">{ru}{note}</text:p>')
    # a table and a text box
    out.append('<table:table table:name="T"><table:table-column table:number-columns-repeated="2"/>'
               '<table:table-row><table:table-cell office:value-type="string"><text:p>Абай</text:p></table:table-cell>'
               f'<table:table-cell office:value-type="string"><text:p>{esc(KZ2)}</text:p></table:table-cell></table:table-row></table:table>')
    out.append('<text:p text:style-name="Standard">Соңы.<draw:frame draw:name="F1" text:anchor-type="as-char" svg:width="5cm">'
               '<draw:text-box><text:p text:style-name="Standard">Мал бағу? Жоқ, баға алмаймын.</text:p></draw:text-box></draw:frame></text:p>')
    return "\n".join(out)


def libreoffice():
    soffice = shutil.which("soffice")
    if not soffice:
        print("soffice not found: LibreOffice fixtures not regenerated", file=sys.stderr)
        return
    tmp = tempfile.mkdtemp(prefix="adal_lo_")
    try:
        for name, tricks in (("lo_plain", False), ("lo_tricks", True)):
            src = os.path.join(tmp, name + ".fodt")
            with open(src, "w", encoding="utf-8") as f:
                f.write(FODT.replace("{body}", lo_body(tricks)))
            for fmt in ("odt", "docx"):
                subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                                "--convert-to", fmt, "--outdir", tmp, src],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                shutil.copy(os.path.join(tmp, f"{name}.{fmt}"), os.path.join(OUT, f"{name}.{fmt}"))
        # an ODT whose manifest declares encryption (what LibreOffice writes for a password)
        zin = zipfile.ZipFile(os.path.join(OUT, "lo_plain.odt"))
        parts = []
        for info in zin.infolist():
            body = zin.read(info.filename)
            if info.filename == "META-INF/manifest.xml":
                body = body.replace(
                    b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
                    b'manifest:full-path="content.xml" manifest:media-type="text/xml">'
                    b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
                    b'<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
                    b'<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:iteration-count="1024" manifest:salt="AAAA"/>'
                    b'</manifest:encryption-data></manifest:file-entry>')
                assert b"encryption-data" in body
            parts.append((info.filename, body))
        with open(os.path.join(OUT, "lo_encrypted.odt"), "wb") as f:
            f.write(zip_bytes(parts))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def style_twins():
    """Two packages with the same document.xml and different styles.xml: in one the
    character style "Note" is hidden, in the other it is plain. A reader that reused one
    file's style table for the other (a wrong style cache) would get one of them wrong."""
    body = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W}"><w:body><w:p>'
            f'<w:r><w:t xml:space="preserve">{esc(KZ[:120])} </w:t></w:r>'
            f'<w:r><w:rPr><w:rStyle w:val="Note"/></w:rPr><w:t>{JUNK}</w:t></w:r>'
            f'<w:r><w:t xml:space="preserve"> {esc(KZ[120:240])}</w:t></w:r>'
            f'</w:p></w:body></w:document>')
    for name, rpr in (("style_twin_hidden.docx", "<w:rPr><w:vanish/></w:rPr>"),
                      ("style_twin_shown.docx", "")):
        styles = STYLES.replace("</w:styles>", '<w:style w:type="character" w:styleId="Note">'
                                f'<w:name w:val="Note"/>{rpr}</w:style></w:styles>')
        parts = [("[Content_Types].xml", CT), ("_rels/.rels", RELS),
                 ("word/_rels/document.xml.rels", DOC_RELS), ("word/styles.xml", styles),
                 ("word/document.xml", body)]
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(zip_bytes(parts))


def style_shared():
    """Two packages with byte-identical styles.xml (so one context reuses the parsed style
    table) and different run formatting: in the first the filler run takes the hidden
    character style, in the second it is plain but a later run is white by direct
    formatting and a run of the hidden style is shown again by a direct w:vanish="0". A
    cache that handed the second file the first's effective run properties, or kept them
    between files, would get one of them wrong."""
    styles = STYLES.replace("</w:styles>", '<w:style w:type="character" w:styleId="Note">'
                            '<w:name w:val="Note"/><w:rPr><w:vanish/></w:rPr></w:style>'
                            '</w:styles>')
    docs = {
        "style_shared_a.docx":
            f'<w:r><w:t xml:space="preserve">{esc(KZ)} </w:t></w:r>'
            f'<w:r><w:rPr><w:rStyle w:val="Note"/></w:rPr><w:t>{JUNK}</w:t></w:r>'
            f'<w:r><w:t xml:space="preserve"> {esc(KZ2)}</w:t></w:r>',
        "style_shared_b.docx":
            f'<w:r><w:t xml:space="preserve">{esc(KZ)} </w:t></w:r>'
            f'<w:r><w:t>{JUNK}</w:t></w:r>'
            f'<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t xml:space="preserve"> ақ </w:t></w:r>'
            f'<w:r><w:rPr><w:rStyle w:val="Note"/><w:vanish w:val="0"/></w:rPr>'
            f'<w:t xml:space="preserve"> {esc(KZ2)}</w:t></w:r>',
    }
    for name, runs in docs.items():
        body = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W}"><w:body><w:p>{runs}</w:p></w:body></w:document>')
        parts = [("[Content_Types].xml", CT), ("_rels/.rels", RELS),
                 ("word/_rels/document.xml.rels", DOC_RELS), ("word/styles.xml", styles),
                 ("word/document.xml", body)]
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(zip_bytes(parts))


def main():
    os.makedirs(OUT, exist_ok=True)
    plain()
    disguised()
    styles_doc()
    tracked()
    fields()
    textbox()
    notes()
    table_and_spacing()
    hostile()
    libreoffice()
    style_twins()
    style_shared()


if __name__ == "__main__":
    main()
