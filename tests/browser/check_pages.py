#!/usr/bin/python3
"""check_pages.py — drive headless Chromium over the Chrome DevTools protocol (a websocket;
python3 standard library only) and check adal's HTML pages as a grader's browser shows them.

usage: check_pages.py CHROMIUM SHOTS_DIR report:PAGE.html:REPORT.json ... index:INDEX.html:SUMMARY.json

For every report page:
  - the figures shown (originality, borrowed, cited, each source's two shares) equal the JSON
    report's;
  - every passage of the JSON report is highlighted in the text (a.m[data-p]) and its marked
    text is the passage's text; its side-by-side pair holds the source text;
  - nothing from the essay ran: no dialog opened, no console error or CSP violation, exactly
    the page's two <script> elements, no <img>/<iframe>/<object>/<embed>/<form>, no on*
    attribute, no javascript: link, the title is ours;
  - selecting a passage shows its source side by side (#side);
  - with JavaScript disabled the page still shows figures, marks and pairs;
  - screenshots (screen and print media) and a PDF go to SHOTS_DIR.
For the index page: one row per submission, links resolve to reports, sorting by
originality and the band filter work, nothing injected ran.
Exit 0 when all hold, 1 otherwise (each failure printed).
"""
import base64
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL:", msg)


class WS:
    """The smallest websocket client that talks to Chromium (RFC 6455, text frames)."""

    def __init__(self, url):
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        self.s = socket.create_connection((m.group(1), int(m.group(2))), timeout=180)
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
               % (m.group(3), m.group(1), m.group(2), key))
        self.s.sendall(req.encode())
        resp = b""
        while b"\r\n\r\n" not in resp:
            resp += self.s.recv(4096)
        if b" 101 " not in resp.split(b"\r\n")[0]:
            raise RuntimeError("websocket handshake failed: %r" % resp[:200])
        self.buf = resp.split(b"\r\n\r\n", 1)[1]
        self.id = 0
        self.events = []

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise RuntimeError("websocket closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, text):
        data = text.encode()
        hdr = bytearray([0x81])
        n = len(data)
        if n < 126:
            hdr.append(0x80 | n)
        elif n < 65536:
            hdr += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            hdr += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.s.sendall(bytes(hdr) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def recv(self):
        msg = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            op = b0 & 0x0F
            if op == 8:
                raise RuntimeError("websocket closed by the browser")
            if op in (9, 10):
                continue
            msg += payload
            if b0 & 0x80:
                return json.loads(msg.decode())

    def call(self, method, **params):
        self.id += 1
        me = self.id
        self.send(json.dumps({"id": me, "method": method, "params": params}))
        while True:
            m = self.recv()
            if m.get("id") == me:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, name, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e.get("method") == name:
                    return self.events.pop(i)
            self.events.append(self.recv())
        raise RuntimeError("timeout waiting for " + name)

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("evaluate failed: %s" % r["exceptionDetails"])
        return r["result"].get("value")


def start_browser(chromium, profile):
    p = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                          "--no-first-run", "--no-default-browser-check",
                          "--remote-debugging-port=0", "--remote-allow-origins=*",
                          "--user-data-dir=" + profile, "--window-size=1280,1600",
                          "about:blank"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         # Chromium keeps its singleton socket in a folder of $TMPDIR that
                         # outlives a terminated browser: put it in the profile we remove
                         env=dict(os.environ, TMPDIR=profile))
    port_file = os.path.join(profile, "DevToolsActivePort")
    end = time.time() + 60
    while time.time() < end and not os.path.exists(port_file):
        time.sleep(0.1)
    time.sleep(0.2)
    port = open(port_file).read().split()[0]
    pages = json.load(urllib.request.urlopen("http://127.0.0.1:%s/json/list" % port))
    page = [x for x in pages if x.get("type") == "page"][0]
    return p, WS(page["webSocketDebuggerUrl"])


# the DOM facts a check needs, read in the page
PROBE = r"""(() => {
  const q = s => document.querySelector(s), qa = s => Array.from(document.querySelectorAll(s));
  const num = s => { const e = q(s); return e ? parseFloat(e.getAttribute('data-value')) : null; };
  const marks = {};
  for (const a of qa('#text a.m[data-p]')) {
    const c = a.cloneNode(true);
    for (const x of c.querySelectorAll('sup.sn')) x.remove();
    for (const x of c.querySelectorAll('ins.hid')) x.remove();
    const ks = [a.getAttribute('data-p')].concat((a.getAttribute('data-also') || '').split(' ').filter(x => x));
    for (const k of ks) marks[k] = (marks[k] || '') + c.textContent;
  }
  const onattrs = [];
  for (const e of qa('*')) for (const at of e.attributes)
    if (/^on/i.test(at.name)) onattrs.push(e.tagName + '@' + at.name);
  return {
    title: document.title,
    scripts: qa('script').length,
    execScripts: qa('script:not([type="application/json"])').length,
    injected: qa('img,iframe,object,embed,form,textarea,base,meta[http-equiv="refresh"]').length,
    jsLinks: qa('a[href]').filter(a => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
    onattrs: onattrs,
    pwned: document.title === 'pwned' || typeof window.__adal_pwned !== 'undefined',
    originality: num('#originality'), borrowed: num('#borrowed'), cited: num('#cited'),
    shown: [q('#originality') && q('#originality').textContent,
            q('#borrowed') && q('#borrowed').textContent],
    sources: qa('#sources tr[id^="src-"]').map(r => ({
      pct: parseFloat(r.getAttribute('data-percent')),
      att: parseFloat(r.getAttribute('data-attributed')),
      id: r.children[1].textContent})),
    pairs: qa('.pair[id^="pair-"]').map(p => ({
      id: p.id, qstart: +p.getAttribute('data-qstart'), qend: +p.getAttribute('data-qend'),
      source: p.querySelector('blockquote.s mark') ? p.querySelector('blockquote.s mark').textContent : null})),
    marks: marks,
    data: JSON.parse(q('#adal-data').textContent),
    sideShown: getComputedStyle(q('#side')).display !== 'none',
  };
})()"""


def visible_form(s):
    """The text content adal_write_html gives a string: controls and bidi controls as
    ‹U+XXXX›, zero-width characters as an empty span (the style sheet draws the mark)."""
    def rep(m):
        c = m.group(0)
        if c in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
            return ""
        return "\u2039U+%04X\u203a" % ord(c)
    return re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069"
                  "\u2028\u2029\ufeff\u00ad]", rep, s)


LOAD_SECONDS = [0.0]


def load(ws, url):
    ws.events = []
    t = time.time()
    ws.call("Page.navigate", url=url)
    ws.wait_event("Page.loadEventFired", 60)
    LOAD_SECONDS[0] = time.time() - t


def bad_events(ws):
    out = []
    for e in ws.events:
        m = e.get("method")
        if m == "Page.javascriptDialogOpening":
            out.append("dialog opened: %s" % e["params"].get("message"))
        elif m == "Runtime.consoleAPICalled":
            out.append("console.%s called" % e["params"].get("type"))
        elif m == "Log.entryAdded" and e["params"]["entry"].get("level") in ("error", "warning"):
            out.append("log: %s" % e["params"]["entry"].get("text"))
        elif m == "Runtime.exceptionThrown":
            out.append("exception: %s" % e["params"].get("exceptionDetails", {}).get("text"))
    return out


def check_report(ws, page, report, shots):
    name = os.path.basename(page)
    rep = json.load(open(report, encoding="utf-8"))
    load(ws, "file://" + os.path.abspath(page))
    loaded = LOAD_SECONDS[0]
    d = ws.eval(PROBE)
    for b in bad_events(ws):
        fail("%s: %s" % (name, b))
    if d["execScripts"] != 1 or d["scripts"] != 2:
        fail("%s: %d script elements (%d executable), want 2 (1)" % (name, d["scripts"], d["execScripts"]))
    if d["injected"] or d["jsLinks"] or d["onattrs"] or d["pwned"]:
        fail("%s: injected content: %r" % (name, {k: d[k] for k in ("injected", "jsLinks", "onattrs", "pwned")}))
    for k in ("originality", "borrowed", "cited"):
        if d[k] != rep[k] or d["data"][k] != rep[k]:
            fail("%s: %s shown %r (data %r), JSON says %r" % (name, k, d[k], d["data"][k], rep[k]))
    want = [(s["percent"], s["percent_attributed"]) for s in rep["sources"]]
    got = [(s["pct"], s["att"]) for s in d["sources"]]
    if want != got:
        fail("%s: sources table %r, JSON %r" % (name, got, want))
    if [s["id"] for s in d["sources"]] != [visible_form(s["id"]) for s in rep["sources"]]:
        fail("%s: source names differ" % name)
    # every passage of the JSON is highlighted with its own text, and paired with its source
    jp = sorted(((p["query"]["start"], p["query"]["end"], p["query"].get("text"),
                  p["source"].get("text")) for s in rep["sources"] for p in s["passages"]))
    hp = sorted((p["qstart"], p["qend"], p["id"]) for p in d["pairs"])
    if [(a, b) for a, b, _, _ in jp] != [(a, b) for a, b, _ in hp]:
        fail("%s: passages in the page %r differ from the JSON %r" % (name, hp, jp))
    for (qs, qe, qt, st), (_, _, pid) in zip(jp, hp):
        k = pid.split("-")[1]
        got = d["marks"].get(k)
        if not got:
            fail("%s: passage %s (%d-%d) is not highlighted" % (name, k, qs, qe))
            continue
        # the marked text, paragraph breaks aside, is the passage's text as shown
        if qt is not None and got.replace("\n", "") != visible_form(qt).replace("\n", ""):
            fail("%s: passage %s marked text differs from the JSON's" % (name, k))
        pair = [p for p in d["pairs"] if p["id"] == pid][0]
        if st is not None and (pair["source"] or "").replace("\n", "") != visible_form(st).replace("\n", ""):
            fail("%s: pair %s source text differs from the JSON's" % (name, k))
    if len(d["marks"]) != len(jp):
        fail("%s: %d passages highlighted, JSON has %d" % (name, len(d["marks"]), len(jp)))
    base = os.path.join(shots, os.path.splitext(name)[0])
    # selecting a passage shows it beside its source
    if jp:
        side = ws.eval("""(() => { const a = document.querySelector('#text a.m[data-p]');
            a.scrollIntoView(); a.click(); const s = document.getElementById('side');
            return {pair: !!s.querySelector('.pair blockquote.s mark'),
                    text: s.querySelector('.pair blockquote.s mark') ?
                          s.querySelector('.pair blockquote.s mark').textContent : '',
                    p: a.getAttribute('data-p'),
                    sel: document.querySelectorAll('#text a.m.sel').length}; })()""")
        pair = [p for p in d["pairs"] if p["id"] == "pair-" + side["p"]]
        if not side["pair"] or not pair or side["text"] != pair[0]["source"] or not side["sel"]:
            fail("%s: selecting passage %s did not show its source side by side" % (name, side["p"]))
        shot(ws, base + "-selected.png")
    shot(ws, base + ".png")
    ws.call("Emulation.setEmulatedMedia", media="print")
    shot(ws, base + "-print.png")
    ws.call("Emulation.setEmulatedMedia", media="")
    # A4 PDF, first pages. Not for the hostile essay: its 1 MB word is some 350 printed pages,
    # which Chromium paginates in about a minute whatever the page range
    if os.path.getsize(page) < 512 * 1024:
        pdf = ws.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69,
                      printBackground=False, pageRanges="1-3")
        open(base + ".pdf", "wb").write(base64.b64decode(pdf["data"]))
    # without JavaScript: everything but the side panel
    ws.call("Emulation.setScriptExecutionDisabled", value=True)
    load(ws, "file://" + os.path.abspath(page))
    nojs = ws.eval  # evaluation still works from the protocol with page scripts disabled
    r = nojs("""(() => ({o: document.getElementById('originality').textContent,
        marks: document.querySelectorAll('#text a.m[data-p]').length,
        pairs: document.querySelectorAll('.pair').length,
        href: (document.querySelector('#text a.m') || {getAttribute: () => '#pair-0'}).getAttribute('href')}))()""")
    ws.call("Emulation.setScriptExecutionDisabled", value=False)
    if not r["o"] or (jp and (not r["marks"] or r["pairs"] != len(jp) or not r["href"].startswith("#pair-"))):
        fail("%s: without JavaScript the page lacks figures, marks or pairs: %r" % (name, r))
    print("ok   %s: %.1f / %.1f / %.1f, %d sources, %d passages highlighted, %d KB, loaded in %.2f s" %
          (name, d["originality"], d["borrowed"], d["cited"], len(d["sources"]), len(d["marks"]),
           os.path.getsize(page) // 1024, loaded))


def check_index(ws, page, summary, shots):
    name = os.path.basename(page)
    sm = json.load(open(summary, encoding="utf-8"))
    load(ws, "file://" + os.path.abspath(page))
    d = ws.eval(r"""(() => {
      const qa = s => Array.from(document.querySelectorAll(s));
      const onattrs = [];
      for (const e of qa('*')) for (const at of e.attributes) if (/^on/i.test(at.name)) onattrs.push(at.name);
      return {rows: qa('#submissions tbody tr').length,
              students: qa('#submissions tbody td.student').map(t => t.textContent),
              links: qa('#submissions a[href]').map(a => a.href),
              jsLinks: qa('a[href]').filter(a => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
              scripts: qa('script').length, injected: qa('img,iframe,object,embed,form').length,
              onattrs: onattrs, title: document.title,
              controls: !document.getElementById('controls').hidden,
              clusters: qa('#clusters .cluster').length,
              failed: qa('#failed li').length};
    })()""")
    for b in bad_events(ws):
        fail("%s: %s" % (name, b))
    subs = sm["submissions"]
    if d["rows"] != len(subs):
        fail("%s: %d rows, summary has %d submissions" % (name, d["rows"], len(subs)))
    if d["students"] != [visible_form(s["student"]) for s in subs]:
        fail("%s: student names differ: %r" % (name, d["students"]))
    if d["jsLinks"] or d["scripts"] != 1 or d["injected"] or d["onattrs"]:
        fail("%s: injected content %r" % (name, d))
    if not d["controls"]:
        fail("%s: the sort/filter controls did not appear (script blocked?)" % name)
    if d["clusters"] != len(sm.get("clusters", [])):
        fail("%s: %d clusters drawn, summary has %d" % (name, d["clusters"], len(sm.get("clusters", []))))
    nfailed = sum(1 for s in subs if s["status"] == "failed")
    if d["failed"] != max(nfailed, 1):
        fail("%s: %d failed files listed, summary has %d" % (name, d["failed"], nfailed))
    # links stay inside OUT/reports (or are in-page anchors)
    root = "file://" + urllib.request.pathname2url(os.path.dirname(os.path.abspath(page)))
    for href in d["links"]:
        if not (href.startswith(root + "/reports/") or href.startswith(root + "/index.html#")
                or "#cluster-" in href):
            fail("%s: link leaves the report folder: %s" % (name, href))
    nlinks = sum(1 for s in subs if (s.get("report") or "").endswith(".json")
                 and not s["report"].startswith("/") and ".." not in s["report"].split("/"))
    if sum(1 for h in d["links"] if "/reports/" in h) != nlinks:
        fail("%s: %d report links, want %d" % (name, sum(1 for h in d["links"] if "/reports/" in h), nlinks))
    # sort by originality: lowest first (the essays to read first), then highest first; rows
    # without a figure last
    orders = []
    for _ in range(2):
        orders.append(ws.eval("""(() => { document.getElementById('sort-originality').click();
            return Array.from(document.querySelectorAll('#submissions tbody tr'))
              .map(r => r.getAttribute('data-originality')).filter(x => x !== null).map(parseFloat); })()"""))
    if orders[0] != sorted(orders[0]) or orders[1] != sorted(orders[1], reverse=True):
        fail("%s: sorting by originality gave %r" % (name, orders))
    # the band filter: only that band's rows stay visible
    bands = sorted({s["band_index"] for s in subs if s.get("band_index") is not None})
    for b in bands:
        vis = ws.eval("""(() => { const f = document.getElementById('band-filter'); f.value = '%d';
            f.dispatchEvent(new Event('change'));
            return Array.from(document.querySelectorAll('#submissions tbody tr'))
              .filter(r => !r.hidden).map(r => r.getAttribute('data-band')); })()""" % b)
        if not vis or any(v != str(b) for v in vis):
            fail("%s: band filter %d shows %r" % (name, b, vis))
    ws.eval("""(() => { const f = document.getElementById('band-filter'); f.value = '';
        f.dispatchEvent(new Event('change')); })()""")
    shot(ws, os.path.join(shots, "index.png"))
    print("ok   %s: %d rows, %d clusters, %d failed, sort and filter work" %
          (name, d["rows"], d["clusters"], nfailed))


def shot(ws, path):
    r = ws.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
    open(path, "wb").write(base64.b64decode(r["data"]))


def main():
    chromium, shots = sys.argv[1], sys.argv[2]
    os.makedirs(shots, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="adal-chromium-")
    proc, ws = start_browser(chromium, profile)
    try:
        ws.call("Page.enable")
        ws.call("Runtime.enable")
        ws.call("Log.enable")
        for arg in sys.argv[3:]:
            kind, page, data = arg.split(":", 2)
            try:
                (check_report if kind == "report" else check_index)(ws, page, data, shots)
            except Exception as e:  # a page that breaks the probe is a failure, not a crash
                fail("%s: %s" % (page, e))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        subprocess.run(["rm", "-rf", profile])
    print("%d failure(s); screenshots in %s" % (len(FAILS), shots))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
