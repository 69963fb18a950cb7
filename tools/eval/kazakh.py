#!/usr/bin/env python3
"""kazakh.py — `make eval` part 4: originality % on Kazakh DOCX essays with planted, disguised
borrowings (built by make_kazakh_set.py from data/kazakh: Abai and KazNERD; truth computed as
DESIGN.md §3 defines it).

All essays are checked in one `adal check ESSAYS... --against SOURCES --format json` run.
Targets: |adal originality − truth| ≤ 3 points for every essay, and every fully original essay
in the top band (originality ≥ 80). Printed per trick: mean and worst error. sim_text gets the
naive text of each DOCX (every run, hidden and white ones included, as a plain converter
gives it) against the source pool in one file; its estimate is 100 − (% of the essay's words in
runs of ≥ 8 words found in the pool), a word share rather than a letter share, so its error is
indicative.
The set is regenerated when the generator changes (build/eval/kazakh; EVAL_FRESH=1 forces).
"""
import csv
import hashlib
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402

TOL = 3.0
TOP = 80.0
HERE = os.path.dirname(os.path.abspath(__file__))


def build():
    out = C.work_dir("kazakh")
    h = hashlib.sha256()
    for f in ("make_kazakh_set.py", "common.py"):
        with open(os.path.join(HERE, f), "rb") as fh:
            h.update(fh.read())
    stamp = h.hexdigest()
    stampf = os.path.join(out, "STAMP")
    if (os.environ.get("EVAL_FRESH") != "1" and os.path.exists(stampf)
            and open(stampf).read() == stamp and os.path.exists(os.path.join(out, "truth.csv"))):
        return out, False
    p = subprocess.run([sys.executable, os.path.join(HERE, "make_kazakh_set.py"), out],
                       capture_output=True, text=True)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    if p.returncode != 0:
        sys.exit("kazakh: make_kazakh_set.py failed")
    with open(stampf, "w") as f:
        f.write(stamp)
    return out, True


def main():
    C.need_dir(C.data_dir("kazakh"), "Kazakh text (Abai, KazNERD)")
    try:
        import docx  # noqa: F401
    except ImportError:
        print("skip: python-docx missing (apt-get install python3-docx; run with /usr/bin/python3)")
        return 0
    out, fresh = build()
    with open(os.path.join(out, "truth.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    essays = [os.path.join(out, "essays", r["essay"]) for r in rows]
    srcdir = os.path.join(out, "sources")
    nsrc = len(os.listdir(srcdir))
    print(f"Kazakh set: {len(rows)} DOCX essays ({sum(r['writer'] == 'libreoffice' for r in rows)}"
          f" re-saved by LibreOffice), {nsrc} sources, in {out}"
          f" ({'generated now' if fresh else 'reused'})")
    reps, dt = C.adal_check(essays, [srcdir])
    got = {}
    if reps is not None:
        byname = {os.path.basename(C.report_file(r)): r for r in reps}
        for k, r in enumerate(rows):
            rep = byname.get(r["essay"])
            if rep is None and len(reps) == len(rows):
                rep = reps[k]
            if rep is not None and C.field(rep, "originality") is not None:
                got[r["essay"]] = rep
    print(f"  adal: {len(got)}/{len(rows)} essays checked in {dt:.2f} s (one run)")
    sim = {}
    if C.have_sim_text():
        pool = os.path.join(out, "pool.txt")
        with open(pool, "w", encoding="utf-8") as f:
            for name in sorted(os.listdir(srcdir)):
                f.write(C.read_text(os.path.join(srcdir, name)) + "\n")
        texts = [os.path.join(out, "text", r["essay"][:-5] + ".txt") for r in rows]
        res, sdt = C.sim_text_percent(texts + [pool])
        for r, t in zip(rows, texts):
            sim[r["essay"]] = 100.0 - res.get((t, pool), 0)
    same = sum(1 for r in rows if r["essay"] in got
               and C.field(got[r["essay"]], "countable_chars") == int(r["countable"]))
    if got:
        print(f"  adal's countable_chars equals the truth's countable letters for {same}/{len(got)} essays")
    # per essay
    bad, tricks = [], {}
    for r in rows:
        truth = float(r["truth_originality"])
        rep = got.get(r["essay"])
        a = float(C.field(rep, "originality")) if rep else None
        err = None if a is None else a - truth
        s = sim.get(r["essay"])
        serr = None if s is None else s - truth
        tricks.setdefault(r["trick"], []).append((err, serr))
        if err is None or abs(err) > TOL:
            bad.append((r, a, err, rep))
    print(f"  {'trick':11s} {'n':>2s}  {'adal mean|err|':>14s} {'max|err|':>8s} {'within 3':>8s}"
          f"   {'sim_text mean':>14s} {'max|err|':>8s} {'within 3':>8s}")
    for t in ["verbatim", "homoglyph", "zwsp", "white", "hidden", "nbsp", "upper", "guillemets",
              "rewrap", "latin2021", "latin2018", "rukbd", "original"]:
        v = tricks.get(t)
        if not v:
            continue
        cols = []
        for idx in (0, 1):
            e = [abs(x[idx]) for x in v if x[idx] is not None]
            if e:
                cols.append(f"{sum(e) / len(e):14.1f} {max(e):8.1f} {sum(x <= TOL for x in e):5d}/{len(v):<2d}")
            else:
                cols.append(f"{'n/a':>14s} {'':8s} {'':8s}")
        print(f"  {t:11s} {len(v):2d}  {cols[0]}   {cols[1]}")
    all_err = [abs(x[0]) for v in tricks.values() for x in v if x[0] is not None]
    sim_err = [abs(x[1]) for v in tricks.values() for x in v if x[1] is not None]
    if all_err:
        print(f"  all: adal mean |err| {sum(all_err) / len(all_err):.2f}, max {max(all_err):.1f},"
              f" within {TOL:g} points {sum(e <= TOL for e in all_err)}/{len(rows)}"
              + (f"; sim_text mean |err| {sum(sim_err) / len(sim_err):.2f}, max {max(sim_err):.1f},"
                 f" within {TOL:g} points {sum(e <= TOL for e in sim_err)}/{len(rows)}"
                 if sim_err else ""))
    if bad:
        print(f"  essays outside ±{TOL:g} points ({len(bad)}):")
        for r, a, err, rep in bad:
            a_s = "no result" if a is None else f"adal {a:5.1f} (err {err:+.1f})"
            extra = ""
            if rep:
                ps = C.report_passages(rep)
                extra = f", {len(ps)} passages, borrowed {C.field(rep, 'borrowed')}, cited {C.field(rep, 'cited')}"
            print(f"    {r['essay']:32s} {r['writer']:11s} truth {float(r['truth_originality']):5.1f}"
                  f"  {a_s}{extra}")
    orig = [r for r in rows if r["trick"] == "original"]
    low = [(r["essay"], float(C.field(got[r["essay"]], "originality")))
           for r in orig if r["essay"] in got
           and float(C.field(got[r["essay"]], "originality")) < TOP]
    missing = [r["essay"] for r in orig if r["essay"] not in got]
    C.target("kazakh essays within 3 points", f"{len(rows) - len(bad)}/{len(rows)}", ">=",
             f"{len(rows)}/{len(rows)}", met=not bad)
    mino = min((float(C.field(got[r["essay"]], "originality")) for r in orig if r["essay"] in got),
               default=0.0)
    C.target("kazakh original essays in top band (min originality)", mino, ">=", TOP,
             met=not low and not missing)
    for name, o in low:
        print(f"    original essay below {TOP:g}: {name} adal {o:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
