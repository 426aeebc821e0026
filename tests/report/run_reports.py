#!/usr/bin/env python3
"""run_reports.py - the compliance reports (issue 19) against a scripted
vault whose figures this script knows.

usage: run_reports.py figures LEADVAULT
       run_reports.py html LEADVAULT CHROMIUM_CHECK

The vault is built under faketime in March 2033 (2033-03-07 is a Monday;
every time is UTC): users of each role, six leads whose every field value
is a canary, consents granted, withdrawn and expiring, reveals in and out
of business hours, a denied reveal, an export, a failed unlock, a legal
hold, retention rules, a retention run, a subject export and an erasure
under one request reference. The reports are made on 2033-03-10 09:00.

figures: each of the five reports, in HTML, CSV and JSON, holds exactly
  the rows the scenario implies (the same rows in the three formats); a
  report limited to one day counts that day only; no canary appears in any
  report file, in any form lvtool scan knows; the auditor role gets the
  same reports, sales is refused (exit 5) and leaves no file.
html: tests/html/chromium_check.py loads each HTML report (network off):
  no console error, no request, not blank, its key figures in the page
  text; the record of processing prints to PDF with every section heading
  displayed in print and a page per section. Exit 77 (skip) without
  Chromium.

Exit 0 when every check held, 1 when one failed, 2 on a setup error.
LV_TEST_KEEP=1 keeps the working directory.
"""
import csv
import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

KDF = ["--kdf-memory", "19", "--kdf-iterations", "2"]
KINDS = ["processing", "access", "consent", "retention", "erasure"]
FORMATS = ["html", "csv", "json"]
REPORT_TIME = "2033-03-10 09:00:00"
HERE = os.path.dirname(os.path.abspath(__file__))

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL: " + what, flush=True)
    return ok


def die(message):
    print("run_reports: " + message, file=sys.stderr, flush=True)
    sys.exit(2)


class Cli:
    def __init__(self, binary, work):
        self.binary, self.work = binary, work
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LEADVAULT_")}
        self.env.update({"TZ": "UTC", "LC_ALL": "C.UTF-8", "LEADVAULT_VAULT": "vault.lv"})

    def run(self, at, user, args, expect=0):
        argv = ["faketime", at, self.binary, "--user", user, "--passphrase-file",
                user + ".pass"] + args
        p = subprocess.run(argv, cwd=self.work, env=self.env, capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=120)
        out = p.stdout.decode("utf-8", "replace").strip()
        if expect is not None and p.returncode != expect:
            die("at %s, %s %s exited %d (expected %d): %s" % (
                at, user, " ".join(args), p.returncode, expect,
                p.stderr.decode("utf-8", "replace").strip()))
        return out, p.returncode


# Every field value of every lead is a canary: none may reach a report.
def lead_fields(n, **extra):
    fields = {"first-name": "Kanarie%dfirst" % n, "last-name": "Kanarie%dlast" % n,
              "email": "kanarie%d@canary.example" % n, "phone": "+49 30 55501%02d" % n,
              "company": "Kanarie%d Holding" % n, "title": "Kanarie%d Title" % n,
              "website": "https://kanarie%d.example" % n,
              "address": "Kanarieweg %d, Utrecht" % n, "notes": "Kanarie%d notes" % n}
    fields.update(extra)
    return fields


def canaries():
    values = []
    for n in range(1, 7):
        values += [v for k, v in lead_fields(n).items()]
    return values


def build(cli, work):
    day7, day8, day9 = "2033-03-07 %s", "2033-03-08 %s", "2033-03-09 %s"
    for user in ("alice", "sam", "cora", "audrey"):
        with open(os.path.join(work, user + ".pass"), "w") as f:
            f.write("%s passphrase\n" % user)
    cli.run(day7 % "08:00:00", "alice", ["init", "--admin", "alice"] + KDF)
    for user, role in (("sam", "sales"), ("cora", "compliance"), ("audrey", "auditor")):
        cli.run(day7 % "08:01:00", "alice", ["user", "add", user, "--role", role,
                                             "--new-passphrase-file", user + ".pass"] + KDF)
    cli.run(day7 % "08:02:00", "alice", ["setting", "set", "controller", "Example Leads GmbH"])
    cli.run(day7 % "08:02:00", "alice", ["setting", "set", "dpo_contact", "dpo@example.org"])
    specs = [(1, "webinar", "lost", {}), (2, "webinar", "new", {}), (3, "webinar", "new", {}),
             (4, "trade_show", "new", {}), (5, "trade_show", "contacted", None),
             (6, "referral", "unqualified", {})]
    leads = {}
    for n, source, stage, extra in specs:
        fields = lead_fields(n) if extra is not None else {
            "first-name": lead_fields(n)["first-name"], "email": lead_fields(n)["email"]}
        args = ["lead", "add", "--source", source, "--stage", stage]
        for k, v in fields.items():
            args += ["--" + k, v]
        leads[n], _ = cli.run(day7 % "09:00:00", "sam", args)
    for n in (1, 2, 3):
        args = ["consent", "grant", leads[n], "email_marketing", "--evidence", "web form"]
        if n == 3:
            args += ["--expires", "2033-03-27"]
        cli.run(day7 % "10:00:00", "sam", args)
    cli.run(day7 % "11:00:00", "sam", ["lead", "get", leads[1], "--purpose", "email_marketing"])
    cli.run(day8 % "10:00:00", "sam", ["consent", "withdraw", leads[2], "email_marketing"])
    cli.run(day8 % "09:00:00", "cora", ["subject", "export", leads[5], "--request", "REQ-1",
                                        "--out", "subject.json"])
    cli.run(day8 % "11:00:00", "sam", ["lead", "get", leads[3], "--purpose", "sales_followup"])
    cli.run(day8 % "12:00:00", "sam", ["lead", "get", leads[2], "--purpose", "email_marketing"],
            expect=5)
    cli.run(day8 % "20:00:00", "sam", ["lead", "get", leads[1], "--purpose", "email_marketing"])
    cli.run(day9 % "10:00:00", "sam", ["export", "--purpose", "sales_followup", "--out",
                                       "export.csv"])
    with open(os.path.join(work, "wrong.pass"), "w") as f:
        f.write("not the passphrase\n")
    subprocess.run(["faketime", day9 % "11:00:00", cli.binary, "--user", "sam",
                    "--passphrase-file", "wrong.pass", "stats"], cwd=work, env=cli.env,
                   capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
    cli.run(day9 % "12:00:00", "cora", ["hold", "set", leads[4], "--reason", "case LIT-7"])
    for rule in (["lost_1y", "--stage", "lost", "--older-than", "365d"],
                 ["stale_new", "--stage", "new", "--inactive", "30d"],
                 ["unq_1d", "--stage", "unqualified", "--older-than", "1d"]):
        cli.run(day9 % "13:00:00", "cora", ["retention", "add"] + rule)
    cli.run(day9 % "14:00:00", "cora", ["erase", leads[4], "--request", "REQ-2"], expect=5)
    cli.run(day9 % "14:30:00", "cora", ["subject", "export", leads[3], "--request", "SAR-9",
                                        "--out", "subject-sar9.json"])
    cli.run(day9 % "15:00:00", "cora", ["erase", leads[5], "--request", "REQ-1",
                                        "--receipt", "receipt-req1.json"])
    cli.run(day9 % "16:00:00", "cora", ["retention", "run", "--request", "RET-1"])
    return leads


# ---- reading the three formats into {section id: [rows of strings]} -------------

def read_json(path):
    with open(path, encoding="utf-8") as f:
        model = json.load(f)
    return model, {s["id"]: [[str(c) for c in row] for row in s["rows"]]
                   for s in model["sections"]}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    sections, facts, current, header = {}, {}, None, False
    for row in rows:
        if not row:
            current = None
            continue
        if current is None and row[0] == "section":
            current, header = row[1], True
            sections[current] = []
        elif current is None:
            facts[row[0]] = row[1]
        elif header:
            header = False
        else:
            sections[current].append(row)
    return facts, sections


class TableReader(html.parser.HTMLParser):
    """Rows of the table of each <section id="s-ID">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections, self.section, self.row, self.cell, self.in_head = {}, None, None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs["id"][2:]
            self.sections[self.section] = []
        elif tag == "thead":
            self.in_head = 1
        elif tag == "tr" and self.section and not self.in_head:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""
            if attrs.get("colspan"):
                self.row = None  # the "None." row of an empty table

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_head = 0
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.sections[self.section].append(self.row)
            self.row = None
        elif tag == "section":
            self.section = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def read_html(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    reader = TableReader()
    reader.feed(text)
    return text, reader.sections


def generate(cli, user, kind, fmt, name=None, extra=(), expect=0):
    out = name or "%s-%s.%s" % (kind, user, fmt)
    cli.run(REPORT_TIME, user, ["report", kind, "--format", fmt, "--out", out] + list(extra),
            expect=expect)
    return os.path.join(cli.work, out)


def to_second(cell):
    """A time to the minute: faketime sets the time each command starts at;
    the seconds are those the command took to get there (a KDF, an
    erasure's WAL truncation)."""
    return re.sub(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d):\d\d\.\d{3}Z$", r"\1Z", cell)


def expect_rows(sections, kind, section, want, width=None):
    got = sections.get(section)
    if not check(got is not None, "%s: no section %s" % (kind, section)):
        return
    cut = [[to_second(c) for c in (r[:width] if width else r)] for r in got]
    want = [[to_second(c) for c in r] for r in want]
    check(cut == want, "%s/%s: rows %r, expected %r" % (kind, section, cut, want))


def expected(leads):
    L = {n: leads[n] for n in leads}
    return {
        "processing": {
            "controller": ([["Controller", "Example Leads GmbH"],
                            ["Controller contact", "not set"],
                            ["DPO contact", "dpo@example.org"],
                            ["Representative", "not set"]], None),
            "subjects": ([["trade_show", "1", "25.0"], ["webinar", "3", "75.0"],
                          ["total", "4", "100.0"]], None),
            "users": ([["alice", "admin"], ["audrey", "auditor"], ["cora", "compliance"],
                       ["sam", "sales"]], 2),
            "recipients": ([["data subject (access requests)", "2", "2", "cora"],
                            ["sales_followup", "1", "6", "sam"]], 4),
            "retention": ([["lost_1y", "stage lost, created over 365 days ago"],
                           ["stale_new", "stage new, no contact for 30 days"],
                           ["unq_1d", "stage unqualified, created over 1 days ago"]], None),
            "measures": ([[m] for m in ("Encryption of personal data", "Key derivation",
                                        "Search without decryption", "Record integrity",
                                        "Audit log", "Last verified checkpoint", "Erasure",
                                        "Access control")], 1),
        },
        "access": {
            "access": ([["cora", "subject_request", "2033-03-08", "export", "1", "1"],
                        ["cora", "subject_request", "2033-03-09", "export", "1", "1"],
                        ["sam", "email_marketing", "2033-03-07", "reveal", "1", "1"],
                        ["sam", "email_marketing", "2033-03-08", "reveal", "1", "1"],
                        ["sam", "sales_followup", "2033-03-08", "reveal", "1", "1"],
                        ["sam", "sales_followup", "2033-03-09", "export", "1", "6"]], 6),
            "top_leads": ([[L[1], "2"], [L[3], "1"]], 2),
            "denials": ([["cora", "lead.erase", "(none)", "1", "1"],
                         ["sam", "lead.get", "email_marketing", "1", "1"]], 5),
            "failed_unlocks": ([["sam", "1"]], 2),
            "out_of_hours": ([["sam", "reveal", "1", "1"]], 4),
        },
        "consent": {
            "coverage": ([["direct_mail", "0", "0.0", "0", "0"],
                          ["email_marketing", "2", "50.0", "1", "0"],
                          ["phone_outreach", "0", "0.0", "0", "0"],
                          ["profiling", "0", "0.0", "0", "0"]], None),
            "over_time": ([["2033-03-07", "3", "0"], ["2033-03-08", "0", "1"]], None),
            "expiring": ([["direct_mail", "0", "0"], ["email_marketing", "1", "1"],
                          ["phone_outreach", "0", "0"], ["profiling", "0", "0"]], None),
            "use_checks": ([["uses checked", "2"], ["uses without an active consent", "0"],
                            ["uses of leads erased since (not checkable)", "0"]], None),
            "without_consent": ([], None),
        },
        "retention": {
            "due_summary": ([["overdue now", "0"], ["within 30 days", "3"],
                             ["within 90 days", "3"], ["within 365 days", "4"]], None),
            "due": (sorted([[L[n], "2033-04-06T09:00:00.000Z", "stale_new",
                             "yes" if n == 4 else "no"] for n in (2, 3, 4)],
                           key=lambda r: r[0]) + [[L[1], "2034-03-07T09:00:00.000Z", "lost_1y",
                                                   "no"]], None),
            "holds": ([[L[4], "case LIT-7", "cora", "2033-03-09T12:00:00.000Z"]], None),
            "erasures": ([["(erasure requests, not a rule)", "1", "1"], ["unq_1d", "1", "1"]],
                         3),
        },
        "erasure": {
            "summary": ([["requests handled", "1"], ["erased within one month", "1"],
                         ["erased late", "0"], ["still open", "1"],
                         ["open past the deadline", "0"], ["leads erased", "1"],
                         ["receipts issued", "1"],
                         ["requests handled without a receipt issued", "0"]], None),
            "requests": ([["REQ-1", "2033-03-08T09:00:00.000Z", "2033-03-09T15:00:00.000Z",
                           "2033-04-08T09:00:00.000Z", "1", "1", "yes, within one month", "1"],
                          ["REQ-2", "2033-03-09T14:00:00.000Z", "not erased",
                           "2033-04-09T14:00:00.000Z", "0", "", "open", "0"]], 8),
            "suppression": ([["2033-03-09", "1", "0", "1"]], None),
        },
    }


def figures(cli, work, leads):
    want = expected(leads)
    files = []
    for kind in KINDS:
        model, from_json = read_json(generate(cli, "cora", kind, "json"))
        facts, from_csv = read_csv(generate(cli, "cora", kind, "csv"))
        page, from_html = read_html(generate(cli, "cora", kind, "html"))
        files += ["%s-cora.%s" % (kind, f) for f in FORMATS]
        check(model["audit"]["verified"] is True and model["audit"]["head_seq"] > 0,
              "%s: the model names no verified audit head" % kind)
        # Each file is a report of its own, audited: each names a later head.
        check(int(facts.get("audit_head_seq", 0)) > model["audit"]["head_seq"],
              "%s: the CSV names no later audit head than the JSON made before it" % kind)
        check("Computed from audit head" in page, "%s: the HTML names no audit head" % kind)
        check("Content-Security-Policy" in page and "<script" not in page,
              "%s: HTML without its CSP, or with a script" % kind)
        for fmt, sections in (("json", from_json), ("csv", from_csv), ("html", from_html)):
            for section, (rows, width) in want[kind].items():
                expect_rows(sections, "%s (%s)" % (kind, fmt), section, rows, width)
        # The same rows in the three formats (but for the measures of the
        # record of processing, which count the audit entries each file's
        # own verification saw).
        for sections in (from_json, from_csv, from_html):
            sections.pop("measures", None)
        check(from_json == from_csv, "%s: CSV rows differ from JSON rows" % kind)
        check(from_json == from_html, "%s: HTML rows differ from JSON rows" % kind)

    # A period of one day counts that day only.
    _, day = read_json(generate(cli, "cora", "access", "json", "access-day.json",
                                ["--from", "2033-03-08", "--to", "2033-03-08T23:59:59Z"]))
    expect_rows(day, "access (2033-03-08)", "access",
                [["cora", "subject_request", "2033-03-08", "export", "1", "1"],
                 ["sam", "email_marketing", "2033-03-08", "reveal", "1", "1"],
                 ["sam", "sales_followup", "2033-03-08", "reveal", "1", "1"]], 6)
    expect_rows(day, "access (2033-03-08)", "failed_unlocks", [], None)

    # The auditor gets the same figures; sales is refused and leaves no file.
    _, audited = read_json(generate(cli, "audrey", "consent", "json"))
    _, by_cora = read_json(os.path.join(work, "consent-cora.json"))
    check(audited == by_cora, "the auditor's consent report differs from compliance's")
    generate(cli, "sam", "access", "html", "denied.html", expect=5)
    check(not os.path.exists(os.path.join(work, "denied.html")), "a refused report left a file")
    files.append("consent-audrey.json")

    # Canaries: no lead field value in any report, in any form lvtool knows.
    with open(os.path.join(work, "canaries.txt"), "w") as f:
        f.write("\n".join(canaries()) + "\n")
    lvtool = os.path.join(HERE, "..", "cli", "lib", "lvtool.py")
    p = subprocess.run([sys.executable, lvtool, "scan", "canaries.txt"] + files + ["access-day.json"],
                       cwd=work, capture_output=True, text=True)
    check(p.returncode == 0, "a canary is in a report: %s" % p.stdout.strip()[-400:])
    # ...while the scan does find them where they are (the check can fail).
    p = subprocess.run([sys.executable, lvtool, "scan", "canaries.txt", "subject.json"],
                       cwd=work, capture_output=True, text=True)
    check(p.returncode == 1, "lvtool scan missed the canaries of the subject export")


def html_checks(cli, work, leads, checker):
    expect = {
        "processing": ["Example Leads GmbH", "dpo@example.org", "sales_followup", "75.0",
                       "data subject (access requests)"],
        "access": ["Access per user, purpose and day", "email_marketing", "2033-03-08",
                   leads[1]],
        "consent": ["email_marketing", "50.0", "uses without an active consent"],
        "retention": ["2033-04-06T09:00:", "case LIT-7", "stale_new"],
        "erasure": ["REQ-1", "yes, within one month", "2033-04-08T09:00:"],
    }
    for kind in KINDS:
        path = generate(cli, "cora", kind, "html")
        args = [sys.executable, checker, path]
        for text in expect[kind]:
            args += ["--expect", text]
        if kind == "processing":
            model, _ = read_json(generate(cli, "cora", kind, "json"))
            titles = [s["title"] for s in model["sections"]]
            for title in titles:
                args += ["--print-heading", title]
            # One page for the cover and contents, then one per section.
            args += ["--pdf", os.path.join(work, "processing.pdf"), "--min-pages",
                     str(len(titles) + 1)]
        p = subprocess.run(args, capture_output=True, text=True, timeout=300)
        print(p.stdout.strip(), flush=True)
        if p.returncode == 77:
            print("SKIP: " + p.stdout.strip())
            sys.exit(77)
        check(p.returncode == 0, "chromium_check %s: exit %d" % (kind, p.returncode))


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("figures", "html"):
        die("usage: run_reports.py figures|html LEADVAULT [CHROMIUM_CHECK]")
    if shutil.which("faketime") is None:
        die("faketime is not installed (scripts/install-deps.sh)")
    work = tempfile.mkdtemp(prefix="lv-reports-")
    try:
        cli = Cli(os.path.abspath(sys.argv[2]), work)
        leads = build(cli, work)
        if sys.argv[1] == "figures":
            figures(cli, work, leads)
        else:
            html_checks(cli, work, leads, sys.argv[3])
    finally:
        if os.environ.get("LV_TEST_KEEP"):
            print("kept " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("%s: %s" % (sys.argv[1], "FAILED (%d)" % len(failures) if failures else "ok"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
