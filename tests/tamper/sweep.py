#!/usr/bin/env python3
"""sweep.py - flip bytes of a small vault file, one position at a time:
every command must print exactly what it printed for the untouched file,
or exit 6 (integrity failure); never crash, hang, print other data or use
another exit code, apart from the documented exceptions listed below.

usage: sweep.py LEADVAULT_BINARY [POSITIONS]

The fixture is a vault made at the KDF floor (19 MiB, 2 passes) with two
users (alice, admin; carol, compliance), the purposes qa_all (every field,
legitimate interest) and qa_consent (consent), five leads that between
them fill every field (email2 and phone2 included; names, notes and
addresses in several scripts, one notes value long enough to spill onto
an overflow page), a consent grant, a grant then withdrawal with a
reason, a legal hold and a retention rule. Every command closes the
vault, so the WAL is checkpointed into the file; the sweep refuses to run
if a -wal file is left. The audit public key and a checkpoint are kept
outside the file.

Each position gets one XOR mask (a single bit or a random nonzero byte,
half and half), applied to a fresh copy of the pristine file for each of
these commands, each with a 20 s timeout (LV_TAMPER_TIMEOUT):
  reveal  `export --purpose qa_all --format jsonl` as alice: every field
          of every lead, each lead's metadata MAC checked on the way;
  check   `check` as carol: the file, every keyslot, purpose, consent
          record and chain, hold, rule, lead MAC and sealed value, and the
          state digest over every covered row (meta.digest);
  verify  `audit verify --pubkey PUB --checkpoint CP`: the audit log,
          against the key and a checkpoint kept outside (no unlock).
Each outcome must be exit 0 with stdout byte for byte the output of the
untouched file, or exit 6. On exit 6 the reveal may have written some
leads before it stopped: each line it wrote must be a line of the expected
output (no altered plaintext). Any other exit status, a signal, a timeout,
or a sanitizer report on stderr is a failure, reported with the position,
its place in the file (page, table, row, column), the mask and the command.

Documented exceptions (docs/format.md, "Damaged files"), each allowed only
in the bytes named and only when something else still detects it:
  - exit 3 (wrong passphrase or unknown user), only for a position in the
    keyslot or meta table's pages: the inputs of the passphrase check
    (user name, KDF parameters, salt, wrapped key, vault id). Nothing
    without the passphrase can tell those apart from a wrong passphrase.
    Then `check` as the other user must exit 6, or, when every user gets
    exit 3 (the vault id), `audit verify --pubkey` must exit 6;
  - exit 1 "has vault format N", only for a position in the header's
    user_version (bytes 60-63): a newer format looks the same.

POSITIONS (default 5000; LV_TAMPER_POSITIONS overrides it) is how many
positions are swept besides the fixed regression cases (flips that once
found a bug, REGRESSIONS below): every byte of page 1 that is in use (the
SQLite header and the schema), every byte of alice's keyslot cell, of one
sealed value (the first lead's notes) and of that lead's wrapped data key,
of the sealed state digest (meta.digest) and of the digest commitment of
every stored checkpoint, and a stride over the whole file with the rest, at least a third of them
(up to 1000). With fewer positions than that, those sets are sampled (the
ASan build in ctest sweeps 1000). `all` sweeps every byte of the file.
LV_TAMPER_SEED fixes the masks, the stride's offset and any sampling (the
seed is printed, to replay a run); LV_TAMPER_JOBS sets the number of
parallel workers (default 2). The vault is made anew for every run (its
keys, ids and nonces are random), so the work directory with the fixture
is kept when a run fails, or always with LV_TAMPER_KEEP=1, and
LV_TAMPER_FIXTURE=DIR sweeps that fixture again: with the same seed, the
same flips of the same file.
Every run's time is measured, and the mean and median per command are
printed with the outcomes per command and per table.

The sweep can fail, and it checks that it can: before sweeping, it runs
its classifier on made-up outcomes (wrong output with exit 0, exit 1, 2
and 3, a signal, a timeout, a sanitizer report, an altered line before
exit 6) and stops if any of them passes; and after sweeping, it fails
unless at least 10% of the runs exited 6, so that a sweep whose flips
stopped landing does not pass quietly. Checked by hand once each: with
seal_open_value decrypting without checking the Poly1305 tag, 1500
positions gave 85 failures (altered plaintext with exit 0, and exit 1
where the altered bytes were not valid UTF-8); with the comparison
accepting any output, or exit 1 as an integrity failure, the classifier
self-test failed; with the flip left out, the 10% guard failed.

Exit 0 when every position held, 1 otherwise, 2 for bad usage.
"""
import concurrent.futures
import collections
import json
import os
import random
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time

ALL_FIELDS = ("first_name,last_name,email,phone,company,title,website,address,notes,"
              "email2,phone2")
KDF = ["--kdf-memory", "19", "--kdf-iterations", "2"]
SANITIZER_MARKS = (b"AddressSanitizer", b"LeakSanitizer", b"runtime error:",
                   b"UndefinedBehaviorSanitizer")

# Flips that once exposed a bug (what the code did then is in the text),
# swept every time whatever the position budget; the last three exercise
# the documented exceptions and their cross-checks. Where each one is:
# see resolve_regressions.
REGRESSIONS = [
    ("file", None, None, 0, 0x01, "SQLite magic: not a leadvault vault, exit 2"),
    ("file", None, None, 68, 0x20, "application id: a foreign SQLite database, exit 2"),
    ("file", None, None, 18, 0x18, "write version: SQLite opened the file read-only, exit 1"),
    ("file", None, None, 47, 0x63, "schema format: unsupported file format, exit 1"),
    ("sqlite_schema", "keyslot", "sql", b"role", 0x80,
     "a column name in the schema: no such column, exit 1"),
    ("sqlite_schema", "purpose", "rootpage", 0, 0x06,
     "purpose's root page made hold's: purpose read from the hold table"),
    ("page", "sqlite_autoindex_lead_1", None, 4, 0x01,
     "cell count of the lead id index: export left a lead out, exit 0"),
    ("page", "purpose", None, 4, 0x08, "cell count of the purposes: no purpose, exit 5"),
    ("page", "audit_checkpoint", None, 4, 0x02,
     "cell count of the checkpoints: audit verify counted fewer, exit 0"),
    ("page", "keyslot", None, 9, 0x10,
     "a cell pointer of the keyslots: every user unknown, exit 3, nothing detected it"),
    ("keyslot", "alice", "<record header>", 1, 0x01,
     "alice's name stored as a blob: keys out of order, every user unknown, exit 3"),
    ("keyslot", "carol", "<record header>", 1, 0x01,
     "carol's name stored as a blob: carol unknown, exit 3, and her slot's MAC held"),
    ("audit", "#13", "<cell header>", -1, 0x02,
     "an audit entry's seq: the next entry's number already taken, exit 1"),
    ("meta", "vault_id", "value", 0, 0x01,
     "vault id: exit 3 for every user, audit verify --pubkey must say 6"),
    ("keyslot", "alice", "salt", 0, 0x01, "alice's salt: exit 3 for her, check as carol 6"),
    ("keyslot", "carol", "kdf_iterations", 0, 0x01,
     "carol's KDF passes (2 to 3): exit 3 for her, check as alice 6"),
]


# ---- the fixture ------------------------------------------------------------

class Fixture:
    """Make the pristine vault and record what each command prints for it."""

    def __init__(self, binary, work):
        self.binary = binary
        self.work = work
        self.path = os.path.join(work, "pristine.lv")
        self.pubkey = os.path.join(work, "audit.pub")
        self.checkpoint = os.path.join(work, "audit.cp")
        for name in ("alice", "carol"):
            with open(os.path.join(work, name + ".pass"), "w") as f:
                f.write("%s tamper sweep passphrase\n" % name)

    def env(self, vault, user):
        return dict(os.environ, LEADVAULT_VAULT=vault, LEADVAULT_USER=user,
                    LEADVAULT_PASSPHRASE_FILE=os.path.join(self.work, user + ".pass"),
                    LC_ALL="C.UTF-8")

    def run(self, *args, user="alice"):
        p = subprocess.run([self.binary] + list(args), env=self.env(self.path, user),
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        if p.returncode != 0:
            raise RuntimeError("fixture: %s: exit %d\n%s" % (" ".join(args), p.returncode,
                                                              p.stderr.decode("utf-8", "replace")))
        return p.stdout.decode("utf-8").strip()

    def build(self):
        run = self.run
        run("init", "--admin", "alice", *KDF)
        run("user", "add", "carol", "--role", "compliance", "--new-passphrase-file",
            os.path.join(self.work, "carol.pass"), *KDF)
        run("purpose", "add", "qa_all", "--basis", "legitimate_interest", "--fields",
            ALL_FIELDS, "--roles", "admin,sales,compliance")
        run("purpose", "add", "qa_consent", "--basis", "consent", "--fields",
            "first_name,email", "--roles", "admin,compliance")
        notes_long = ("Erstgespräch auf der Messe; 商談メモ: 予算は来期; "
                      "ملاحظة: يفضل البريد الإلكتروني; नोट: अगले सप्ताह कॉल करें; 🚀✅ ") * 40
        leads = [
            ["--first-name", "Ananya", "--last-name", "Śarmā", "--email",
             "Ananya.Sharma@Example.in", "--phone", "+91 98876 49965 ext. 12", "--company",
             "Ōsaka Trading 株式会社", "--title", "Head of Procurement", "--website",
             "https://example.in/ananya", "--address", "12 MG Road\n\tBengaluru 560001",
             "--notes", "Met at the expo; prefers email. «Très intéressée» 👍",
             "--email2", "ananya@personal.example", "--phone2", "+49 30 1234567",
             "--source", "trade_show", "--source-detail", "expo 2026", "--stage", "qualified",
             "--owner", "carol", "--country", "IN", "--incentive", "no", "--verified", "yes",
             "--aware", "yes", "--last-contact", "2026-01-15"],
            ["--email", "bob@example.com", "--phone", "(030) 1234567", "--country", "DE",
             "--source", "webinar"],
            ["--first-name", "محمد", "--last-name", "الفارسي", "--notes", notes_long,
             "--address", "شارع الملك فهد\r\nالرياض", "--stage", "nurturing"],
            ["--email2", "second.only@example.org", "--phone2", "0039 06 1234 5678",
             "--company", "Rossi & Figli S.p.A.", "--source", "referral"],
            ["--first-name", "Zoë", "--last-name", "O'Brien-Łukasz", "--title", "CTO",
             "--website", "https://zoe.example", "--email", "zoe@example.net", "--stage",
             "contacted", "--verified", "no"],
        ]
        self.lead_ids = [run("lead", "add", *args) for args in leads]
        first, second, third = self.lead_ids[0], self.lead_ids[1], self.lead_ids[2]
        run("consent", "grant", first, "qa_consent", "--evidence",
            "web form 2026-11, checkbox ✓", "--notice-version", "v3", "--expires",
            "2099-01-01")
        run("consent", "grant", second, "qa_consent", "--evidence", "phone call, recorded")
        run("consent", "withdraw", second, "qa_consent", "--reason", "asked by email")
        run("hold", "set", third, "--reason", "litigation 2026-17")
        run("retention", "add", "stale_lost", "--stage", "lost", "--older-than", "365d")
        run("audit", "pubkey", "--out", self.pubkey)
        run("audit", "checkpoint", "--out", self.checkpoint)
        for side in ("-wal", "-shm", "-journal"):
            if os.path.exists(self.path + side):
                raise RuntimeError("fixture: %s%s is left after the last command: the "
                                   "sweep would miss what is only in it" % (self.path, side))
        with open(os.path.join(self.work, "fixture.json"), "w") as f:
            json.dump({"lead_ids": self.lead_ids}, f)
        self.load()

    def load(self):
        """Read a fixture made by build, in this or an earlier run."""
        with open(os.path.join(self.work, "fixture.json")) as f:
            self.lead_ids = json.load(f)["lead_ids"]
        with open(self.path, "rb") as f:
            self.data = f.read()

    def commands(self):
        """(name, argv, user) for each command run per position."""
        return [
            ("reveal", ["export", "--purpose", "qa_all", "--format", "jsonl"], "alice"),
            ("check", ["check"], "carol"),
            ("verify", ["audit", "verify", "--pubkey", self.pubkey, "--checkpoint",
                        self.checkpoint], None),
        ]


# ---- where a byte is: a small reader of the SQLite file format ---------------

def varint(buf, i):
    value = 0
    for k in range(8):
        b = buf[i + k]
        value = (value << 7) | (b & 0x7F)
        if b < 0x80:
            return value, i + k + 1
    return (value << 8) | buf[i + 8], i + 9


def serial_size(t):
    if t >= 12:
        return (t - 12) // 2
    return (0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0)[t]


class Layout:
    """Labels for every byte of a pristine vault: header fields, b-tree page
    parts, cells and the column each record byte belongs to."""

    HEADER = [(0, 16, "magic"), (16, 18, "page size"), (18, 19, "write version"),
              (19, 20, "read version"), (20, 21, "reserved space"), (21, 24, "payload fractions"),
              (24, 28, "change counter"), (28, 32, "page count"), (32, 36, "freelist trunk"),
              (36, 40, "freelist count"), (40, 44, "schema cookie"), (44, 48, "schema format"),
              (48, 52, "cache size"), (52, 56, "autovacuum root"), (56, 60, "text encoding"),
              (60, 64, "user_version"), (64, 68, "incremental vacuum"),
              (68, 72, "application_id"), (72, 92, "reserved"), (92, 96, "version-valid-for"),
              (96, 100, "sqlite version")]

    def __init__(self, path, data):
        self.data = data
        self.page_size = struct.unpack(">H", data[16:18])[0]
        if self.page_size == 1:
            self.page_size = 65536
        self.usable = self.page_size - data[20]
        self.labels = [None] * len(data)
        self.table_of_page = {}
        self.spans = {}  # (table, key, column) -> (start, end)
        self.row_keys = collections.defaultdict(list)
        self.roots = {}  # table -> file offset of its root page's b-tree header
        for start, end, name in self.HEADER:
            self.mark(start, end, "header " + name)
        db = sqlite3.connect("file:%s?mode=ro&immutable=1" % path, uri=True)
        roots = [("sqlite_schema", "table", "sqlite_schema", 1)]
        roots += db.execute("SELECT name, type, tbl_name, rootpage FROM sqlite_schema"
                            " WHERE rootpage > 0 ORDER BY rootpage").fetchall()
        for name, kind, table, root in roots:
            columns = self.columns(db, name, kind, table)
            self.walk(root, name, columns, key_column=1 if name == "sqlite_schema" else 0)
        db.close()
        for page in range(1, len(data) // self.page_size + 1):
            if page not in self.table_of_page:
                base = (page - 1) * self.page_size
                self.mark(base, base + self.page_size, "page %d (free or unused)" % page)

    @staticmethod
    def columns(db, name, kind, table):
        if name == "sqlite_schema":
            return ["type", "name", "tbl_name", "rootpage", "sql"]
        if kind == "index":
            return [r[2] for r in db.execute("PRAGMA index_info(%s)" % name)] + ["rowid"]
        return [r[1] for r in db.execute("PRAGMA table_info(%s)" % table)]

    def mark(self, start, end, label):
        for i in range(start, min(end, len(self.labels))):
            if self.labels[i] is None:
                self.labels[i] = label

    def label(self, pos):
        return self.labels[pos] or "?"

    def table_at(self, pos):
        return self.table_of_page.get(pos // self.page_size + 1)

    def walk(self, page, table, columns, key_column):
        self.table_of_page[page] = table
        data, base = self.data, (page - 1) * self.page_size
        self.roots.setdefault(table, base + (100 if page == 1 else 0))
        head = base + (100 if page == 1 else 0)
        kind = data[head]
        interior = kind in (0x02, 0x05)
        header_len = 12 if interior else 8
        where = "page %d (%s)" % (page, table)
        if kind not in (0x02, 0x05, 0x0A, 0x0D):
            self.mark(base, base + self.page_size, where + " unknown page")
            return
        cells = struct.unpack(">H", data[head + 3:head + 5])[0]
        self.mark(head, head + header_len, where + " b-tree page header")
        pointers = head + header_len
        self.mark(pointers, pointers + 2 * cells, where + " cell pointer array")
        children = []
        if interior:
            children.append(struct.unpack(">I", data[head + 8:head + 12])[0])
        for n in range(cells):
            at = base + struct.unpack(">H", data[pointers + 2 * n:pointers + 2 * n + 2])[0]
            cell_where = "%s cell %d" % (where, n)
            i = at
            if interior:
                children.append(struct.unpack(">I", data[i:i + 4])[0])
                i += 4
                if kind == 0x05:  # table interior: child and rowid only
                    _, i = varint(data, i)
                    self.mark(at, i, cell_where + " (child pointer, rowid)")
                    continue
            size, i = varint(data, i)
            if kind == 0x0D:
                _, i = varint(data, i)
            self.mark(at, i, cell_where + " (cell header)")
            self.record(at, i, size, kind, cell_where, table, columns, key_column)
        self.mark(base, base + self.page_size, where + " unused")
        for child in children:
            self.walk(child, table, columns, key_column)

    def record(self, cell_start, start, size, kind, where, table, columns, key_column):
        data, usable = self.data, self.usable
        if kind == 0x0D:
            most = usable - 35
        else:
            most = (usable - 12) * 64 // 255 - 23
        least = (usable - 12) * 32 // 255 - 23
        local = size
        if size > most:
            local = least + (size - least) % (usable - 4)
            if local > most:
                local = least
        payload = bytearray(data[start:start + local])
        overflow_pos = []
        if local < size:
            self.mark(start + local, start + local + 4, where + " (overflow pointer)")
            page = struct.unpack(">I", data[start + local:start + local + 4])[0]
            positions = list(range(start, start + local))
            while page and len(payload) < size:
                self.table_of_page[page] = table
                base = (page - 1) * self.page_size
                self.mark(base, base + 4, "page %d (%s) overflow page next pointer"
                          % (page, table))
                take = min(usable - 4, size - len(payload))
                payload += data[base + 4:base + 4 + take]
                positions += range(base + 4, base + 4 + take)
                page = struct.unpack(">I", data[base:base + 4])[0]
            overflow_pos = positions
        header_size, i = varint(payload, 0)
        types = []
        while i < header_size:
            t, i = varint(payload, i)
            types.append(t)
        at = header_size
        values = []
        spans = []
        for t in types:
            n = serial_size(t)
            spans.append((at, at + n))
            values.append(bytes(payload[at:at + n]) if t >= 12 else None)
            at += n
        key = values[key_column] if key_column < len(values) else None
        if key is not None:
            key = key.decode("utf-8", "replace") if types[key_column] % 2 else key.hex()
        else:
            key = "#%d" % len(self.row_keys[table])
        self.row_keys[table].append(key)

        def file_range(a, b):
            if not overflow_pos:
                return [(start + a, start + b)]
            return [(p, p + 1) for p in overflow_pos[a:b]]

        row = "%s[%s]" % (table, key if len(key) <= 40 else key[:40] + "...")
        self.spans[(table, key, "<cell header>")] = (cell_start, start)
        self.spans[(table, key, "<record header>")] = file_range(0, header_size)[0]
        for a, b in file_range(0, header_size):
            self.mark(a, b, "%s %s record header" % (where, row))
        for n, (a, b) in enumerate(spans):
            column = columns[n] if n < len(columns) else "column %d" % n
            ranges = file_range(a, b)
            if ranges:
                self.spans[(table, key, column)] = (ranges[0][0], ranges[-1][1])
            for x, y in ranges:
                self.mark(x, y, "%s %s.%s" % (where, row, column))


# ---- running one position ---------------------------------------------------

class Outcome:
    def __init__(self, code, stdout, stderr, seconds, timed_out=False):
        self.code, self.stdout, self.stderr = code, stdout, stderr
        self.seconds, self.timed_out = seconds, timed_out


def judge(name, outcome, expected):
    """'same', 'exit6', or a failure text; exceptions are decided later."""
    if outcome.timed_out:
        return "hang: no exit within the timeout"
    for mark in SANITIZER_MARKS:
        if mark in outcome.stderr:
            return "sanitizer report on stderr"
    if outcome.code < 0:
        return "killed by signal %d" % -outcome.code
    if outcome.code == 0:
        if outcome.stdout == expected:
            return "same"
        return "exit 0 with other output"
    if outcome.code == 6:
        if name == "reveal":
            allowed = set(expected.splitlines())
            for line in outcome.stdout.splitlines():
                if line not in allowed:
                    return "exit 6 after printing a line that is not in the expected output"
        return "exit6"
    return "exit %d" % outcome.code


def self_test(expected):
    """The classifier must reject every kind of failure it is there for."""
    bad = [
        Outcome(0, expected + b"x", b"", 0),
        Outcome(0, b"", b"", 0),
        Outcome(1, b"", b"", 0),
        Outcome(2, b"", b"", 0),
        Outcome(3, b"", b"", 0),
        Outcome(-11, b"", b"", 0),
        Outcome(-6, expected, b"", 0),
        Outcome(None, b"", b"", 20, timed_out=True),
        Outcome(0, expected, b"==1==ERROR: AddressSanitizer: heap-buffer-overflow", 0),
        Outcome(6, b"", b"x.c:1:2: runtime error: signed integer overflow", 0),
        Outcome(6, expected.splitlines()[0] + b"X\n", b"", 0),
    ]
    for outcome in bad:
        verdict = judge("reveal", outcome, expected)
        if verdict in ("same", "exit6"):
            return "self-test: the classifier accepts code %r stdout %r stderr %r" % (
                outcome.code, outcome.stdout[:40], outcome.stderr[:40])
    if judge("reveal", Outcome(0, expected, b"", 0), expected) != "same" or \
            judge("reveal", Outcome(6, b"", b"", 0), expected) != "exit6":
        return "self-test: the classifier rejects a good outcome"
    return None


class Sweeper:
    def __init__(self, fixture, timeout):
        self.fixture = fixture
        self.timeout = timeout
        self.local = threading.local()
        self.dirs = []
        self.lock = threading.Lock()

    def workdir(self):
        if getattr(self.local, "dir", None) is None:
            self.local.dir = tempfile.mkdtemp(prefix="w", dir=self.fixture.work)
            with self.lock:
                self.dirs.append(self.local.dir)
        return self.local.dir

    def run(self, data, argv, user):
        vault = os.path.join(self.workdir(), "v.lv")
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(vault + suffix):
                os.remove(vault + suffix)
        with open(vault, "wb") as f:
            f.write(data)
        os.chmod(vault, 0o600)
        env = self.fixture.env(vault, user or "alice")
        if user is None:
            for key in ("LEADVAULT_USER", "LEADVAULT_PASSPHRASE_FILE"):
                env.pop(key)
        started = time.monotonic()
        try:
            p = subprocess.run([self.fixture.binary] + argv, env=env, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=self.timeout)
        except subprocess.TimeoutExpired as e:
            return Outcome(None, e.stdout or b"", e.stderr or b"", self.timeout, timed_out=True)
        return Outcome(p.returncode, p.stdout, p.stderr, time.monotonic() - started)


# ---- positions --------------------------------------------------------------

def choose_positions(layout, fixture, count, rng):
    size = len(layout.data)
    if count == "all":
        return list(range(size))
    focus = []
    # Page 1: the header and every byte in use (the gap between the cell
    # pointers and the cell contents is zeros nobody reads).
    focus += [p for p in range(min(layout.page_size, size))
              if not layout.label(p).endswith(" unused")]
    alice = [(k, v) for k, v in layout.spans.items() if k[0] == "keyslot" and k[1] == "alice"]
    lo = min(v[0] for _, v in alice)  # from the cell header on
    hi = max(v[1] for _, v in alice)
    focus += range(lo, hi)
    lead = fixture.lead_ids[0]
    for column in ("notes", "data_key"):
        a, b = layout.spans[("lead", lead, column)]
        focus += range(a, b)
    # The state digest: the sealed meta.digest (opened at every unlock,
    # compared with the rows by check) and each checkpoint's commitment.
    digest = [v for k, v in layout.spans.items()
              if (k[0] == "meta" and k[1] == "digest" and k[2] == "value")
              or (k[0] == "audit_checkpoint" and k[2] == "digest")]
    if not digest:
        raise RuntimeError("sweep: no meta.digest row or checkpoint digest column found")
    for a, b in digest:
        focus += range(a, b)
    focus = sorted(set(focus))
    # At least a third of the positions (up to 1000) go to the stride, so a
    # small budget still reaches every table; the focus sets are then
    # sampled.
    rest = max(count - len(focus), min(count // 3, 1000))
    if count - rest < len(focus):
        focus = rng.sample(focus, count - rest)
    step = max(1, size // max(rest, 1))
    offset = rng.randrange(step)
    chosen = set(focus)
    p = offset
    while p < size and len(chosen) < count:
        chosen.add(p)
        p += step
    while len(chosen) < min(count, size):  # the stride met focus positions
        chosen.add(rng.randrange(size))
    return sorted(chosen)


def resolve_regressions(layout):
    """File positions of REGRESSIONS. Each names where it is: ("file", None,
    None) for an absolute offset (the header), ("page", TABLE, None) for the
    b-tree header of TABLE's root page, or (TABLE, ROW, COLUMN) for a span of
    the Layout, COLUMN possibly "<cell header>" or "<record header>". The
    offset counts from its start (from its end when negative); given as
    bytes, it is where those bytes start within the span."""
    out = []
    for table, key, column, offset, mask, why in REGRESSIONS:
        if table == "file":
            start, end = 0, len(layout.data)
        elif table == "page":
            start, end = layout.roots[key], layout.roots[key] + layout.page_size
        else:
            if key == "#last":
                key = layout.row_keys[table][-1]
            span = layout.spans.get((table, key, column))
            if span is None:
                raise RuntimeError("regression %s[%s].%s: not in the fixture"
                                   % (table, key, column))
            start, end = span
        if isinstance(offset, bytes):
            found = layout.data.find(offset, start, end)
            if found < 0:
                raise RuntimeError("regression %s[%s].%s: %r not found" %
                                   (table, key, column, offset))
            pos = found
        else:
            pos = start + offset if offset >= 0 else end + offset
        out.append((pos, mask, why))
    return out


# ---- main -------------------------------------------------------------------

def main():
    if len(sys.argv) not in (2, 3):
        sys.stderr.write("usage: sweep.py LEADVAULT_BINARY [POSITIONS]\n")
        return 2
    binary = os.path.abspath(sys.argv[1])
    count_text = os.environ.get("LV_TAMPER_POSITIONS") or (
        sys.argv[2] if len(sys.argv) == 3 else "5000")
    count = "all" if count_text == "all" else int(count_text)
    seed = int(os.environ.get("LV_TAMPER_SEED", str(random.SystemRandom().randrange(1 << 30))))
    jobs = int(os.environ.get("LV_TAMPER_JOBS", "2"))
    timeout = float(os.environ.get("LV_TAMPER_TIMEOUT", "20"))
    print("LV_TAMPER_POSITIONS=%s LV_TAMPER_SEED=%d LV_TAMPER_JOBS=%d LV_TAMPER_TIMEOUT=%g"
          % (count_text, seed, jobs, timeout), flush=True)
    rng = random.Random(seed)
    started = time.monotonic()
    failures = []

    reuse = os.environ.get("LV_TAMPER_FIXTURE")
    work = os.path.abspath(reuse) if reuse else tempfile.mkdtemp(prefix="leadvault-tamper.")
    sweeper = None
    try:
        fixture = Fixture(binary, work)
        if reuse:
            fixture.load()
        else:
            fixture.build()
        layout = Layout(fixture.path, fixture.data)
        sweeper = Sweeper(fixture, timeout)
        commands = fixture.commands()

        # What the untouched file gives, twice, so that the sweep compares
        # against something deterministic.
        expected = {}
        for name, argv, user in commands:
            outs = [sweeper.run(fixture.data, argv, user) for _ in range(2)]
            for o in outs:
                if o.code != 0 or o.stdout != outs[0].stdout:
                    raise RuntimeError("untouched vault: %s exited %s or printed different "
                                       "output twice:\n%s" % (name, o.code, o.stderr.decode()))
            expected[name] = outs[0].stdout
        problem = self_test(expected["reveal"])
        if problem:
            print("FAIL: " + problem)
            return 1
        leads = len(expected["reveal"].splitlines())
        print("fixture: %d bytes (%d pages of %d), %d leads; expected outputs recorded"
              % (len(fixture.data), len(fixture.data) // layout.page_size, layout.page_size,
                 leads), flush=True)

        regressions = resolve_regressions(layout)
        positions = choose_positions(layout, fixture, count, rng)
        work_items = [(pos, mask, "regression: " + why) for pos, mask, why in regressions]
        for pos in positions:
            mask = 1 << rng.randrange(8) if rng.random() < 0.5 else rng.randrange(1, 256)
            work_items.append((pos, mask, None))
        print("%d regression cases and %d positions, %d commands each"
              % (len(regressions), len(positions), len(commands)), flush=True)

        histogram = collections.Counter()
        by_table = collections.defaultdict(collections.Counter)
        seconds = collections.defaultdict(list)
        done = [0]
        print_lock = threading.Lock()

        def sweep_one(item):
            pos, mask, why = item
            data = bytearray(fixture.data)
            data[pos] ^= mask
            data = bytes(data)
            results = {}
            for name, argv, user in commands:
                outcome = sweeper.run(data, argv, user)
                results[name] = (outcome, judge(name, outcome, expected[name]))
            # The documented exceptions, each with its cross-check.
            table = layout.table_at(pos)
            notes = []
            for name, (outcome, verdict) in list(results.items()):
                if verdict == "exit 3" and table in ("keyslot", "meta"):
                    others = [n for n, (o, v) in results.items() if n != name and v == "exit6"]
                    if not others:
                        extra = sweeper.run(data, ["check"], "alice")
                        if judge("check", extra, expected["check"]) == "exit6":
                            others = ["check as alice"]
                    if others:
                        results[name] = (outcome, "exit3-detected")
                        notes.append("exit 3 for %s, detected by %s" % (name, others[0]))
                    else:
                        results[name] = (outcome, "exit 3, and nothing else detected it")
                elif verdict == "exit 1" and 60 <= pos < 64 and b"has vault format" in \
                        outcome.stderr:
                    results[name] = (outcome, "exit1-newer-format")
            return pos, mask, why, results

        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            for pos, mask, why, results in pool.map(sweep_one, work_items):
                done[0] += 1
                table = layout.table_at(pos) or "header/free"
                for name, (outcome, verdict) in results.items():
                    if outcome.seconds is not None:
                        seconds[name].append(outcome.seconds)
                    ok = verdict in ("same", "exit6", "exit3-detected", "exit1-newer-format")
                    histogram[(name, verdict if ok else "FAIL")] += 1
                    by_table[table][(verdict if ok else "FAIL")] += 1
                    if not ok:
                        message = ("position %d (0x%x), mask 0x%02x, %s: %s: %s%s\n    stderr: %s"
                                   % (pos, pos, mask, layout.label(pos), name, verdict,
                                      " (" + why + ")" if why else "",
                                      outcome.stderr.decode("utf-8", "replace").strip()[:300]))
                        failures.append(message)
                        with print_lock:
                            print("FAIL: " + message, flush=True)
                if done[0] % 500 == 0:
                    with print_lock:
                        print("%d/%d positions, %d failures, %.0f s" % (
                            done[0], len(work_items), len(failures),
                            time.monotonic() - started), flush=True)

        print("outcomes per command:")
        for name, _, _ in commands:
            parts = ["%s %d" % (v, histogram[(name, v)]) for v in
                     ("same", "exit6", "exit3-detected", "exit1-newer-format", "FAIL")
                     if histogram[(name, v)]]
            times = seconds[name]
            print("  %-7s %s; %.3f s per run (median %.3f)" % (
                name, ", ".join(parts), sum(times) / len(times), sorted(times)[len(times) // 2]))
        print("outcomes per table (all commands):")
        for table in sorted(by_table):
            print("  %-28s %s" % (table, ", ".join("%s %d" % kv for kv in
                                                   sorted(by_table[table].items()))))
        exit6 = sum(1 for (name, v), n in histogram.items() for _ in range(n) if v == "exit6")
        runs = sum(histogram.values())
        if runs and exit6 < runs // 10:
            failures.append("only %d of %d runs exited 6: the flips do not seem to land" %
                            (exit6, runs))
            print("FAIL: " + failures[-1])
    finally:
        for path in sweeper.dirs if sweeper is not None else []:
            shutil.rmtree(path, ignore_errors=True)
        if reuse:
            pass
        elif os.environ.get("LV_TAMPER_KEEP") or failures:
            print("kept the fixture in %s: LV_TAMPER_FIXTURE=%s LV_TAMPER_SEED=%d replays "
                  "this run" % (work, work, seed))
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("%s: %d failures in %.1f s" % ("FAILED" if failures else "ok", len(failures),
                                          time.monotonic() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
