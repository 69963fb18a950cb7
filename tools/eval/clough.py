#!/usr/bin/env python3
"""clough.py — `make eval` part 1: the Corpus of Plagiarised Short Answers (Clough & Stevenson
2011, data/clough-stevenson/): 95 English answers to 5 questions, each labelled non / cut /
light / heavy against its task's Wikipedia source (orig_taskX.txt).

Every answer is checked against its task's source with `adal check ANSWER... --against SOURCE
--format json` (one run per task); the score is 100 − originality. Figures: ROC AUC of
plagiarised (cut, light, heavy) vs non, the mean score per category, and the same for sim_text
(`sim_text -p -a -e -t 1 -r 8`, score = % of the answer's words in runs shared with the source)
on the same files decoded to UTF-8 (the corpus mixes UTF-8, CP1252 and CRLF/LF line ends; adal
reads the raw files). Target: AUC ≥ 0.97.
"""
import csv
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as C  # noqa: E402

GOAL = 0.97
CATS = ["non", "heavy", "light", "cut"]


def load():
    base = C.data_dir("clough-stevenson")
    C.need_dir(base, "Clough & Stevenson corpus")
    corpus = os.path.join(base, "corpus-20090418")
    rows = []
    with open(os.path.join(base, "corpus-final09.File_list.csv"), encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            path = os.path.join(corpus, r["File"])
            if os.path.exists(path):
                rows.append({"file": r["File"], "path": path, "task": r["Task"].strip(),
                             "cat": r["Category"].strip()})
    sources = {t: os.path.join(corpus, f"orig_task{t}.txt") for t in "abcde"}
    return rows, sources


def adal_scores(rows, sources):
    """answer file name → 100 − originality (None when adal failed on it)."""
    scores, secs = {}, 0.0
    for task, src in sorted(sources.items()):
        group = [r for r in rows if r["task"] == task]
        reps, dt = C.adal_check([r["path"] for r in group], [src])
        secs += dt
        if reps is None:
            continue
        byname = {}
        for rep in reps:
            byname[os.path.basename(C.report_file(rep))] = rep
        for k, r in enumerate(group):
            rep = byname.get(r["file"])
            if rep is None and len(reps) == len(group):
                rep = reps[k]  # reports without a file name come in input order
            o = C.field(rep, "originality") if rep else None
            if o is not None:
                scores[r["file"]] = 100.0 - float(o)
    return scores, secs


def sim_scores(rows, sources):
    """answer file name → % of its words sim_text finds in runs shared with its source."""
    work = C.work_dir("clough-stevenson")
    names = {}
    for r in rows + [{"file": os.path.basename(s), "path": s} for s in sources.values()]:
        out = os.path.join(work, r["file"])
        with open(out, "w", encoding="utf-8") as f:
            f.write(C.read_text(r["path"]))
        names[r["file"]] = out
    scores, secs = {}, 0.0
    for task, src in sorted(sources.items()):
        group = [r for r in rows if r["task"] == task]
        s_src = names[os.path.basename(src)]
        res, dt = C.sim_text_percent([names[r["file"]] for r in group] + [s_src])
        secs += dt
        for r in group:
            scores[r["file"]] = float(res.get((names[r["file"]], s_src), 0))
    return scores, secs


def summarise(tool, rows, scores):
    pos = [scores[r["file"]] for r in rows if r["cat"] != "non" and r["file"] in scores]
    neg = [scores[r["file"]] for r in rows if r["cat"] == "non" and r["file"] in scores]
    auc = C.roc_auc(pos, neg)
    means = []
    for cat in CATS:
        v = [scores[r["file"]] for r in rows if r["cat"] == cat and r["file"] in scores]
        means.append(f"{cat} {sum(v) / len(v):5.1f}" if v else f"{cat}   n/a")
    missing = sum(1 for r in rows if r["file"] not in scores)
    print(f"  {tool:9s} AUC {auc:.4f}   mean score by category: {', '.join(means)}"
          + (f"   ({missing} answers without a score)" if missing else ""))
    return auc


def worst(rows, scores, n=12):
    """The answers that cost AUC: the highest-scored non answers and the lowest-scored
    plagiarised ones."""
    neg = sorted((r for r in rows if r["cat"] == "non" and r["file"] in scores),
                 key=lambda r: -scores[r["file"]])
    pos = sorted((r for r in rows if r["cat"] != "non" and r["file"] in scores),
                 key=lambda r: scores[r["file"]])
    if not neg or not pos:
        return
    top_neg = scores[neg[0]["file"]]
    bad_pos = [r for r in pos if scores[r["file"]] <= top_neg][:n]
    bad_neg = [r for r in neg if scores[r["file"]] > 0
               and scores[r["file"]] >= scores[pos[0]["file"]]][:n]
    if bad_pos or bad_neg:
        print("  misranked (adal 100−originality; plagiarised answers at or below the highest non one):")
        for r in bad_neg:
            print(f"    non   {r['file']:18s} task {r['task']} score {scores[r['file']]:5.1f}")
        for r in bad_pos:
            print(f"    {r['cat']:5s} {r['file']:18s} task {r['task']} score {scores[r['file']]:5.1f}")


def shingles(text, n=5):
    ws = re.findall(r"\w+", text.lower())
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def unreachable(rows, sources):
    """Plagiarised answers sharing no word 5-gram with their task's source: no copy detector
    checking against that source can rank them above an original answer."""
    src = {t: shingles(C.read_text(p)) for t, p in sources.items()}
    return [r for r in rows if r["cat"] != "non"
            and not shingles(C.read_text(r["path"])) & src[r["task"]]]


def main():
    rows, sources = load()
    print(f"Clough & Stevenson: {len(rows)} answers "
          f"({sum(r['cat'] != 'non' for r in rows)} plagiarised: cut/light/heavy,"
          f" {sum(r['cat'] == 'non' for r in rows)} non), 5 sources; score = 100 − originality")
    scores, secs = adal_scores(rows, sources)
    print(f"  adal: {len(scores)} answers checked in {secs:.2f} s (5 runs of adal check)")
    auc = summarise("adal", rows, scores)
    ss = {}
    if C.have_sim_text():
        ss, sdt = sim_scores(rows, sources)
        summarise("sim_text", rows, ss)
    else:
        print("  sim_text: not installed (apt-get install similarity-tester)")
    per = os.path.join(C.work_dir("clough-stevenson"), "scores.csv")
    with open(per, "w", encoding="utf-8") as f:
        f.write("file,task,category,adal,sim_text\n")
        for r in rows:
            a, b = scores.get(r["file"]), ss.get(r["file"])
            f.write(f"{r['file']},{r['task']},{r['cat']},{'' if a is None else f'{a:.1f}'},"
                    f"{'' if b is None else f'{b:.0f}'}\n")
    print(f"  per-answer scores: {per}")
    lost = unreachable(rows, sources)
    if lost and scores:
        names = {r["file"] for r in lost}
        pos = [scores[r["file"]] if r["file"] in names else 1e9
               for r in rows if r["cat"] != "non" and r["file"] in scores]
        neg = [scores[r["file"]] for r in rows if r["cat"] == "non" and r["file"] in scores]
        print(f"  note: {len(lost)} plagiarised answers share no word 5-gram with their task's source"
              f" ({', '.join(r['file'] + ' ' + r['cat'] for r in lost)}); with every other"
              f" plagiarised answer above every non one, adal's AUC would be"
              f" {C.roc_auc(pos, neg):.4f}")
    worst(rows, scores)
    C.target("clough AUC", auc if scores else 0.0, ">=", GOAL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
