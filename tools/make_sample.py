#!/usr/bin/python3
"""make_sample.py — writes the bundled sample course in corpus/ (sources, a course of 13
students with planted borrowings and evasion tricks, the assignment template) and the truth
about it (corpus/TRUTH.md, corpus/truth.csv).

Usage: /usr/bin/python3 tools/make_sample.py [--shared DIR] [--out DIR] [--no-soffice]
  --shared  the team's data folder (default: $ADAL_SHARED/data or ../shared/data)
  --no-soffice  keep the LibreOffice-written files already in --out (for machines without it)

Deterministic: fixed random seed; every ZIP is rewritten with fixed timestamps and the dates
and random ids LibreOffice stamps into its files are replaced by fixed ones, so running it
twice gives the same bytes. Needs Debian's python3-docx (hence /usr/bin/python3) and, for
three files, LibreOffice (`soffice`).
"""
import argparse
import csv
import datetime
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import docx
from docx.shared import Pt, RGBColor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 20261123
FIXED_DATE = (2026, 1, 15, 10, 0, 0)
FIXED_ISO = "2026-01-15T10:00:00Z"

# ---------------------------------------------------------------------------------------
# Reading the public-domain texts
# ---------------------------------------------------------------------------------------
ABAI_HDR = re.compile(r"^([А-ЯӘҒҚҢӨҰҮҺІ]+(?: [А-ЯӘҒҚҢӨҰҮҺІ]+)*) СӨЗ\b")


def abai_words(shared):
    """The 45 words of Abai's Қара сөздер, each a list of non-empty paragraphs (the header
    'N-ШІ СӨЗ' is split off into a title paragraph of its own)."""
    path = os.path.join(shared, "kazakh/abai/abai-kara-soz.LF.txt")
    words, cur = [], None
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            m = ABAI_HDR.match(line)
            if m:
                title = m.group(0)
                cur = [title]
                rest = line[len(title):].strip()
                if rest:
                    cur.append(rest)
                words.append(cur)
            elif cur is not None and line.strip():
                cur.append(line.strip())
    assert len(words) == 45, len(words)
    return words


def ruslit(shared, rel, max_bytes):
    """Leading paragraphs of a RusLit text, whole paragraphs up to max_bytes of UTF-8."""
    with open(os.path.join(shared, "russian/ruslit", rel), encoding="utf-8") as f:
        paras = [p.strip() for p in f.read().split("\n") if p.strip()]
    out, n = [], 0
    for p in paras:
        if p.startswith("...."):
            continue
        b = len(p.encode()) + 1
        if out and n + b > max_bytes:
            break
        out.append(p)
        n += b
    return out


def kaznerd(shared):
    """KazNERD sentences usable as a student's own Kazakh prose: whole sentences of moderate
    length, without the transcription noise of spoken news ("(эээ)", "(і)")."""
    out, seen = [], set()
    for fn in ("kaznerd_test.sentences.txt", "kaznerd_valid.sentences.txt"):
        with open(os.path.join(shared, "kazakh/kaznerd", fn), encoding="utf-8") as f:
            for s in f:
                s = s.strip()
                if not (70 <= len(s) <= 220) or "(" in s or s[-1] not in ".!?":
                    continue
                if not re.match(r"^[«А-ЯӘҒҚҢӨҰҮҺІ]", s) or s in seen:
                    continue
                seen.add(s)  # news repeats itself: one student's sentence must not be another's
                out.append(s)
    return out


# A student's own Russian prose, written for this sample (project licence).
RU_OWN = [
    "Эта тема показалась мне близкой, потому что она касается каждого из нас.",
    "Читая этот текст, я много раз возвращался к одной и той же мысли о цене человеческого достоинства.",
    "Мне кажется, автор не столько осуждает своих героев, сколько жалеет их.",
    "В школе мы проходили это произведение бегло, и только сейчас я увидела, насколько оно глубоко.",
    "Особенно важно, что писатель не даёт готовых ответов, а заставляет читателя думать самому.",
    "Современный студент легко узнаёт в этих героях своих знакомых и, что неприятнее, самого себя.",
    "Я попробую показать, как в небольшом эпизоде раскрывается целый характер.",
    "Детали здесь работают точнее любых длинных описаний: одна фраза говорит больше страницы.",
    "На мой взгляд, главная мысль произведения связана с тем, как страх меняет человека.",
    "Интересно сравнить эту позицию со взглядами Абая, который тоже писал о совести и труде.",
    "Абай считал, что человек должен учиться всю жизнь, и в этом я с ним полностью согласна.",
    "Смех у автора никогда не бывает злым, хотя порой он оказывается очень горьким.",
    "Когда я перечитывал эти страницы, мне вспомнились разговоры с дедушкой о чести и долге.",
    "Поведение героя можно объяснить обстоятельствами, но нельзя оправдать.",
    "В нашей группе мы спорили, можно ли назвать этого персонажа отрицательным.",
    "Я думаю, что ответ зависит от того, насколько честно мы смотрим на самих себя.",
    "Язык произведения простой, но за этой простотой скрывается большое мастерство.",
    "Автор показывает, как легко человек отказывается от собственного мнения ради выгоды.",
    "Эта проблема не устарела и сегодня: её можно встретить в любом коллективе.",
    "Мне хотелось бы отметить и то, как построена композиция: всё держится на резком повороте.",
    "Финал оставляет читателя с вопросом, на который каждый отвечает по-своему.",
    "Подводя итог, можно сказать, что произведение учит внимательности к людям.",
    "Работа над этим эссе помогла мне лучше понять не только книгу, но и себя.",
    "Я убедился, что классика остаётся живой, пока мы задаём ей свои вопросы.",
    "В заключение хочу сказать, что совесть для автора важнее чина и богатства.",
    "Самое сильное впечатление на меня произвела сцена, где герой вдруг теряет уверенность.",
    "Мы часто смеёмся над такими людьми, не замечая, что сами поступаем так же.",
    "Мне близка мысль о том, что труд и знание делают человека свободным.",
    "Казахская и русская литература в этом вопросе говорят почти одним голосом.",
    "Именно поэтому я выбрала для анализа этот небольшой, но очень ёмкий текст.",
    "Сначала я опишу сюжет, затем остановлюсь на образах героев и приёмах автора.",
    "Герой не злодей, он просто слабый человек, и от этого становится ещё грустнее.",
]

# A student's own Kazakh connecting sentences, written for this sample (project licence).
KK_OWN = [
    "Бұл тақырып маған жақын, өйткені ол әр адамның өміріне қатысты.",
    "Менің ойымша, Абайдың бұл сөзі бүгінгі жастар үшін де өте маңызды.",
    "Төменде мен өз пікірімді бірнеше мысалмен дәлелдеуге тырысамын.",
    "Қорытындылай келе, еңбек пен білім адамды адам етеді деп ойлаймын.",
    "Сабақта біз бұл мәселені ұзақ талқыладық.",
    "Осы жұмысты жазу барысында мен көп нәрсені қайта ойландым.",
    "Бұл ой мені қатты толғандырды.",
    "Әр адам өз ісіне жауапты болуы керек.",
    "Мұғалім бізге бұл шығарманы оқуға кеңес берді.",
    "Келешекте бұл тақырыпты тереңірек зерттегім келеді.",
]

# ---------------------------------------------------------------------------------------
# Tricks
# ---------------------------------------------------------------------------------------
HOMO = str.maketrans({"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x",
                      "А": "A", "Е": "E", "О": "O", "Р": "P", "С": "C", "Х": "X"})

KK_LAT21 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}


def to_kk_latin_2021(s):
    """Kazakh Cyrillic → the Latin alphabet presented on 28 Jan 2021 (design notes §4.5)."""
    out = []
    for ch in s:
        low = ch.lower()
        if low in KK_LAT21:
            t = KK_LAT21[low]
            if ch != low and t:
                t = "İ" if low in "ий" else ("I" if low == "і" else t[0].upper() + t[1:])
            out.append(t)
        else:
            out.append(ch)
    return "".join(out)


def zwsp_words(s, rng):
    """Put U+200B ZERO WIDTH SPACE inside every word of 4+ letters (a word-break tool then
    splits "сол\u200bдат" into two tokens)."""
    def one(m):
        w = m.group(0)
        k = rng.randint(1, len(w) - 1)
        return w[:k] + "\u200b" + w[k:]
    return re.sub(r"[^\W\d_]{4,}", one, s)


LIGHT_EDIT = {
    "встретились": "повстречались", "приятеля": "товарища", "пообедал": "поел",
    "спелые": "зрелые", "вышел": "вылез", "чемоданами": "баулами", "узлами": "свёртками",
    "картонками": "коробками", "жена": "супруга", "сын": "отпрыск", "худенькая": "тощая",
    "высокий": "рослый", "воскликнул": "вскричал", "Друг": "Приятель", "детства": "юности",
    "удивлен": "изумлён", "служишь": "работаешь", "Служу": "Работаю", "коллежским": "губернским",
    "тайного": "статского", "побледнел": "посерел", "окаменел": "застыл", "улыбка": "усмешка",
    "лицо": "физиономия", "говорю": "толкую", "сказал": "произнёс", "вспомнил": "припомнил",
    "гимназии": "училище", "быстро": "живо", "знаешь": "ведаешь", "пальца": "перста",
    "вовсе": "совсем", "небольшая": "маленькая", "сказать": "молвить", "хорошо": "славно",
}


def light_edit(s):
    n = 0

    def one(m):
        nonlocal n
        w = m.group(0)
        if w in LIGHT_EDIT:
            n += 1
            return LIGHT_EDIT[w]
        return w
    return re.sub(r"[^\W\d_]+", one, s), n


# ---------------------------------------------------------------------------------------
# The essay model: paragraphs of runs, each run labelled with what it is for the truth
# ---------------------------------------------------------------------------------------
class Essay:
    def __init__(self):
        self.paras = []  # list of (style, [(text, fmt, label)])

    def p(self, text, label, style=None, fmt=None):
        self.paras.append((style, [(text, fmt, label)]))

    def runs(self, runs, style=None):
        self.paras.append((style, runs))

    def letters(self):
        """Visible letters and digits per label: what DESIGN §3 counts."""
        per = {}
        for _, runs in self.paras:
            for text, fmt, label in runs:
                if fmt in ("hidden", "white"):
                    continue
                n = sum(1 for c in text if c.isalnum())
                per[label] = per.get(label, 0) + n
        return per

    def plain(self):
        return "\n".join("".join(t for t, f, _ in runs if f not in ("hidden", "white"))
                         for _, runs in self.paras) + "\n"


# The assignment sheet: what every student copies (title page, task wording).
def template_paras(student=None):
    name = student or "________________"
    return [
        ("Title", "Әл-Фараби атындағы Қазақ ұлттық университеті"),
        (None, "Филология факультеті"),
        (None, "Казахский национальный университет имени аль-Фараби"),
        (None, "СТУДЕНТТІҢ ӨЗІНДІК ЖҰМЫСЫ № 2 / САМОСТОЯТЕЛЬНАЯ РАБОТА СТУДЕНТА № 2"),
        (None, "Пән: Қазақ және орыс әдебиеті / Дисциплина: Казахская и русская литература"),
        (None, "Тақырыбы: Абай Құнанбайұлының қара сөздері және орыс классикасы: адам, ар және еңбек"),
        (None, "Тема: «Слова назидания» Абая и русская классическая проза: человек, совесть и труд"),
        (None, "Орындаған / Выполнил(а): " + name),
        (None, "Тексерген / Проверила: аға оқытушы Г. Б. Сейітқалиева"),
        (None, "Алматы, 2026"),
        ("Heading 1", "Тапсырма / Задание"),
        (None, "Абайдың қара сөздерінің бірін немесе орыс жазушысының шығармасын талдап, өз "
               "ойыңызды кемінде екі бетте жазыңыз. Дәйексөз келтірсеңіз, оны тырнақшаға алып, "
               "сілтеме беріңіз және жұмыс соңында әдебиеттер тізімін келтіріңіз."),
        (None, "Проанализируйте одно из «Слов назидания» Абая или произведение русского писателя "
               "и изложите собственные мысли объёмом не менее двух страниц. Цитаты заключайте "
               "в кавычки, давайте ссылку на источник и приводите список литературы в конце работы."),
    ]


def cp1251_ok(s):
    try:
        s.encode("cp1251")
        return True
    except UnicodeEncodeError:
        return False


def add_template(e, student, cp1251=False):
    """cp1251: only the lines a CP1251 text file can hold (the Russian ones)."""
    for style, text in template_paras(student):
        if cp1251 and not cp1251_ok(text):
            continue
        # the student's own name is not template text, but it is a few letters: count it
        # with the template (the exclusion will not match it, which is the point of approx)
        e.p(text, "template", style=style)


# ---------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------
def write_docx(e, path):
    d = docx.Document()
    d.core_properties.author = "adal sample"
    d.core_properties.last_modified_by = "adal sample"
    d.core_properties.revision = 1
    d.core_properties.created = datetime.datetime(*FIXED_DATE)
    d.core_properties.modified = datetime.datetime(*FIXED_DATE)
    for style, runs in e.paras:
        par = d.add_paragraph(style=style) if style else d.add_paragraph()
        for text, fmt, _ in runs:
            r = par.add_run(text)
            if fmt == "white":
                r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            elif fmt == "hidden":
                r.font.hidden = True
            elif fmt == "bold":
                r.bold = True
    d.save(path)
    fix_zip(path)


def fix_core_xml(data):
    data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" +
                  FIXED_ISO.encode() + rb"\g<2>", data)
    data = re.sub(rb"(<meta:creation-date>)[^<]*(<)", rb"\g<1>" + FIXED_ISO[:-1].encode() +
                  rb"\g<2>", data)
    data = re.sub(rb"(<dc:date>)[^<]*(<)", rb"\g<1>" + FIXED_ISO[:-1].encode() + rb"\g<2>", data)
    data = re.sub(rb"(<meta:editing-duration>)[^<]*(<)", rb"\g<1>PT0S\g<2>", data)
    data = re.sub(rb"(<meta:generator>)[^<]*(<)", rb"\g<1>LibreOffice\g<2>", data)
    data = re.sub(rb"(<Application>)[^<]*(<)", rb"\g<1>LibreOffice\g<2>", data)
    data = re.sub(rb"(<TotalTime>)[^<]*(<)", rb"\g<1>0\g<2>", data)
    return data


def fix_lo_xml(name, data):
    """LibreOffice stamps the time and random revision-save ids (rsid) into its output; replace
    them by fixed values so the sample regenerates byte for byte. Text and formatting are not
    touched."""
    data = fix_core_xml(data)
    if name.endswith(".xml"):
        ids = {}

        def rsid(m):
            v = m.group(2)
            if v not in ids:
                ids[v] = b"%08X" % (0x00A0D000 + len(ids))
            return m.group(1) + ids[v]
        data = re.sub(rb'(w:rsid[A-Za-z]*(?: w:val)?=")([0-9A-F]{8})', rsid, data)
        data = re.sub(rb'(<w:rsid w:val=")([0-9A-F]{8})', rsid, data)
        data = re.sub(rb'(officeooo:rsid="|officeooo:paragraph-rsid=")([0-9a-f]{8})', rsid, data)
        data = re.sub(rb'(<config:config-item config:name="(?:Rsid|RsidRoot)" '
                      rb'config:type="int">)[0-9]+', rb"\g<1>1", data)
    return data


def fix_zip(path, lo=False):
    """Rewrite a ZIP with fixed timestamps (and fixed LibreOffice dates/ids), same order,
    deflate; ODF keeps its `mimetype` first and stored (ODF 1.2 part 3 §3.3)."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, i.compress_type, z.read(i)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, ctype, data in items:
            if name.endswith(".xml") or name.endswith(".rels"):
                data = fix_lo_xml(name, data) if lo else fix_core_xml(data)
            zi = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            zi.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def soffice_convert(src, fmt, outdir):
    """Let LibreOffice write the file (a real writer's XML), in a private profile so parallel
    runs do not fight over the user's."""
    prof = tempfile.mkdtemp(prefix="adal-lo-")
    try:
        subprocess.run(["soffice", "-env:UserInstallation=file://" + prof, "--headless",
                        "--convert-to", fmt, "--outdir", outdir, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=180)
    finally:
        shutil.rmtree(prof, ignore_errors=True)


NO_SOFFICE = False


def write_lo(e, path, fmt):
    """python-docx writes the formatting, LibreOffice re-writes the file in its own way."""
    if NO_SOFFICE:
        if not os.path.exists(path):
            sys.exit("make_sample: --no-soffice, but %s is missing" % path)
        return
    tmp = tempfile.mkdtemp(prefix="adal-sample-")
    try:
        src = os.path.join(tmp, "in", os.path.basename(path).rsplit(".", 1)[0] + ".docx")
        os.makedirs(os.path.dirname(src))
        write_docx(e, src)
        filt = {"docx": "docx:MS Word 2007 XML", "odt": "odt"}[fmt]
        soffice_convert(src, filt, tmp)
        out = os.path.join(tmp, os.path.basename(src).rsplit(".", 1)[0] + "." + fmt)
        fix_zip(out, lo=True)
        shutil.copyfile(out, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_txt_cp1251(e, path):
    """Windows line ends, a blank line between paragraphs (how a text file marks them)."""
    with open(path, "wb") as f:
        f.write(e.plain().rstrip("\n").replace("\n", "\r\n\r\n").encode("cp1251") + b"\r\n")


def write_txt(paras, path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n\n".join(paras) + "\n")


# ---------------------------------------------------------------------------------------
# The sample
# ---------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=None)
    ap.add_argument("--out", default=os.path.join(ROOT, "corpus"))
    ap.add_argument("--no-soffice", action="store_true")
    a = ap.parse_args()
    global NO_SOFFICE
    NO_SOFFICE = a.no_soffice
    shared = a.shared or os.path.join(os.environ.get("ADAL_SHARED", os.path.join(ROOT, "..", "shared")), "data")
    out = a.out
    if not os.path.isdir(shared):
        sys.exit("make_sample: data folder %s not found (use --shared)" % shared)
    if not a.no_soffice and not shutil.which("soffice"):
        sys.exit("make_sample: LibreOffice (soffice) not found; use --no-soffice to keep the "
                 "committed LibreOffice files")

    rng = random.Random(SEED)
    words = abai_words(shared)
    kz = kaznerd(shared)
    rng.shuffle(kz)
    kz_iter = iter(kz)
    ru_own = RU_OWN[:]
    rng.shuffle(ru_own)
    ru_iter = iter(ru_own)

    used_grams = set()

    def kk_next():
        """The next KazNERD sentence sharing no run of 4 words with any taken before: the news
        retells itself ("130 гектар" / "жүз отыз гектар"), and adal would rightly join two
        students through such a pair, making the truth wrong."""
        for sent in kz_iter:
            words = re.findall(r"[^\W\d_]+", sent.lower())
            grams = {tuple(words[i:i + 4]) for i in range(len(words) - 3)}
            if grams & used_grams:
                continue
            used_grams.update(grams)
            return sent
        raise SystemExit("make_sample: KazNERD sentences exhausted")

    def kk_own(n):
        return " ".join(kk_next() for _ in range(n))

    kk_stock_iter = iter(KK_OWN)

    def kk_stock():
        """Each of our own stock sentences once: if two students shared one of 8+ words,
        adal would rightly find it, and the truth would be wrong."""
        return next(kk_stock_iter)

    def ru(n):
        return " ".join(next(ru_iter) for _ in range(n))

    # ---- sources --------------------------------------------------------------------
    src_dir = os.path.join(out, "sources")
    course = os.path.join(out, "course")
    for d in (src_dir, course):
        if os.path.isdir(d):
            for root, dirs, files in os.walk(d):
                for fn in files:
                    p = os.path.join(root, fn)
                    # keep LibreOffice files when not regenerating them
                    if a.no_soffice and (fn.endswith(".odt") or "/05-" in p or "/08-" in p):
                        continue
                    os.remove(p)
    os.makedirs(src_dir, exist_ok=True)
    os.makedirs(course, exist_ok=True)

    abai = {}
    for n in (7, 14, 17, 19, 32):
        fn = "abai-%02d.txt" % n
        w = words[n - 1]
        abai[n] = w
        write_txt(["Абай Құнанбайұлы. Қара сөздер"] + w, os.path.join(src_dir, fn))
    # one source as DOCX, the way a lecturer's reading list often comes
    abai[37] = words[36]
    src37 = Essay()
    src37.p("Абай Құнанбайұлы. Қара сөздер", "source", style="Title")
    src37.p(words[36][0], "source", style="Heading 1")
    for para in words[36][1:]:
        src37.p(para, "source")
    write_docx(src37, os.path.join(src_dir, "abai-37.docx"))

    rus = {
        "chekhov-tolstyj-i-tonkij": ruslit(shared, "Chekhov/Толстый и тонкий.txt", 7000),
        "chekhov-hameleon": ruslit(shared, "Chekhov/Хамелеон.txt", 5000),
        "turgenev-senilia": ruslit(shared, "Turgenev/Стихотворения в прозе.txt", 5000),
        "pushkin-kapitanskaya-dochka": ruslit(shared, "Pushkin/Капитанская дочка.txt", 5500),
    }
    for k, paras in rus.items():
        write_txt(paras, os.path.join(src_dir, k + ".txt"))

    # ---- assignment sheet -----------------------------------------------------------
    tmpl = Essay()
    add_template(tmpl, None)
    write_docx(tmpl, os.path.join(out, "assignment.docx"))

    truth = []  # (student, file, source, kind, letters, note)

    def record(student, fn, e, items):
        per = e.letters()
        total = sum(per.values())
        own = total - per.get("template", 0)  # what is left once the template is excluded
        for label, (source, kind, note) in items.items():
            base = total if label == "template" else own
            share = 100.0 * per.get(label, 0) / base if base else 0
            truth.append((student, fn, source, kind, round(share), note))

    def essay_dir(student):
        d = os.path.join(course, student)
        os.makedirs(d, exist_ok=True)
        return d

    TEMPLATE = ("assignment.docx", "template", "title page and task copied from the assignment")

    # 01 — an original Kazakh essay
    st = "01-Aigerim"
    e = Essay()
    add_template(e, "Айгерім Серікқызы")
    e.p("Кіріспе", "own", style="Heading 1")
    e.p(kk_stock() + " " + kk_own(4), "own")
    for _ in range(6):
        e.p(kk_own(5), "own")
    e.p(kk_stock() + " " + kk_own(2), "own")
    write_docx(e, os.path.join(essay_dir(st), "essay.docx"))
    record(st, "essay.docx", e, {"template": TEMPLATE,
                                 "own": ("", "original", "own Kazakh prose (KazNERD sentences)")})

    # 02 — a heavy verbatim copy of a source
    st = "02-Daniyar"
    e = Essay()
    add_template(e, "Данияр Болатұлы")
    e.p(kk_stock() + " " + kk_own(1), "own")
    for para in abai[17][1:]:
        e.p(para, "copy")
    e.p(kk_stock(), "own")
    write_docx(e, os.path.join(essay_dir(st), "essay.docx"))
    record(st, "essay.docx", e, {"template": TEMPLATE,
                                 "copy": ("sources/abai-17.txt", "verbatim", "word 17 copied whole, verbatim"),
                                 "own": ("", "original", "two own sentences")})

    # 03 — a light-edit copy, CP1251 plain text (the Windows default for Russian)
    st = "03-Olga"
    e = Essay()
    add_template(e, "Ольга Ким", cp1251=True)
    e.p(ru(3), "own")
    nsub = 0
    for para in rus["chekhov-tolstyj-i-tonkij"][2:]:
        t, n = light_edit(para)
        nsub += n
        e.p(t, "copy")
    e.p(ru(2), "own")
    write_txt_cp1251(e, os.path.join(essay_dir(st), "essay.txt"))
    record(st, "essay.txt", e, {"template": TEMPLATE,
                                "copy": ("sources/chekhov-tolstyj-i-tonkij.txt", "light-edit",
                                         "whole story, %d words replaced by synonyms; CP1251" % nsub),
                                "own": ("", "original", "own intro and conclusion")})

    # 04 — a properly cited quotation and a bibliography
    st = "04-Asel"
    e = Essay()
    add_template(e, "Әсел Нұрланқызы")
    e.p(kk_stock() + " " + kk_own(3), "own")
    quote = abai[14][1]
    cut = quote.find("Тіл жүректің")
    quote = quote[:cut].strip() if cut > 0 else quote
    e.runs([("Абай он төртінші сөзінде былай дейді: ", None, "own"),
            ("«" + quote + "»", None, "cited"), (" [1, б. 45].", None, "own")])
    e.p(kk_own(5), "own")
    e.p(kk_own(5), "own")
    e.p(kk_stock() + " " + kk_own(4), "own")
    e.p(kk_stock(), "own")
    e.p("Әдебиеттер тізімі", "own", style="Heading 1")
    e.p("1. Абай Құнанбайұлы. Қара сөздер. — Алматы: Жазушы, 1993. — 272 б.", "bib")
    e.p("2. Әуезов М. Абай жолы. — Алматы: Жазушы, 2004.", "bib")
    write_docx(e, os.path.join(essay_dir(st), "essay.docx"))
    record(st, "essay.docx", e, {"template": TEMPLATE,
                                 "cited": ("sources/abai-14.txt", "cited",
                                           "«…» [1, б. 45] quotation of word 14"),
                                 "bib": ("", "bibliography", "section «Әдебиеттер тізімі»"),
                                 "own": ("", "original", "own Kazakh prose")})

    # 05 and 06 — two students share a passage neither found in a source
    shared_passage = kk_own(5)
    st5, st6 = "05-Timur", "06-Ruslan"
    e5 = Essay()
    add_template(e5, "Тимур Асқарұлы")
    e5.p(kk_own(4), "own")
    e5.p(kk_own(5), "own")
    e5.p(shared_passage, "shared")
    e5.p(kk_own(5), "own")
    write_lo(e5, os.path.join(essay_dir(st5), "essay.docx"), "docx")
    record(st5, "essay.docx", e5, {"template": TEMPLATE,
                                   "shared": ("course/06-Ruslan/essay.odt", "collusion",
                                              "passage shared with 06-Ruslan; written by LibreOffice"),
                                   "own": ("", "original", "own Kazakh prose")})
    e6 = Essay()
    add_template(e6, "Руслан Ержанұлы")
    e6.p(kk_own(5), "own")
    e6.p(shared_passage, "shared")
    e6.p(kk_own(4), "own")
    e6.p(kk_own(5), "own")
    write_lo(e6, os.path.join(essay_dir(st6), "essay.odt"), "odt")
    record(st6, "essay.odt", e6, {"template": TEMPLATE,
                                  "shared": ("course/05-Timur/essay.docx", "collusion",
                                             "passage shared with 05-Timur; ODT by LibreOffice"),
                                  "own": ("", "original", "own Kazakh prose")})

    # 07 — homoglyphs: Latin a e o p c x inside Cyrillic words
    st = "07-Marat"
    e = Essay()
    add_template(e, "Марат Ахметов")
    e.p(ru(3), "own")
    for para in rus["turgenev-senilia"][3:]:
        e.p(para.translate(HOMO), "copy")
    e.p(ru(2), "own")
    write_docx(e, os.path.join(essay_dir(st), "essay.docx"))
    record(st, "essay.docx", e, {"template": TEMPLATE,
                                 "copy": ("sources/turgenev-senilia.txt", "homoglyph",
                                          "copy with Latin a e o p c x for Cyrillic"),
                                 "own": ("", "original", "own intro and conclusion")})

    # 08 — white letters between the words of a copy (a visible "space" that is a letter)
    st = "08-Dana"
    e = Essay()
    add_template(e, "Дана Исабекова")
    e.p(ru(3), "own")
    letters = "жшщэю"
    for para in rus["pushkin-kapitanskaya-dochka"][12:]:
        ws = para.split(" ")
        runs = []
        for i, w in enumerate(ws):
            if i:
                runs.append((rng.choice(letters), "white", "trick"))
            runs.append((w, None, "copy"))
        e.runs(runs)
    e.p(ru(2), "own")
    write_lo(e, os.path.join(essay_dir(st), "essay.docx"), "docx")
    record(st, "essay.docx", e, {"template": TEMPLATE,
                                 "copy": ("sources/pushkin-kapitanskaya-dochka.txt", "white-text",
                                          "copy whose spaces are white letters; written by LibreOffice"),
                                 "own": ("", "original", "own intro and conclusion")})

    # 09 — hidden text padding: a copy made to look "original" by hidden filler
    st = "09-Nurlan"
    e = Essay()
    add_template(e, "Нұрлан Серікбаев")
    e.p(kk_stock() + " " + kk_own(1), "own")
    for para in abai[7][1:]:
        e.runs([(para, None, "copy"), (" " + kk_own(4), "hidden", "padding")])
    e.p(kk_own(1), "own")
    write_docx(e, os.path.join(essay_dir(st), "essay.docx"))
    record(st, "essay.docx", e, {"template": TEMPLATE,
                                 "copy": ("sources/abai-07.txt", "hidden-padding",
                                          "word 7 copied, hidden (w:vanish) filler after each paragraph"),
                                 "own": ("", "original", "own sentences")})

    # 10 — zero-width spaces inside words
    st = "10-Saule"
    e = Essay()
    add_template(e, "Сәуле Омарова")
    e.p(ru(3), "own")
    for para in rus["chekhov-hameleon"][2:]:
        e.p(zwsp_words(para, rng), "copy")
    e.p(ru(2), "own")
    write_docx(e, os.path.join(essay_dir(st), "essay.docx"))
    record(st, "essay.docx", e, {"template": TEMPLATE,
                                 "copy": ("sources/chekhov-hameleon.txt", "zwsp",
                                          "copy with U+200B inside every word of 4+ letters"),
                                 "own": ("", "original", "own intro and conclusion")})

    # 11 — Kazakh Latin (2021 alphabet): a copy and own text, all in Latin
    st = "11-Yerlan"
    e = Essay()
    add_template(e, "Ерлан Жұмабаев")
    e.p(to_kk_latin_2021(kk_stock() + " " + kk_own(3)), "own")
    for para in abai[32][1:5]:
        e.p(to_kk_latin_2021(para), "copy")
    e.p(to_kk_latin_2021(kk_own(3)), "own")
    write_docx(e, os.path.join(essay_dir(st), "essay.docx"))
    record(st, "essay.docx", e, {"template": TEMPLATE,
                                 "copy": ("sources/abai-32.txt", "kazakh-latin",
                                          "first paragraphs of word 32 in Kazakh Latin 2021"),
                                 "own": ("", "original", "own prose, also in Kazakh Latin 2021")})

    # 12 — two versions of one essay: the draft copies the DOCX source, the final cites it
    st = "12-Zhanna"
    own_a, own_b, own_c = kk_own(5), kk_own(5), kk_own(6)
    e = Essay()
    add_template(e, "Жанна Төлеуова")
    e.p(own_a, "own")
    for para in abai[37][1:16]:
        e.p(para, "copy")
    e.p(own_b, "own")
    write_docx(e, os.path.join(essay_dir(st), "essay-v1.docx"))
    record(st, "essay-v1.docx", e, {"template": TEMPLATE,
                                    "copy": ("sources/abai-37.docx", "verbatim",
                                             "draft: fifteen aphorisms of word 37 copied"),
                                    "own": ("", "original", "own Kazakh prose")})
    e = Essay()
    add_template(e, "Жанна Төлеуова")
    e.p(own_a, "own")
    e.runs([("Абай былай деген: ", None, "own"), ("«" + abai[37][1] + "»", None, "cited"),
            (" [1].", None, "own")])
    e.p(own_b, "own")
    e.p(own_c, "own")
    e.p("Пайдаланылған әдебиеттер", "own", style="Heading 1")
    e.p("1. Абай. Қара сөздер. Отыз жетінші сөз.", "bib")
    write_docx(e, os.path.join(essay_dir(st), "essay-v2.docx"))
    record(st, "essay-v2.docx", e, {"template": TEMPLATE,
                                    "cited": ("sources/abai-37.docx", "cited",
                                              "final: one aphorism quoted with [1]"),
                                    "bib": ("", "bibliography", "«Пайдаланылған әдебиеттер»"),
                                    "own": ("", "original",
                                            "own prose; shares its own text with essay-v1 (same student: not collusion)")})

    # 13 — a broken file: a DOCX cut short in transit
    st = "13-Bolat"
    e = Essay()
    add_template(e, "Болат Қасымов")
    e.p(kk_own(4), "own")
    p = os.path.join(essay_dir(st), "essay.docx")
    write_docx(e, p)
    with open(p, "rb") as f:
        data = f.read()
    with open(p, "wb") as f:
        f.write(data[: len(data) * 6 // 10])
    truth.append((st, "essay.docx", "", "broken", 0,
                  "truncated at 60%% of %d bytes: no central directory; expect a clear error" % len(data)))

    # ---- truth ---------------------------------------------------------------------
    with open(os.path.join(out, "truth.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["student", "file", "source", "kind", "approx_share", "note"])
        for row in truth:
            w.writerow(row)
    write_truth_md(out, truth)
    print("make_sample: wrote %s (%d truth rows)" % (out, len(truth)))


def write_truth_md(out, truth):
    lines = [
        "# The truth about the sample course",
        "",
        "Generated by `tools/make_sample.py` together with every file it describes; do not edit",
        "by hand. `truth.csv` holds the same rows for scripts.",
        "",
        "`approx_share` counts *visible* letters and digits (DESIGN §3: hidden and white runs do",
        "not count). The `template` row is the title page and task wording every student copied",
        "from `corpus/assignment.docx`, as a share of all of them: adal should exclude it",
        "(`--template`), not count it as borrowed. Every other row is a share of what is left",
        "once the template is excluded, the figure adal reports as borrowed / cited / original, so",
        "those rows of one file sum to about 100. Kinds: `original` own text; `verbatim` copied",
        "unchanged; `light-edit` copied with some words replaced; `cited` quoted in «…» with a",
        "reference and so not plagiarism;",
        "`bibliography` the reference list; `collusion` a passage two students share;",
        "`homoglyph`, `white-text`, `hidden-padding`, `zwsp`, `kazakh-latin` copies disguised",
        "by that trick; `broken` a file that must fail with a clear error.",
        "",
        "| student | file | kind | source | ≈ % | note |",
        "|---|---|---|---|---:|---|",
    ]
    for st, fn, src, kind, share, note in truth:
        lines.append("| %s | %s | %s | %s | %s | %s |" % (st, fn, kind, src or "—", share, note))
    lines += [
        "",
        "## What a correct run shows",
        "",
        "- 01-Aigerim: original (only the template, which is excluded).",
        "- 02-Daniyar, 03-Olga, 07-Marat, 08-Dana, 09-Nurlan, 10-Saule, 11-Yerlan, 12-Zhanna v1:",
        "  about the share above borrowed from the named source, the trick neutralised; 07–10",
        "  flagged SUSPICIOUS (homoglyph, white, hidden, invisible findings); 11 has kazakh-latin",
        "  findings, which are information, not a trick. 03 is read as CP1251.",
        "- 04-Asel and 12-Zhanna v2: the quotation counted as *cited*, not borrowed.",
        "- 05-Timur and 06-Ruslan: the shared passage found between the two submissions (a",
        "  collusion cluster in `adal batch`).",
        "- 12-Zhanna v1 and v2 share text, but they are the same student's versions: not collusion",
        "  (`adal batch` checks v2 only and marks v1 superseded).",
        "- 13-Bolat: `adal: …/essay.docx: … [corrupt]`, and the run goes on.",
        "",
    ]
    with open(os.path.join(out, "TRUTH.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
