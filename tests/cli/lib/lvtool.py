#!/usr/bin/env python3
"""lvtool.py - small helpers for the leadvault CLI test cases.

  lvtool json PATH [FILE]           print the value at PATH of a JSON document
                                    (stdin or FILE); a string is printed as its
                                    exact UTF-8 bytes, without a newline;
                                    anything else as compact JSON.
                                    PATH: dot-separated keys and list indexes,
                                    e.g. leads.0.fields.email; "." is the root;
                                    a trailing .length gives a list's length.
  lvtool field-is FILE PATH VALUE   exit 0 when the string at PATH of the JSON
                                    in FILE is byte-for-byte VALUE, else print
                                    where they differ and exit 1.
  lvtool gen-text BYTES             print exactly BYTES bytes of mixed UTF-8
                                    text (Devanagari, CJK, Arabic, emoji,
                                    quotes, commas, tabs, newlines), ending in
                                    a letter so that $(...) keeps every byte.
  lvtool nfd TEXT                   print TEXT in Unicode NFD.
  lvtool scan CANARIES FILE...      look for every line of CANARIES (and its
                                    case, normalization, UTF-16, hex and base64
                                    forms) in the raw bytes of each FILE;
                                    exit 1 and name each hit, else exit 0.
  lvtool scan-bytes BLOBS FILE...   BLOBS has lines "LABEL HEX" (e.g. what
                                    sqlite3 prints for hex(column)): look for
                                    each blob's bytes, whole and in every
                                    16-byte window at 8-byte steps, in the raw
                                    bytes of each FILE; exit 1 and name each
                                    hit, else exit 0.
  lvtool flip-each FILE DIR [MASK]  write one copy of FILE per byte position
                                    into DIR (DIR/000000, ...), each with that
                                    one byte XORed with MASK (default 0x01;
                                    never to NUL); print how many were written.
  lvtool flip FILE OFFSET [MASK]    XOR the byte at OFFSET of FILE (0-based;
                                    negative counts from the end) with MASK
                                    (default 0x01), in place.
  lvtool pluck PATH KEYS [FILE]     for each object of the JSON list at PATH,
                                    one line with the values of KEYS (comma-
                                    separated) joined by one space; a list of
                                    strings as its items joined by commas.
  lvtool idle-start VAULT PIDFILE SECONDS
                                    start a background process holding a
                                    second, idle SQLite connection to VAULT
                                    (no transaction open: checkpoints may run
                                    and truncate the WAL, but the -wal and -shm
                                    files are not deleted when leadvault exits);
                                    it ends after SECONDS or on idle-stop.
  lvtool idle-stop PIDFILE          end it and wait until it has closed VAULT.
  lvtool keys PATH [FILE]           the keys of the JSON object at PATH (stdin
                                    or FILE), in document order, joined by
                                    commas.
  lvtool html-check FILE [TEXT...]  check a subject export page: well nested,
                                    <html lang>, <meta charset=utf-8>, a
                                    Content-Security-Policy meta forbidding
                                    scripts and external loads, no script,
                                    no external reference, dir="auto" on
                                    every value cell, every Art. 15 section
                                    (with a heading) in every record, and
                                    each TEXT in the page's text once
                                    entities are decoded; exit 1 naming
                                    every failure.
"""
import base64
import json
import os
import sys
import unicodedata


def die(message, code=2):
    sys.stderr.write("lvtool: %s\n" % message)
    sys.exit(code)


def load_json(file):
    data = open(file, "rb").read() if file else sys.stdin.buffer.read()
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        die("not a JSON document (%s): %r" % (e, data[:200]), 1)


def walk(doc, path):
    if path in (".", ""):
        return doc
    node = doc
    for part in path.split("."):
        if part == "length" and isinstance(node, (list, dict, str)):
            node = len(node)
        elif isinstance(node, list):
            try:
                node = node[int(part)]
            except (ValueError, IndexError):
                die("no element %s in %s" % (part, path), 1)
        elif isinstance(node, dict):
            if part not in node:
                die("no key %s in %s" % (part, path), 1)
            node = node[part]
        else:
            die("cannot descend into %r at %s" % (node, part), 1)
    return node


def cmd_json(args):
    if len(args) not in (1, 2):
        die("usage: json PATH [FILE]")
    value = walk(load_json(args[1] if len(args) == 2 else None), args[0])
    out = sys.stdout.buffer
    if isinstance(value, str):
        out.write(value.encode("utf-8", "surrogatepass"))
    else:
        out.write(json.dumps(value, ensure_ascii=False).encode("utf-8"))
    out.flush()


def cmd_field_is(args):
    if len(args) != 3:
        die("usage: field-is FILE PATH VALUE")
    value = walk(load_json(args[0]), args[1])
    expected = os.fsencode(args[2])  # the exact bytes of the argument
    if not isinstance(value, str):
        die("%s is %r, not a string" % (args[1], value), 1)
    actual = value.encode("utf-8", "surrogatepass")
    if actual == expected:
        return
    at = next((i for i in range(min(len(actual), len(expected))) if actual[i] != expected[i]),
              min(len(actual), len(expected)))
    die("%s differs: %d bytes stored, %d expected; first difference at byte %d:\n"
        "  stored:   %r\n  expected: %r" % (args[1], len(actual), len(expected), at,
                                            actual[max(0, at - 20):at + 20],
                                            expected[max(0, at - 20):at + 20]), 1)


PIECES = [
    "Notes, with \"double\" and 'single' quotes; commas, semicolons. ",
    "अनन्या शर्मा ने मूल्य पूछा। ",       # Devanagari
    "佐藤美咲さんは来週の会議に参加します。",  # CJK
    "\n",
    "مرحبا، هذه ملاحظة بالعربية. ",        # Arabic
    "😀🚀👩🏽‍💻 ",                           # emoji, skin tone, ZWJ sequence
    "\ttab\t",
    "back\\slash / slash ",
    "\r\n",
    "Ünïcødé ßtraße ",
]


def cmd_gen_text(args):
    if len(args) != 1 or not args[0].isdigit() or int(args[0]) < 1:
        die("usage: gen-text BYTES")
    size = int(args[0])
    out = bytearray()
    i = 0
    while True:
        piece = PIECES[i % len(PIECES)].encode("utf-8")
        if len(out) + len(piece) > size - 1:
            break
        out += piece
        i += 1
    out += b"x" * (size - len(out))
    assert len(out) == size
    out.decode("utf-8")  # whole characters only
    sys.stdout.buffer.write(bytes(out))


def cmd_nfd(args):
    if len(args) != 1:
        die("usage: nfd TEXT")
    sys.stdout.write(unicodedata.normalize("NFD", args[0]))


def forms(canary):
    texts = {
        "as given": canary,
        "NFC": unicodedata.normalize("NFC", canary),
        "NFD": unicodedata.normalize("NFD", canary),
        "NFKC": unicodedata.normalize("NFKC", canary),
        "lower case": canary.lower(),
        "upper case": canary.upper(),
        "case-folded": canary.casefold(),
    }
    result = {}
    for name, text in texts.items():
        result.setdefault(text.encode("utf-8"), "UTF-8, " + name)
    raw = canary.encode("utf-8")
    result.setdefault(canary.encode("utf-16-le"), "UTF-16LE")
    result.setdefault(canary.encode("utf-16-be"), "UTF-16BE")
    result.setdefault(raw.hex().encode(), "hex")
    result.setdefault(raw.hex().upper().encode(), "HEX")
    b64 = base64.b64encode(raw).rstrip(b"=")
    result.setdefault(b64[: len(b64) - 1] if len(b64) > 4 else b64, "base64")
    return result


def cmd_scan(args):
    if len(args) < 2:
        die("usage: scan CANARIES FILE...")
    canaries = [line for line in open(args[0], encoding="utf-8").read().split("\n") if line]
    if not canaries:
        die("no canaries in %s" % args[0])
    for c in canaries:
        if len(c.encode("utf-8")) < 6:
            die("canary %r is too short to be distinctive" % c)
    hits = 0
    for path in args[1:]:
        if not os.path.isfile(path):
            die("no file %s to scan" % path)
        data = open(path, "rb").read()
        folded = data.lower()  # ASCII letters only: catches any mix of case
        print("scanned %s (%d bytes)" % (os.path.basename(path), len(data)))
        for c in canaries:
            for needle, form in forms(c).items():
                where = data.find(needle)
                if where < 0 and needle.isascii():
                    where = folded.find(needle.lower())
                if where >= 0:
                    hits += 1
                    print("FOUND %r (%s) in %s at byte %d" % (c, form, path, where))
    sys.exit(1 if hits else 0)


def cmd_scan_bytes(args):
    if len(args) < 2:
        die("usage: scan-bytes BLOBS FILE...")
    blobs = []
    for number, line in enumerate(open(args[0], encoding="ascii").read().split("\n"), 1):
        words = line.split()
        if not words:
            continue
        label, text = (words[0], words[1]) if len(words) == 2 else ("line %d" % number, words[0])
        try:
            blob = bytes.fromhex(text)
        except ValueError:
            die("%s: line %d is not LABEL HEX" % (args[0], number))
        if len(blob) < 8 or len(set(blob)) < 4:
            die("blob %s (%d bytes) is too short or too uniform to be distinctive"
                % (label, len(blob)))
        blobs.append((label, blob))
    if not blobs:
        die("no blobs in %s" % args[0])
    hits = 0
    for path in args[1:]:
        if not os.path.isfile(path):
            die("no file %s to scan" % path)
        data = open(path, "rb").read()
        print("scanned %s (%d bytes)" % (os.path.basename(path), len(data)))
        for label, blob in blobs:
            where = data.find(blob)
            if where >= 0:
                hits += 1
                print("FOUND %s (all %d bytes) in %s at byte %d" % (label, len(blob), path, where))
                continue
            # A part of the blob left behind (a page split, an overflow page).
            for start in range(0, max(len(blob) - 16, 0) + 1, 8):
                window = blob[start:start + 16]
                where = data.find(window)
                if where >= 0:
                    hits += 1
                    print("FOUND %s (bytes %d..%d) in %s at byte %d"
                          % (label, start, start + len(window) - 1, path, where))
                    break
    sys.exit(1 if hits else 0)


def cmd_flip_each(args):
    if len(args) not in (2, 3):
        die("usage: flip-each FILE DIR [MASK]")
    mask = int(args[2], 0) if len(args) == 3 else 0x01
    if not 0 < mask < 256:
        die("MASK: 1 to 255")
    data = open(args[0], "rb").read()
    os.makedirs(args[1], exist_ok=True)
    for i, byte in enumerate(data):
        changed = byte ^ mask if byte ^ mask else byte ^ (0x02 if mask != 0x02 else 0x04)
        with open(os.path.join(args[1], "%06d" % i), "wb") as out:
            out.write(data[:i] + bytes([changed]) + data[i + 1:])
    print(len(data))


def cmd_flip(args):
    if len(args) not in (2, 3):
        die("usage: flip FILE OFFSET [MASK]")
    mask = int(args[2], 0) if len(args) == 3 else 0x01
    if not 0 < mask < 256:
        die("MASK: 1 to 255")
    with open(args[0], "r+b") as f:
        data = bytearray(f.read())
        offset = int(args[1], 0)
        if not -len(data) <= offset < len(data):
            die("OFFSET outside the %d bytes of %s" % (len(data), args[0]))
        data[offset] ^= mask
        f.seek(0)
        f.write(data)


def cmd_pluck(args):
    if len(args) not in (2, 3):
        die("usage: pluck PATH KEYS [FILE]")
    items = walk(load_json(args[2] if len(args) == 3 else None), args[0])
    if not isinstance(items, list):
        die("%s is not a list" % args[0], 1)
    out = sys.stdout.buffer
    for item in items:
        if not isinstance(item, dict):
            die("an element of %s is not an object: %r" % (args[0], item), 1)
        values = []
        for key in args[1].split(","):
            if key not in item:
                die("no key %s in an element of %s" % (key, args[0]), 1)
            value = item[key]
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                values.append(",".join(value))
            else:
                values.append(value if isinstance(value, str) else json.dumps(value))
        out.write(" ".join(values).encode("utf-8", "surrogatepass") + b"\n")
    out.flush()


def cmd_idle_start(args):
    import signal
    import sqlite3
    import time
    if len(args) != 3 or not args[2].isdigit():
        die("usage: idle-start VAULT PIDFILE SECONDS")
    vault, pidfile, seconds = args[0], args[1], int(args[2])
    if not os.path.isfile(vault):
        die("no vault %s" % vault)
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.setsid()
        stop = []
        signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
        db = sqlite3.connect(vault, isolation_level=None)  # autocommit: no open transaction
        db.execute("SELECT count(*) FROM sqlite_schema").fetchall()
        os.write(ready_w, b"1")
        os.close(ready_w)
        end = time.monotonic() + seconds
        while not stop and time.monotonic() < end:
            time.sleep(0.05)
        db.close()
        os._exit(0)
    os.close(ready_w)
    if os.read(ready_r, 1) != b"1":
        os.waitpid(pid, 0)
        die("the idle connection did not start", 1)
    with open(pidfile, "w") as out:
        out.write("%d\n" % pid)


def cmd_idle_stop(args):
    import signal
    import time
    if len(args) != 1:
        die("usage: idle-stop PIDFILE")
    pid = int(open(args[0]).read())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(200):  # until it has closed the vault (a zombie has)
        try:
            with open("/proc/%d/stat" % pid) as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return
        except (FileNotFoundError, ProcessLookupError):
            return
        time.sleep(0.05)
    die("process %d did not end" % pid, 1)


def cmd_keys(args):
    if len(args) not in (1, 2):
        die("usage: keys PATH [FILE]")
    node = walk(load_json(args[1] if len(args) == 2 else None), args[0])
    if not isinstance(node, dict):
        die("%s is not an object: %r" % (args[0], node), 1)
    sys.stdout.write(",".join(node.keys()) + "\n")


COMMANDS = {"json": cmd_json, "field-is": cmd_field_is, "gen-text": cmd_gen_text,
            "nfd": cmd_nfd, "scan": cmd_scan, "scan-bytes": cmd_scan_bytes,
            "flip-each": cmd_flip_each, "flip": cmd_flip, "pluck": cmd_pluck, "idle-start": cmd_idle_start,
            "idle-stop": cmd_idle_stop, "keys": cmd_keys}

# ---- audit log helpers (tests/cli/cases/audit_*.t) -------------------------
#
#   lvtool audit-expect MARK SPEC...  (or MARK -f FILE: one SPEC a line; or
#                                     MARK --any: accept what is there)
#                                     stdin: `audit show --json`. The entries
#                                     after the seq stored in file MARK (all
#                                     of them when MARK does not exist yet;
#                                     otherwise the first must be the
#                                     audit.show entry of the previous call,
#                                     and is skipped) must be exactly SPEC...,
#                                     in order; then MARK holds the last seq.
#                                     SPEC: "ACTION key=value ..." (shell
#                                     quoting), keys actor role os_user
#                                     subject fields purpose outcome code
#                                     request leads (ids, comma-separated)
#                                     nleads (a count). subject, fields,
#                                     purpose, request and leads default to
#                                     empty, outcome to ok, code to 0 (-5 for
#                                     denied); "*" accepts any value; an
#                                     ACTION "a|b" accepts either.
#   lvtool audit-tamper-sql TABLE KEY COLUMN...
#                                     per COLUMN one line "COLUMN<tab>UPDATE"
#                                     whose UPDATE changes COLUMN of the row of
#                                     audit (KEY = seq) or audit_checkpoint
#                                     (KEY = id): text and blobs get another
#                                     first byte (or one byte when empty),
#                                     numbers + 1, the key + 1000000.
#   lvtool audit-swap-sql SEQ1 SEQ2   SQL that swaps every column but seq of
#                                     two audit entries.
#   lvtool audit-mutants FILE DIR COUNT [flip|hexcase]
#                                     write copies of FILE into DIR (named by
#                                     the byte position, DIR/000123), each with
#                                     one byte changed: flip XORs the low bit
#                                     (every position when FILE has at most
#                                     COUNT bytes, else COUNT positions spread
#                                     evenly, first and last included);
#                                     hexcase upper-cases one a-f letter of a
#                                     run of 32 or more hex digits (COUNT of
#                                     them, spread). Prints how many.
#   lvtool audit-jsonl-text FILE      every string value (keys too) of every
#                                     line of a JSON Lines FILE, decoded, one
#                                     per line: what an escaped form would
#                                     hide from a byte scan.

AUDIT_TEXT_COLUMNS = ("time", "actor", "role", "os_user", "action", "subject", "fields",
                      "purpose", "outcome", "request")
AUDIT_TABLES = {
    "audit": {"key": "seq", "int": ("code",), "blob": ("lead_ids", "prev_hash", "hash"),
              "text": AUDIT_TEXT_COLUMNS},
    "audit_checkpoint": {"key": "id", "int": ("size",), "blob": ("head", "signature"),
                         "text": ("time",)},
}


def cmd_audit_expect(args):
    import shlex
    if len(args) < 1:
        die("usage: audit-expect MARK SPEC...")
    mark_path, specs = args[0], args[1:]
    if len(specs) == 2 and specs[0] == "-f":
        specs = [line for line in open(specs[1], encoding="utf-8").read().split("\n")
                 if line.strip()]
    entries = walk(load_json(None), "entries")
    if not isinstance(entries, list):
        die("entries is not a list", 1)
    seqs = [e.get("seq") for e in entries]
    if seqs != list(range(1, len(seqs) + 1)):
        die("audit show did not list entries 1..%d in order: %r" % (len(seqs), seqs), 1)
    had_mark = os.path.exists(mark_path)
    mark = int(open(mark_path).read()) if had_mark else 0
    new = [e for e in entries if e["seq"] > mark]
    problems = []
    if had_mark:
        if not new or new[0]["action"] != "audit.show" or new[0]["outcome"] != "ok":
            problems.append("entry %d should be the audit.show of the previous check" %
                            (mark + 1))
        else:
            new = new[1:]
    if specs == ["--any"]:  # only move the mark past what is there
        specs = []
        new = []

    def show(e):
        return "seq %d: %s" % (e["seq"], json.dumps(
            {k: e[k] for k in ("actor", "role", "action", "subject", "lead_ids", "fields",
                               "purpose", "outcome", "code", "request")}, ensure_ascii=False))

    for number, spec in enumerate(specs, 1):
        words = shlex.split(spec)
        if not words or "=" in words[0]:
            die("spec %d: expected 'ACTION key=value ...': %r" % (number, spec))
        want = {"action": words[0], "subject": "", "fields": "", "purpose": "",
                "request": "", "leads": "", "outcome": "ok"}
        for word in words[1:]:
            key, sep, value = word.partition("=")
            if not sep or key not in ("actor", "role", "os_user", "subject", "fields",
                                      "purpose", "outcome", "code", "request", "leads",
                                      "nleads"):
                die("spec %d: bad key=value %r" % (number, word))
            want[key] = value
        if "code" not in want and want["outcome"] in ("ok", "denied"):
            want["code"] = "0" if want["outcome"] == "ok" else "-5"
        if "nleads" in want:
            del want["leads"]
        if number > len(new):
            problems.append("spec %d (%s): no such entry" % (number, spec))
            continue
        e = new[number - 1]
        for key, value in want.items():
            if value == "*":
                continue
            if key == "action" and "|" in value:  # alternatives
                if e["action"] not in value.split("|"):
                    problems.append("spec %d: action is %r, expected one of %s" %
                                    (number, e["action"], value))
                continue
            if key == "leads":
                actual = ",".join(e["lead_ids"])
            elif key == "nleads":
                actual = str(len(e["lead_ids"]))
            elif key == "code":
                actual = str(e["code"])
            else:
                actual = e[key]
            if actual != value:
                problems.append("spec %d (%s): %s is %r, expected %r" %
                                (number, words[0], key, actual, value))
    if len(new) > len(specs):
        for e in new[len(specs):]:
            problems.append("unexpected entry %s" % show(e))
    if problems:
        print("new entries:")
        for e in new:
            print("  " + show(e))
        for p in problems:
            print("MISMATCH " + p)
        sys.exit(1)
    with open(mark_path, "w") as out:
        out.write("%d\n" % (seqs[-1] if seqs else 0))
    for e in new:
        print("ok seq %d %s %s" % (e["seq"], e["action"], e["outcome"]))


def cmd_audit_tamper_sql(args):
    if len(args) < 3 or args[0] not in AUDIT_TABLES or not args[1].isdigit():
        die("usage: audit-tamper-sql audit|audit_checkpoint KEY COLUMN...")
    table, key, columns = args[0], args[1], args[2:]
    t = AUDIT_TABLES[table]
    for column in columns:
        if column == t["key"]:
            value = "%s + 1000000" % column
        elif column in t["int"]:
            value = "%s + 1" % column
        elif column in t["text"]:
            value = ("(CASE WHEN substr(%s, 1, 1) = 'x' THEN 'y' ELSE 'x' END) || substr(%s, 2)"
                     % (column, column))
        elif column in t["blob"]:
            value = ("CAST((CASE WHEN substr(%s, 1, 1) = x'00' THEN x'01' ELSE x'00' END)"
                     " || substr(%s, 2) AS BLOB)" % (column, column))
        else:
            die("no column %s in %s" % (column, table))
        sys.stdout.write("%s\tUPDATE %s SET %s = %s WHERE %s = %s;\n"
                         % (column, table, column, value, t["key"], key))


def cmd_audit_swap_sql(args):
    if len(args) != 2 or not all(a.isdigit() for a in args) or args[0] == args[1]:
        die("usage: audit-swap-sql SEQ1 SEQ2")
    a, b = args
    columns = ", ".join(AUDIT_TEXT_COLUMNS + ("code", "lead_ids", "prev_hash", "hash"))
    sys.stdout.write(
        "CREATE TEMP TABLE swap AS SELECT * FROM audit WHERE seq IN (%s, %s);\n"
        "UPDATE audit SET (%s) = (SELECT %s FROM swap WHERE swap.seq ="
        " CASE audit.seq WHEN %s THEN %s ELSE %s END) WHERE seq IN (%s, %s);\n"
        % (a, b, columns, columns, a, b, a, a, b))


def cmd_audit_mutants(args):
    import re
    if len(args) not in (3, 4) or not args[2].isdigit() or int(args[2]) < 1:
        die("usage: audit-mutants FILE DIR COUNT [flip|hexcase]")
    mode = args[3] if len(args) == 4 else "flip"
    if mode not in ("flip", "hexcase"):
        die("mode: flip or hexcase")
    data = open(args[0], "rb").read()
    count = int(args[2])
    if mode == "flip":
        candidates = list(range(len(data)))
    else:
        candidates = [m.start() + i for m in re.finditer(rb"[0-9a-f]{32,}", data)
                      for i, c in enumerate(m.group()) if c in b"abcdef"]
    if not candidates:
        die("no position to change in %s" % args[0])
    if len(candidates) <= count:
        chosen = candidates
    else:
        step = (len(candidates) - 1) / (count - 1) if count > 1 else 0
        chosen = sorted({candidates[round(i * step)] for i in range(count)})
    os.makedirs(args[1], exist_ok=True)
    for at in chosen:
        byte = data[at] ^ 0x01 if mode == "flip" else data[at] - 0x20
        with open(os.path.join(args[1], "%06d" % at), "wb") as out:
            out.write(data[:at] + bytes([byte]) + data[at + 1:])
    print(len(chosen))


def cmd_audit_jsonl_text(args):
    if len(args) != 1:
        die("usage: audit-jsonl-text FILE")
    out = []

    def strings(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, list):
            for item in node:
                strings(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                out.append(key)
                strings(value)

    for number, line in enumerate(open(args[0], "rb").read().split(b"\n"), 1):
        if line:
            try:
                strings(json.loads(line.decode("utf-8")))
            except (UnicodeDecodeError, ValueError) as e:
                die("%s: line %d is not JSON (%s)" % (args[0], number, e), 1)
    sys.stdout.buffer.write("".join(s + "\n" for s in out).encode("utf-8", "surrogatepass"))


# ---- subject export pages (tests/cli/cases/subject_html*.t) ----------------

HTML_SECTIONS = ("data", "source", "purposes", "recipients", "retention", "consent", "access",
                 "rights")
HTML_VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "area", "base",
             "source", "track", "embed", "param"}


def cmd_html_check(args):
    from html.parser import HTMLParser
    if not args:
        die("usage: html-check FILE [TEXT...]")
    raw = open(args[0], "rb").read()
    problems = []
    try:
        page = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        die("%s is not UTF-8: %s" % (args[0], e), 1)

    class Check(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack, self.text, self.doctype = [], [], None
            self.lang = self.charset = self.csp = None
            self.articles = []  # per article: {section: has heading}
            self.section = None

        def handle_decl(self, decl):
            self.doctype = decl

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "html":
                self.lang = a.get("lang")
            if tag == "meta" and "charset" in a:
                self.charset = a["charset"]
            if tag == "meta" and (a.get("http-equiv") or "").lower() == \
                    "content-security-policy":
                self.csp = a.get("content", "")
            if tag in ("script", "iframe", "object", "embed", "link", "img", "base", "form"):
                problems.append("element <%s> found" % tag)
            for name, value in attrs:
                if name.startswith("on"):
                    problems.append("event handler %s= on <%s>" % (name, tag))
                if name in ("src", "href", "action", "srcset", "data") and value is not None:
                    problems.append("external reference %s=%r on <%s>" % (name, value, tag))
                if name == "style" and value and "url(" in value:
                    problems.append("url() in a style attribute on <%s>" % tag)
            if tag == "td" and a.get("dir") != "auto":
                problems.append("a value cell without dir=\"auto\"")
            if tag == "article":
                self.articles.append({})
            if tag == "section" and self.articles:
                self.section = a.get("class")
                self.articles[-1][self.section] = False
            if tag == "h3" and self.section is not None and self.articles:
                self.articles[-1][self.section] = True
            if tag not in HTML_VOID:
                self.stack.append(tag)

        def handle_endtag(self, tag):
            if tag in HTML_VOID:
                return
            if not self.stack or self.stack[-1] != tag:
                problems.append("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack
                                                       else "nothing"))
                return
            self.stack.pop()
            if tag == "section":
                self.section = None

        def handle_data(self, data):
            if self.stack and self.stack[-1] == "style":
                if "url(" in data or "@import" in data:
                    problems.append("the style loads something (url() or @import)")
                return
            self.text.append(data)

    c = Check()
    c.feed(page)
    c.close()
    if c.stack:
        problems.append("unclosed elements at the end: %s" % ", ".join(c.stack))
    if (c.doctype or "").lower() != "doctype html":
        problems.append("no <!DOCTYPE html>")
    if not c.lang:
        problems.append("<html> has no lang")
    if (c.charset or "").lower() != "utf-8":
        problems.append("no <meta charset=utf-8>")
    csp = (c.csp or "").replace(" ", "")
    for need in ("default-src'none'", "script-src'none'"):
        if need not in csp:
            problems.append("the Content-Security-Policy lacks %s" % need)
    if "<script" in page.lower():
        problems.append("the page holds <script")
    if not c.articles:
        problems.append("no record (<article>) in the page")
    for n, sections in enumerate(c.articles, 1):
        for name in HTML_SECTIONS:
            if name not in sections:
                problems.append("record %d: no section %s" % (n, name))
            elif not sections[name]:
                problems.append("record %d: section %s has no heading" % (n, name))
    text = "".join(c.text)
    for want in args[1:]:
        if want not in text:
            problems.append("text not in the page: %r" % want)
    for p in problems:
        sys.stderr.write("html-check: %s\n" % p)
    sys.exit(1 if problems else 0)


COMMANDS.update({"html-check": cmd_html_check})

COMMANDS.update({"audit-expect": cmd_audit_expect, "audit-tamper-sql": cmd_audit_tamper_sql,
                 "audit-swap-sql": cmd_audit_swap_sql, "audit-mutants": cmd_audit_mutants,
                 "audit-jsonl-text": cmd_audit_jsonl_text})


# ---- import / export helpers (tests/cli/cases/import_*.t, export_*.t) -------
# data, sample-emails, compare-leads, csv-dump, csv-ids, csv-fields, csv-values,
# jsonl-ids, jsonl-keys:
# documented in lvimport.py, next to this file.
import lvimport  # noqa: E402  (this file's directory is on sys.path)

COMMANDS.update(lvimport.COMMANDS)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        die("usage: lvtool.py json|field-is|gen-text|nfd|scan|scan-bytes|flip-each|flip|pluck|"
            "idle-start|idle-stop|keys ... (see the file's docstring)")
    COMMANDS[sys.argv[1]](sys.argv[2:])
