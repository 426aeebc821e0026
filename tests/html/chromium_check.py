#!/usr/bin/env python3
"""chromium_check.py - load an HTML file in headless Chromium with the network
disabled and check that it renders cleanly. Python 3 standard library only.

usage: chromium_check.py [options] FILE.html

  --expect TEXT        TEXT must appear in the page's text (document.body
                       innerText, whitespace runs read as one space);
                       repeatable
  --expect-file FILE   each non-empty line of FILE is an --expect TEXT
  --print-heading TEXT under print media, a heading (h1-h6) whose text is
                       TEXT exists and is displayed; repeatable
  --pdf OUT.pdf        print the page to PDF (A4, backgrounds) into OUT.pdf
                       and check it is a PDF of at least --min-pages pages
  --min-pages N        with --pdf (default 1)
  --glyphs TEXT        TEXT is drawn by fonts that have its characters (no
                       missing-glyph boxes): every font Chromium used for
                       the text node holding TEXT is one that fontconfig
                       (fc-list :charset=...) lists for each of TEXT's
                       characters; repeatable
  --rtl TEXT           the element holding TEXT is laid out right to left
                       (computed direction rtl); repeatable
  --screenshot OUT.png keep the screenshot taken for the blank check
  --chromium PATH      the browser (default: $CHROMIUM, else chromium,
                       chromium-browser, google-chrome on PATH)
  --timeout SECONDS    for the whole check (default 60)

Checks, each a failure when it does not hold:
  - the page loads (Page.loadEventFired) within the timeout;
  - no console error, no uncaught exception, no log entry of level error
    (a Content-Security-Policy violation is one);
  - no network request other than the file itself (requests are seen with
    Network.requestWillBeSent; the browser also runs with the network
    emulated offline and a proxy that goes nowhere, so nothing leaves);
  - a screenshot of the first 1024x768 pixels is not blank (one colour);
  - every --expect text is in the page's text;
  - every --glyphs text is drawn by fonts that cover it, and every --rtl
    text runs right to left;
  - every --print-heading is displayed under print media;
  - with --pdf, the printout starts with %PDF- and has >= --min-pages
    pages (counted from its /Type /Page objects). The text of the PDF is
    not read (its fonts are compressed subsets, and pdftotext is not
    always installed): the print layout is checked in the DOM under print
    media, which is what Chromium prints.

The browser is driven over --remote-debugging-pipe: DevTools protocol
messages, JSON terminated by NUL, written to its fd 3 and read from its fd 4.
--no-sandbox is always given (the sandbox needs user namespaces, which
containers often lack; the pages checked are the project's own files).

Exit status: 0 all checks held, 1 a check failed (each failure printed),
2 usage or setup error, 77 no Chromium found (ctest SKIP_RETURN_CODE).
"""
import argparse
import base64
import json
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

SKIP = 77


def find_chromium(given):
    names = [given] if given else [os.environ.get("CHROMIUM"), "chromium", "chromium-browser",
                                   "google-chrome"]
    for name in names:
        if name:
            path = shutil.which(name)
            if path:
                return path
    return None


class Browser:
    def __init__(self, binary, deadline):
        self.deadline = deadline
        self.profile = tempfile.mkdtemp(prefix="lv-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        flags = ["--headless", "--remote-debugging-pipe", "--disable-gpu", "--no-first-run",
                 "--disable-dev-shm-usage",  # a container's /dev/shm may be tiny
                 "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                 "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                 "--host-resolver-rules=MAP * ~NOTFOUND",
                 "--user-data-dir=" + self.profile, "about:blank"]
        # Always without Chromium's sandbox: it needs user namespaces, which
        # CI containers often lack, and the pages are our own files with the
        # network off.
        flags.insert(0, "--no-sandbox")
        # The shell moves the pipe ends to fds 3 and 4, as the browser wants.
        # (Going through free fds first, so that either end may already be 3 or 4.)
        script = 'exec 9<&%d 8>&%d; exec "$0" "$@" 3<&9 4>&8 9<&- 8>&-' % (
            to_browser_r, from_browser_w)
        self.proc = subprocess.Popen(["sh", "-c", script, binary] + flags,
                                     pass_fds=(to_browser_r, from_browser_w),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=(None if os.environ.get("LV_CHROMIUM_DEBUG") else subprocess.DEVNULL), start_new_session=True)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", wait=False)
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.to_browser, self.from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self):
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from the browser in time")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise EOFError("the browser closed its pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None, wait=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        if not wait:
            return None
        while True:
            m = self._read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"].get("message")))
                return m.get("result", {})
            if "method" in m:
                self.events.append(m)

    def wait_event(self, method):
        for m in self.events:
            if m.get("method") == method:
                return m
        while True:
            m = self._read_message()
            if "method" in m:
                self.events.append(m)
                if m["method"] == method:
                    return m


def png_pixels(data):
    """(width, height, bytes per pixel, rows) of an 8-bit PNG (no interlace)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    at, idat, width = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace != 0:
                raise ValueError("unsupported PNG")
            bpp = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def blank(png):
    width, height, bpp, rows = png_pixels(png)
    first = rows[0][:bpp]
    return all(row == first * width for row in rows)


def squash(text):
    return re.sub(r"\s+", " ", text).strip()


def covering_families(text):
    """The font families fontconfig says have every character of text."""
    families = None
    for ch in sorted(set(c for c in text if not c.isspace())):
        out = subprocess.run(["fc-list", ":charset=%x" % ord(ch), "family"], capture_output=True,
                             text=True, check=True).stdout
        have = {name.strip() for line in out.splitlines() for name in line.split(",")}
        families = have if families is None else families & have
    return families or set()


MARK_NODE = ("(() => { const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
             " let n; while ((n = w.nextNode())) { if (n.nodeValue.includes(%s)) {"
             " n.parentElement.setAttribute('data-lv-check', ''); return true; } }"
             " return false; })()")


def marked_node(browser, session, text):
    """Mark the element whose own text node holds text; its DOM node id, or None."""
    browser.send("Runtime.evaluate", {"expression": "document.querySelectorAll("
                                      "'[data-lv-check]').forEach(e => "
                                      "e.removeAttribute('data-lv-check'))"}, session=session)
    found = browser.send("Runtime.evaluate", {"expression": MARK_NODE % json.dumps(text),
                                              "returnByValue": True},
                         session=session)["result"].get("value")
    if found is not True:
        return None
    root = browser.send("DOM.getDocument", {}, session=session)["root"]["nodeId"]
    return browser.send("DOM.querySelector", {"nodeId": root, "selector": "[data-lv-check]"},
                        session=session)["nodeId"]


def check_scripts(browser, session, args, failures):
    for text in args.glyphs:
        node = marked_node(browser, session, text)
        if node is None:
            failures.append("no text node holds %r" % text)
            continue
        fonts = browser.send("CSS.getPlatformFontsForNode", {"nodeId": node},
                             session=session)["fonts"]
        covering = covering_families(text)
        used = [f["familyName"] for f in fonts]
        if not used or any(name not in covering for name in used):
            failures.append("%r is drawn with %s, not only fonts that have its characters (%s)"
                            % (text, used, sorted(covering) or "none installed"))
    for text in args.rtl:
        if marked_node(browser, session, text) is None:
            failures.append("no text node holds %r" % text)
            continue
        direction = browser.send("Runtime.evaluate", {
            "expression": "getComputedStyle(document.querySelector('[data-lv-check]')).direction",
            "returnByValue": True}, session=session)["result"].get("value")
        if direction != "rtl":
            failures.append("%r runs %s, not right to left" % (text, direction))


def run(args):
    failures = []
    path = os.path.abspath(args.file)
    if not os.path.isfile(path):
        print("chromium_check: no file %s" % args.file, file=sys.stderr)
        return 2
    binary = find_chromium(args.chromium)
    if binary is None:
        print("chromium_check: SKIP: no chromium found (install the Debian package chromium)")
        return SKIP
    url = "file://" + path
    browser = Browser(binary, time.monotonic() + args.timeout)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget",
                               {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Network.enable", "Runtime.enable", "Log.enable",
                       "DOM.enable", "CSS.enable"):
            browser.send(method, session=session)
        browser.send("Network.emulateNetworkConditions",
                     {"offline": True, "latency": 0, "downloadThroughput": -1,
                      "uploadThroughput": -1}, session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1024, "height": 768, "deviceScaleFactor": 1, "mobile": False},
                     session=session)
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait_event("Page.loadEventFired")
        text = browser.send("Runtime.evaluate", {"expression": "document.body.innerText",
                                                 "returnByValue": True},
                            session=session)["result"].get("value", "")
        shot = base64.b64decode(browser.send(
            "Page.captureScreenshot", {"format": "png"}, session=session)["data"])
        if args.screenshot:
            with open(args.screenshot, "wb") as f:
                f.write(shot)
        small = base64.b64decode(browser.send(
            "Page.captureScreenshot", {"format": "png", "clip": {"x": 0, "y": 0, "width": 1024,
                                                                "height": 768, "scale": 0.25}},
            session=session)["data"])
        if blank(small):
            failures.append("the screenshot is blank (one colour)")
        page_text = squash(text)
        for want in args.expect:
            if squash(want) not in page_text:
                failures.append("text not in the page: %r" % want)
        check_scripts(browser, session, args, failures)
        browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
        for heading in args.print_heading:
            probe = ("Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).some(h => "
                     "h.textContent.replace(/\\s+/g, ' ').trim() === %s && "
                     "getComputedStyle(h).display !== 'none' && h.getClientRects().length > 0)"
                     % json.dumps(squash(heading)))
            shown = browser.send("Runtime.evaluate", {"expression": probe, "returnByValue": True},
                                 session=session)["result"].get("value")
            if shown is not True:
                failures.append("heading not displayed in print: %r" % heading)
        if args.pdf:
            pdf = base64.b64decode(browser.send(
                "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True},
                session=session)["data"])
            with open(args.pdf, "wb") as f:
                f.write(pdf)
            pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
            if not pdf.startswith(b"%PDF-"):
                failures.append("the printout is not a PDF")
            elif pages < args.min_pages:
                failures.append("the PDF has %d pages, expected at least %d"
                                % (pages, args.min_pages))
        # Let late events arrive, then judge them all.
        browser.send("Runtime.evaluate", {"expression": "1"}, session=session)
        for m in browser.events:
            method, params = m.get("method"), m.get("params", {})
            if method == "Network.requestWillBeSent":
                request_url = params.get("request", {}).get("url", "")
                if request_url != url:
                    failures.append("network request: %s" % request_url[:200])
            elif method == "Runtime.exceptionThrown":
                failures.append("exception: %s" % params.get("exceptionDetails", {}).get("text"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error",
                                                                                "assert"):
                failures.append("console %s: %s" % (params.get("type"), json.dumps(
                    params.get("args", []))[:300]))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                failures.append("log error (%s): %s" % (entry.get("source"),
                                                        entry.get("text", "")[:300]))
    except (TimeoutError, EOFError, RuntimeError, ValueError, KeyError) as e:
        failures.append("browser: %s" % e)
    finally:
        browser.close()
    for f in failures:
        print("FAIL: %s: %s" % (args.file, f))
    if not failures:
        print("ok: %s (%d texts, %d print headings%s)" % (
            args.file, len(args.expect), len(args.print_heading),
            ", PDF" if args.pdf else ""))
    return 1 if failures else 0


def main():
    p = argparse.ArgumentParser(description="Check an HTML file in headless Chromium.")
    p.add_argument("file")
    p.add_argument("--expect", action="append", default=[])
    p.add_argument("--expect-file")
    p.add_argument("--print-heading", action="append", default=[])
    p.add_argument("--pdf")
    p.add_argument("--min-pages", type=int, default=1)
    p.add_argument("--glyphs", action="append", default=[])
    p.add_argument("--rtl", action="append", default=[])
    p.add_argument("--screenshot")
    p.add_argument("--chromium")
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()
    if args.expect_file:
        with open(args.expect_file, encoding="utf-8") as f:
            args.expect += [line.rstrip("\n") for line in f if line.strip()]
    sys.exit(run(args))


if __name__ == "__main__":
    main()
