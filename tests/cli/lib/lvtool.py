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


COMMANDS = {"json": cmd_json, "field-is": cmd_field_is, "gen-text": cmd_gen_text,
            "nfd": cmd_nfd, "scan": cmd_scan}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        die("usage: lvtool.py json|field-is|gen-text|nfd|scan ... (see the file's docstring)")
    COMMANDS[sys.argv[1]](sys.argv[2:])
