#!/usr/bin/env python3
"""store_latency.py ADAL DB QUERY_DIR [REPEAT=3] — wall-clock latency of `adal check Q --db DB`
over every query (REPEAT passes after one warm-up pass), beside `adal check Q` with no sources
(process start, reading and normalising the essay: the floor under any check). Prints one
line: p50/p95 in ms for both, the store's share, and the recall of the planted sources
(queries/TRUTH.tsv)."""
import glob
import json
import os
import resource
import subprocess
import sys
import time

adal, db, qdir = sys.argv[1:4]
repeat = int(sys.argv[4]) if len(sys.argv) > 4 else 3
qs = sorted(glob.glob(os.path.join(qdir, "q*.txt")))
truth = {}
for line in open(os.path.join(qdir, "TRUTH.tsv")):
    if line.strip():
        name, srcs = line.rstrip("\n").split("\t")
        truth[name] = set(srcs.split())


cpu = {"db": [], "alone": []}


def run(args, key=None):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    el = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if key:
        cpu[key].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return el, p


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))] * 1000


found = want = 0
for q in qs:  # warm-up pass, and recall
    _, p = run([adal, "check", q, "--db", db, "--format", "json"])
    r = json.loads(p.stdout.decode().splitlines()[0])
    got = {s["id"].split(":", 2)[2] for s in r["sources"]}
    t = truth[os.path.basename(q)]
    found += len(got & t)
    want += len(t)
with_db, without = [], []
for _ in range(repeat):
    for q in qs:
        with_db.append(run([adal, "check", q, "--db", db, "--format", "json"], "db")[0])
        without.append(run([adal, "check", q, "--format", "json"], "alone")[0])
print("check --db: wall p50 %.1f ms, p95 %.1f ms, CPU p50 %.1f ms, p95 %.1f ms; "
      "check alone: wall p50 %.1f ms, p95 %.1f ms, CPU p50 %.1f ms; "
      "store share (CPU p50) %.1f ms; %d runs; planted sources found %d/%d"
      % (pct(with_db, .5), pct(with_db, .95), pct(cpu["db"], .5), pct(cpu["db"], .95),
         pct(without, .5), pct(without, .95), pct(cpu["alone"], .5),
         pct(cpu["db"], .5) - pct(cpu["alone"], .5), len(with_db), found, want))
