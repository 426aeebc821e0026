#!/usr/bin/env python3
"""gen_man.py - write the COMMANDS section of docs/leadvault.1 from cli/help.c.

usage: scripts/gen_man.py [--check] [SOURCE_DIR]

cli/help.c is the one source of leadvault's help (issue 13). This script
reads its table of topics and replaces everything between the `.SH COMMANDS`
line of SOURCE_DIR/docs/leadvault.1 and the next `.SH` line with each
topic's usage lines and text, as `leadvault help TOPIC` prints them. The
rest of the page is written by hand in docs/leadvault.1 itself.

--check writes nothing: it exits 1, showing the difference, when the page
is not what the script would write (ctest help.man_page runs it so).
SOURCE_DIR defaults to the directory above this script.

tests/help/check_help.py imports read_help() and help_output() from here,
so that the test and the man page read cli/help.c the same way.
"""
import difflib
import os
import re
import sys

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELP_C = os.path.join("cli", "help.c")
MAN_PAGE = os.path.join("docs", "leadvault.1")


class SourceError(Exception):
    pass


class Topic:
    """One help topic: its name ("lead add"), usage lines and text lines."""

    def __init__(self, name, usage, text, line):
        self.name = name
        self.usage = usage
        self.text = text
        self.line = line  # in cli/help.c, for messages


# Inside the two arrays: string literals, braces, commas, white space.
TOKEN = re.compile(r'(\s+)|"((?:[^"\\\n]|\\.)*)"|([{},;])')
ESCAPES = {"n": "\n", '"': '"', "\\": "\\"}


def tokens(text, start, path):
    """(kind, value, line) from text[start:] up to the first ';'."""
    at = start
    while True:
        m = TOKEN.match(text, at)
        line = text.count("\n", 0, at) + 1
        if m is None:
            raise SourceError("%s:%d: cannot read %r (only string literals, braces and "
                              "commas may stand in the help tables)" % (path, line, text[at:at + 20]))
        at = m.end()
        if m.group(1) is not None:
            continue
        if m.group(3) is not None:
            if m.group(3) == ";":
                return
            yield m.group(3), None, line
            continue

        def escape(e):
            if e.group(1) not in ESCAPES:
                raise SourceError("%s:%d: escape \\%s: only \\n, \\\" and \\\\ are read"
                                  % (path, line, e.group(1)))
            return ESCAPES[e.group(1)]

        yield "string", re.sub(r"\\(.)", escape, m.group(2)), line


def lines_of(value, what, path, line, may_be_empty):
    if value == "" and may_be_empty:
        return []
    if not value.endswith("\n") or "\n\n" in value:
        raise SourceError("%s:%d: %s must be whole lines, each ending in \\n, none empty"
                          % (path, line, what))
    return value[:-1].split("\n")


def read_help(source_dir=SOURCE_DIR):
    """(overview text, [Topic]) as cli/help.c holds them."""
    path = os.path.join(source_dir, HELP_C)
    with open(path, encoding="utf-8") as f:
        text = f.read()

    def find(marker):
        at = text.find(marker)
        if at < 0 or text.find(marker, at + 1) >= 0:
            raise SourceError("%s: expected exactly one '%s'" % (path, marker))
        return at + len(marker)

    overview = ""
    for kind, value, line in tokens(text, find("static const char overview[] ="), path):
        if kind != "string":
            raise SourceError("%s:%d: the overview is string literals only" % (path, line))
        overview += value

    topics = []
    fields = None  # the topic being read: a list of strings
    expect_string = False
    at = find("static const help_topic topics[] = {")
    for kind, value, line in tokens(text, at, path):
        if kind == "{" and fields is None:
            fields, expect_string, first = [], True, line
        elif kind == "string" and fields is not None:
            if expect_string:
                fields.append(value)
                expect_string = False
            else:
                fields[-1] += value  # adjacent literals
        elif kind == "," and fields is not None and not expect_string:
            expect_string = True
        elif kind == "}" and fields is not None and not expect_string:
            if len(fields) != 3:
                raise SourceError("%s:%d: a topic is {name, usage, text}" % (path, first))
            name, usage, body = fields
            if not re.fullmatch(r"[a-z]+( [a-z]+)?", name):
                raise SourceError("%s:%d: topic name %r" % (path, first, name))
            topics.append(Topic(name, lines_of(usage, "usage of " + name, path, first, False),
                                lines_of(body, "text of " + name, path, first, True), first))
            fields = None
        elif kind == "}" and fields is None:
            break  # the end of the array
        elif kind == "," and fields is None:
            continue
        else:
            raise SourceError("%s:%d: unexpected %s in the topics table" % (path, line, kind))
    if not topics:
        raise SourceError("%s: no topics read" % path)
    return overview, topics


def help_output(topic):
    """What `leadvault help TOPIC` prints (print_help() in cli/help.c)."""
    out = "".join(("usage: " if i == 0 else "       ") + u + "\n" for i, u in enumerate(topic.usage))
    return out + "".join(t + "\n" for t in topic.text)


# ---- roff ----------------------------------------------------------------------

def roff(text):
    """text as roff input: backslashes and hyphen-minus escaped, a leading
    control character disarmed."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text


def usage_line(line, names):
    """A usage line with its command words in bold: "leadvault" and the
    longest topic its words start with."""
    words = line.split(" ")
    if words[0] != "leadvault":
        return roff(line)  # a continuation line
    for n in (2, 1):
        if len(words) > n and " ".join(words[1:n + 1]) in names:
            rest = " ".join(words[n + 1:])
            return "\\fB%s\\fR%s" % (" ".join(words[:n + 1]), " " + roff(rest) if rest else "")
    return roff(line)


def text_lines(lines):
    """Prose is filled; a line that starts with white space keeps its layout,
    and so does the line it continues (the aligned lists of lead add)."""
    keep = [False] * len(lines)
    for i, line in enumerate(lines):
        if line.startswith(" "):
            keep[i] = True
            keep[max(i - 1, 0)] = True
    out, nofill = [], False
    for line, k in zip(lines, keep):
        if k != nofill:
            out.append(".nf" if k else ".fi")
            nofill = k
        out.append(roff(line))
    if nofill:
        out.append(".fi")
    return out


def commands_section(topics):
    names = {t.name for t in topics}
    out = [
        ".SH COMMANDS",
        '.\\" Generated by scripts/gen_man.py from cli/help.c: edit those, not this',
        '.\\" section (ctest help.man_page fails when they disagree).',
        "Each command's usage and help, as",
        ".BI \"leadvault help \" COMMAND",
        "prints them.",
    ]
    for t in topics:
        out.append('.SS "%s"' % t.name)
        out.append(".nf")
        out.extend(usage_line(u, names) for u in t.usage)
        out.append(".fi")
        if t.text:
            out.append(".PP")
            out.extend(text_lines(t.text))
    return out


def man_page(page, topics):
    """page with its COMMANDS section made from topics."""
    lines = page.split("\n")
    try:
        start = lines.index(".SH COMMANDS")
    except ValueError:
        raise SourceError("%s: no '.SH COMMANDS' line" % MAN_PAGE) from None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(".SH ")), None)
    if end is None:
        raise SourceError("%s: no '.SH' line after COMMANDS" % MAN_PAGE)
    return "\n".join(lines[:start] + commands_section(topics) + lines[end:])


def main(argv):
    check = "--check" in argv
    rest = [a for a in argv if a != "--check"]
    if len(rest) > 1 or any(a.startswith("-") for a in rest):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    source_dir = rest[0] if rest else SOURCE_DIR
    try:
        _, topics = read_help(source_dir)
        path = os.path.join(source_dir, MAN_PAGE)
        with open(path, encoding="utf-8") as f:
            page = f.read()
        wanted = man_page(page, topics)
    except (SourceError, OSError) as e:
        print("gen_man.py: %s" % e, file=sys.stderr)
        return 2
    if not check:
        if wanted != page:
            with open(path, "w", encoding="utf-8") as f:
                f.write(wanted)
            print("gen_man.py: wrote %s" % MAN_PAGE)
        return 0
    if wanted == page:
        return 0
    sys.stdout.writelines(difflib.unified_diff(page.splitlines(True), wanted.splitlines(True),
                                               MAN_PAGE + " (checked in)",
                                               MAN_PAGE + " (from cli/help.c)"))
    print("gen_man.py: %s is not what cli/help.c gives; run scripts/gen_man.py" % MAN_PAGE,
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
