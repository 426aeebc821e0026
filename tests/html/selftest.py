#!/usr/bin/env python3
"""selftest.py - chromium_check.py must fail each page that breaks one of its
rules, and pass a clean one: a check that stopped checking would pass a
broken report unnoticed.

usage: selftest.py [CHROMIUM_CHECK]    (default: chromium_check.py beside it)

Exit 0 when every page got the verdict it should, 1 otherwise, 77 (skip)
without Chromium.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CLEAN = ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>t</title>"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'\"><style>@media print{.screen{display:none}}</style>"
         "</head><body><h1>Report</h1><h2>Shown in print</h2><h2 class=screen>Screen only</h2>"
         "<p>42 leads</p></body></html>")

# (name, page, extra arguments, expected exit status)
CASES = [
    ("clean", CLEAN, ["--expect", "42 leads", "--print-heading", "Shown in print"], 0),
    ("missing text", CLEAN, ["--expect", "43 leads"], 1),
    ("heading hidden in print", CLEAN, ["--print-heading", "Screen only"], 1),
    ("external image", CLEAN.replace("<p>", "<img src=\"http://example.com/x.png\"><p>"), [], 1),
    ("script error", CLEAN.replace("default-src 'none'; ", "").replace(
        "<p>", "<script>console.error('boom')</script><p>"), [], 1),
    ("script blocked by the CSP", CLEAN.replace("<p>", "<script>1</script><p>"), [], 1),
    ("blank", "<!DOCTYPE html><html><body></body></html>", [], 1),
    ("too few PDF pages", CLEAN, ["--pdf", "{dir}/out.pdf", "--min-pages", "3"], 1),
    ("PDF", CLEAN, ["--pdf", "{dir}/out.pdf", "--min-pages", "1"], 0),
    # Linear B (U+10000...): no font installed draws it, so it shows as boxes.
    ("glyphs no font has", CLEAN.replace("<p>", "<p>\U00010000\U00010001 "),
     ["--glyphs", "\U00010000\U00010001"], 1),
    ("glyphs of a covered script", CLEAN.replace("<p>", "<p dir=auto>Ananya "),
     ["--glyphs", "Ananya"], 0),
    ("Arabic left to right", CLEAN.replace("<p>", "<p dir=ltr>\u0641\u0627\u0637\u0645\u0629 "),
     ["--rtl", "\u0641\u0627\u0637\u0645\u0629"], 1),
    ("Arabic right to left", CLEAN.replace("<p>", "<p dir=auto>\u0641\u0627\u0637\u0645\u0629 "),
     ["--rtl", "\u0641\u0627\u0637\u0645\u0629", "--glyphs", "\u0641\u0627\u0637\u0645\u0629"], 0),
]


def main():
    checker = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "chromium_check.py")
    wrong = 0
    with tempfile.TemporaryDirectory(prefix="lv-html-selftest-") as work:
        for name, page, extra, want in CASES:
            path = os.path.join(work, "page.html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(page)
            args = [a.replace("{dir}", work) for a in extra]
            p = subprocess.run([sys.executable, checker, path] + args, capture_output=True,
                               text=True, timeout=120)
            if p.returncode == 77:
                print(p.stdout.strip())
                return 77
            ok = p.returncode == want
            wrong += not ok
            print("%s: %s: exit %d, expected %d%s" % ("ok" if ok else "FAIL", name, p.returncode,
                                                     want, "" if ok else "\n" + p.stdout))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
