"""common.py — shared helpers of the `make eval` evaluators (tools/eval/*.py).

Where the data is (ADAL_SHARED, default ../shared beside the repo), how adal and sim_text are
run and their output read, text decoding for the inputs sim_text gets, UTF-16 offset maps, and
the metrics: ROC AUC (Mann-Whitney), average precision, PlagDet (Potthast et al. 2010).
Standard library only.
"""
import json
import math
import os
import re
import subprocess
import sys
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# ---- where things are ---------------------------------------------------------------------


def shared_dir():
    return os.environ.get("ADAL_SHARED") or os.path.join(os.path.dirname(ROOT), "shared")


def data_dir(*parts):
    return os.path.join(shared_dir(), "data", *parts)


def need_dir(path, what):
    """Skip the evaluator cleanly (message, exit 0) when its data is absent."""
    if not os.path.isdir(path):
        print(f"skip: {what}: {path} not found (set ADAL_SHARED to the folder holding data/)")
        sys.exit(0)


def adal_bin():
    a = os.environ.get("ADAL")
    if not a:
        a = os.path.join(ROOT, "build", "release", "adal")
    if not os.access(a, os.X_OK):
        sys.exit(f"eval: adal binary not found: {a} (run make, or set ADAL)")
    return a


def work_dir(name):
    """A scratch folder for generated inputs and raw outputs (kept for inspection)."""
    base = os.environ.get("EVAL_WORK") or os.path.join(ROOT, "build", "eval")
    d = os.path.join(base, name)
    os.makedirs(d, exist_ok=True)
    return d


def target(name, value, op, goal, met=None):
    """Print the line `target: NAME VALUE OP GOAL met|MISSED` that tools/eval.sh collects."""
    if met is None:
        met = value >= goal if op == ">=" else value <= goal
    v = f"{value:.4f}" if isinstance(value, float) else str(value)
    print(f"target: {name} = {v} (goal {op} {goal}) {'met' if met else 'MISSED'}")
    return met


# ---- running adal -------------------------------------------------------------------------


def run(cmd, timeout=900, ok=(0,)):
    """Run a command; returns (stdout, stderr, rc, seconds). rc outside `ok` is reported."""
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, timeout=timeout)
    dt = time.monotonic() - t0
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode not in ok:
        sys.stderr.write(f"eval: exit {p.returncode}: {' '.join(cmd[:6])}{' ...' if len(cmd) > 6 else ''}\n")
        for line in err.strip().splitlines()[-5:]:
            sys.stderr.write(f"  {line}\n")
    return out, err, p.returncode, dt


def json_stream(text):
    """Every JSON value in `text`: one object, a list of objects, or objects one after another
    (JSON lines or pretty-printed). Lists are flattened."""
    dec = json.JSONDecoder()
    i, n, out = 0, len(text), []
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        v, i = dec.raw_decode(text, i)
        if isinstance(v, list):
            out.extend(v)
        else:
            out.append(v)
    return out


def field(obj, *names, default=None):
    """The first of `names` present in `obj` (field names may shift between versions)."""
    for n in names:
        if isinstance(obj, dict) and n in obj:
            return obj[n]
    return default


def adal_check(files, against, extra=()):
    """`adal check FILES --against PATH... --format json` → list of report objects (one per
    essay, in output order). Exit 0 and 1 both mean "checked" (STYLE.md)."""
    cmd = [adal_bin(), "check", *files]
    for a in against:
        cmd += ["--against", a]
    cmd += ["--format", "json", *extra]
    out, err, rc, dt = run(cmd, ok=(0, 1))
    try:
        reps = json_stream(out)
    except ValueError as e:
        sys.stderr.write(f"eval: adal check printed invalid JSON: {e}\n")
        return None, dt
    # exit 2 with reports: some files failed (named on stderr), the others were checked
    return (reps if reps or rc in (0, 1) else None), dt


def report_file(rep):
    return field(rep, "file", "path", "name", default="")


def report_passages(rep):
    """Flatten a report's passages: dicts with source id/path and the four offsets."""
    out = []
    for s in field(rep, "sources", default=[]) or []:
        sid = field(s, "path", "id", "title", default="")
        sid2 = field(s, "id", default=sid)
        for p in field(s, "passages", default=[]) or []:
            q, r = field(p, "query"), field(p, "source")
            if isinstance(q, dict) and isinstance(r, dict):  # docs/FORMATS.md, format_version 1
                q0, q1 = field(q, "start"), field(q, "end")
                s0, s1 = field(r, "start"), field(r, "end")
            else:  # flat names of the task brief
                q0, q1 = field(p, "qstart", "query_start"), field(p, "qend", "query_end")
                s0, s1 = field(p, "sstart", "source_start"), field(p, "send", "source_end")
            if None in (q0, q1, s0, s1):
                continue
            out.append({"source": sid, "source_id": sid2, "qstart": int(q0), "qend": int(q1),
                        "sstart": int(s0), "send": int(s1),
                        "kind": field(p, "kind", default="exact")})
    return out


def outer_passages(ps):
    """The passages a detection evaluator should see: an exact passage enclosed on both sides
    by a paraphrase passage of the same source is part of it (docs/FORMATS.md: the
    paraphrase passage encloses the verified copies inside it), not a detection of its own."""
    par = [p for p in ps if p.get("kind") == "paraphrase"]
    out = []
    for p in ps:
        if p.get("kind") != "paraphrase" and any(
                o["source"] == p["source"] and o["qstart"] <= p["qstart"] and p["qend"] <= o["qend"]
                and o["sstart"] <= p["sstart"] and p["send"] <= o["send"] for o in par):
            continue
        out.append(p)
    return out


def adal_extract_text(path):
    """The extracted text of a file as adal sees it (a Python str), from
    `adal extract FILE --format json`: segments placed at their UTF-16 `start`, the gaps
    (paragraph ends) filled with newlines. Returns (text, utf16_to_index list)."""
    out, err, rc, _ = run([adal_bin(), "extract", path, "--format", "json"])
    if rc != 0:
        return None
    objs = json_stream(out)
    if not objs:
        return None
    segs = field(objs[0], "segments", default=[])
    units = []  # one entry per UTF-16 code unit: the character, or "" after a high half
    for seg in segs:
        start = int(field(seg, "start", default=len(units)))
        ln = int(field(seg, "len", "length", default=0))
        txt = field(seg, "text", default="")
        need = start + max(ln, len(txt.encode("utf-16-le")) // 2)
        while len(units) < need:
            units.append("\n")
        pos = start
        for ch in txt:
            units[pos] = ch
            if ord(ch) > 0xFFFF:
                units[pos + 1] = ""
                pos += 2
            else:
                pos += 1
    return "".join(units)


# ---- text and offsets ---------------------------------------------------------------------


def decode_any(raw):
    """Bytes of a text file → str: BOMs, then UTF-8, then CP1252 (the Clough & Stevenson
    answers with Windows smart quotes), then CP1251. Line ends → \\n."""
    if raw.startswith(b"\xef\xbb\xbf"):
        s = raw[3:].decode("utf-8", "replace")
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        s = raw.decode("utf-16", "replace")
    else:
        s = None
        for enc in ("utf-8", "cp1252", "cp1251"):
            try:
                s = raw.decode(enc)
                break
            except UnicodeDecodeError:
                pass
        if s is None:
            s = raw.decode("latin-1")
    return s.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")


def read_text(path):
    with open(path, "rb") as f:
        return decode_any(f.read())


def read_text_exact(path):
    """A text file as code points, nothing normalised (PAN offsets count the raw file's
    characters, line ends and a BOM included)."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def utf16_index(s):
    """List u where u[k] = UTF-16 offset of code point k of s, with u[len(s)] at the end."""
    u, pos = [], 0
    for ch in s:
        u.append(pos)
        pos += 2 if ord(ch) > 0xFFFF else 1
    u.append(pos)
    return u


def is_countable(ch):
    """DESIGN.md §3: letters and digits (ICU u_isalnum: general category L* or Nd)."""
    c = unicodedata.category(ch)
    return c[0] == "L" or c == "Nd"


def count_letters(s):
    return sum(1 for ch in s if is_countable(ch))


_WS = re.compile(r"\s")


def align_offsets(ext, raw):
    """Map each position of `ext` (the extracted text, a str) to a position of `raw` (the file's
    text as a str) by aligning the two: equal characters advance both, whitespace runs are
    matched as whitespace (CRLF, joined lines, collapsed spaces), characters present on one side
    only (BOM, invisible code points) are skipped, and a lost alignment is found again by
    searching the next 12 extracted characters in raw. Returns (m, exact) where m has
    len(ext) + 1 entries (m[len(ext)] = len(raw)) and exact is the share of non-space
    extracted characters matched to an equal raw character."""
    n, r = len(ext), len(raw)
    m = [0] * (n + 1)
    i = j = 0
    same = nonspace = 0
    while i < n:
        c = ext[i]
        if j < r and raw[j] == c:
            m[i] = j
            if not c.isspace():
                same += 1
                nonspace += 1
            i += 1
            j += 1
            continue
        if c.isspace():
            if j < r and raw[j].isspace():  # whitespace of another kind
                m[i] = j
                i += 1
                j += 1
                while j < r and raw[j].isspace() and not (i < n and ext[i].isspace()):
                    j += 1
            else:  # inserted by extraction (a paragraph join)
                m[i] = j
                i += 1
            continue
        if j < r and (raw[j].isspace() or unicodedata.category(raw[j]) in ("Cf", "Cc")):
            j += 1  # raw-only whitespace or invisible code point
            continue
        # resynchronise: find the next few extracted characters further on in raw
        key = ext[i:i + 12]
        k = raw.find(key, j, j + 4000) if len(key) >= 4 else -1
        if k >= 0:
            j = k
            continue
        m[i] = min(j, r)  # unmatched extracted character: keep the current raw position
        nonspace += 1
        i += 1
        if j < r and not raw[j].isspace():
            j += 1
    m[n] = r
    return m, (same / nonspace if nonspace else 1.0)


def map_span(m, u16_to_cp, a, b):
    """UTF-16 span [a, b) of the extracted text → raw span through the alignment map."""
    a = u16_to_cp(a)
    b = u16_to_cp(b)
    if b <= a:
        return m[a], m[a]
    return m[a], m[b - 1] + 1


def u16_to_cp_fn(s):
    """Function mapping a UTF-16 offset of s to its code point index (identity for BMP text)."""
    if all(ord(ch) <= 0xFFFF for ch in s):
        return lambda x: max(0, min(x, len(s)))
    u = utf16_index(s)
    inv = {}
    for k, off in enumerate(u):
        inv[off] = k
    last = len(s)

    def f(x):
        while x not in inv and x > 0:
            x -= 1
        return min(inv.get(x, 0), last)

    return f


# ---- metrics ------------------------------------------------------------------------------


def roc_auc(pos, neg):
    """Area under the ROC curve = P(score of a random positive > a random negative), ties 1/2
    (the Mann-Whitney U statistic / |pos||neg|)."""
    if not pos or not neg:
        return float("nan")
    allv = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    # average ranks over ties
    ranks = [0.0] * len(allv)
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1][0] == allv[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    rpos = sum(r for r, (_, lab) in zip(ranks, allv) if lab == 1)
    npos, nneg = len(pos), len(neg)
    return (rpos - npos * (npos + 1) / 2) / (npos * nneg)


def average_precision(scored, relevant, total_relevant=None):
    """AP of a ranking: `scored` maps item → score, `relevant` is a set. Ties ranked
    pessimistically (irrelevant first), unscored relevant items count as misses — the same
    convention as bench/peers/score-peers.py."""
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0] in relevant))
    hits, ap = 0, 0.0
    for i, (k, s) in enumerate(ranked, 1):
        if s <= 0:
            break
        if k in relevant:
            hits += 1
            ap += hits / i
    total = total_relevant if total_relevant is not None else len(relevant)
    return ap / total if total else float("nan")


def _merge(iv):
    iv = sorted(iv)
    out = []
    for a, b in iv:
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def _overlap_len(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _union_len(iv):
    return sum(b - a for a, b in _merge(iv))


def plagdet(cases, dets):
    """PlagDet of Potthast, Stein, Barrón-Cedeño, Rosso (2010), "An Evaluation Framework for
    Plagiarism Detection", COLING: a case or detection is (susp_doc, (s0, s1), src_doc, (r0, r1)),
    i.e. the characters [s0, s1) of the suspicious document and [r0, r1) of the source. A
    detection r detects case s when both documents agree and the suspicious spans and the
    source spans both overlap. With s ⊓ r the characters s and r share (both sides) when r
    detects s, and ∅ otherwise:
      prec = 1/|R| Σ_r |∪_s (s ⊓ r)| / |r|,   rec = 1/|S| Σ_s |∪_r (s ⊓ r)| / |s|,
      gran = 1/|S_R| Σ_{s ∈ S_R} |R_s|,        plagdet = F1(prec, rec) / log2(1 + gran).
    Returns dict(plagdet, precision, recall, granularity, detected_cases, case_recall list)."""

    def detects(s, r):
        return (s[0] == r[0] and s[2] == r[2] and _overlap_len(s[1], r[1]) > 0
                and _overlap_len(s[3], r[3]) > 0)

    def size(x):
        return (x[1][1] - x[1][0]) + (x[3][1] - x[3][0])

    # recall
    rec_each = []
    gran_counts = []
    case_dets = []
    for s in cases:
        sus, src = [], []
        nr = 0
        for r in dets:
            if detects(s, r):
                nr += 1
                sus.append((max(s[1][0], r[1][0]), min(s[1][1], r[1][1])))
                src.append((max(s[3][0], r[3][0]), min(s[3][1], r[3][1])))
        got = _union_len(sus) + _union_len(src)
        rec_each.append(got / size(s) if size(s) else 0.0)
        case_dets.append(nr)
        if nr:
            gran_counts.append(nr)
    prec_each = []
    for r in dets:
        sus, src = [], []
        for s in cases:
            if detects(s, r):
                sus.append((max(s[1][0], r[1][0]), min(s[1][1], r[1][1])))
                src.append((max(s[3][0], r[3][0]), min(s[3][1], r[3][1])))
        got = _union_len(sus) + _union_len(src)
        prec_each.append(got / size(r) if size(r) else 0.0)
    rec = sum(rec_each) / len(rec_each) if rec_each else 0.0
    prec = sum(prec_each) / len(prec_each) if prec_each else 0.0
    gran = sum(gran_counts) / len(gran_counts) if gran_counts else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
    return {"plagdet": f1 / math.log2(1 + gran), "precision": prec, "recall": rec,
            "granularity": gran, "f1": f1, "detected_cases": len(gran_counts),
            "case_recall": rec_each, "case_dets": case_dets, "det_precision": prec_each}


# ---- sim_text -----------------------------------------------------------------------------

SIM_OPTS = ["-p", "-a", "-e", "-t", "1", "-r", "8"]  # the peers README: real min run 8, all %


def have_sim_text():
    from shutil import which
    return which("sim_text") is not None


_SIM_P = re.compile(r"^(.*) consists for (\d+) % of (.*) material$")


def sim_text_percent(files, cwd=None):
    """Run `sim_text -p -a -e -t 1 -r 8` over `files` (UTF-8 text); returns
    {(F, G): x} meaning x % of F's words are in runs of >= 8 words shared with G."""
    out, err, rc, dt = run(["sim_text", *SIM_OPTS, *files])
    res = {}
    for line in out.splitlines():
        mm = _SIM_P.match(line.strip())
        if mm:
            res[(mm.group(1), mm.group(3))] = int(mm.group(2))
    return res, dt


_SIM_N = re.compile(r"^(.*): line (\d+)-(\d+)\|(.*): line (\d+)-(\d+)\[(\d+)\]$")


def sim_text_runs(new_files, old_files, r=8):
    """Runs found by `sim_text -n -e -S -r R NEW... / OLD...`: list of
    (fileA, lineA0, lineA1, fileB, lineB0, lineB1, words), lines 1-based inclusive."""
    cmd = ["sim_text", "-n", "-e", "-S", "-r", str(r), *new_files, "/", *old_files]
    out, err, rc, dt = run(cmd)
    res = []
    for line in out.splitlines():
        mm = _SIM_N.match(line.strip())
        if mm:
            res.append((mm.group(1), int(mm.group(2)), int(mm.group(3)), mm.group(4),
                        int(mm.group(5)), int(mm.group(6)), int(mm.group(7))))
    return res, dt


def line_starts(s):
    """Offsets where each line of s starts (index 0 = line 1), plus len(s) at the end."""
    st = [0]
    for k, ch in enumerate(s):
        if ch == "\n":
            st.append(k + 1)
    st.append(len(s))
    return st


def lines_span(s, starts, l0, l1):
    """Character span of lines l0..l1 (1-based, inclusive) of s, without the last newline."""
    a = starts[min(l0 - 1, len(starts) - 1)]
    b = starts[min(l1, len(starts) - 1)]
    if b > a and s[b - 1] == "\n":
        b -= 1
    return a, b
