#!/usr/bin/env python3
"""check_help.py - hold docs/cli.md, docs/leadvault.1, the command table and
the built leadvault to cli/help.c, the one source of the help (issue 13).

usage: check_help.py CHECK SOURCE_DIR [LEADVAULT]

CHECK is one of (each a ctest test, help.CHECK):
  man_page       docs/leadvault.1 is what scripts/gen_man.py makes of
                 cli/help.c (its COMMANDS section is generated; the rest
                 of the page is left as it is).
  docs_usage     under the heading of each help topic in docs/cli.md
                 ("## TOPIC" or "### GROUP SUB"), the first code block is
                 exactly the topic's usage lines.
  docs_headings  every command heading of docs/cli.md (one whose first word
                 is a top-level command) is a help topic, at level 2 for a
                 command and 3 for a subcommand; every topic has one; both
                 come in the same order.
  command_table  the names in commands[] of cli/main.c are the one-word
                 help topics; a group (a command with subcommand topics)
                 leaves its name for messages NULL and any other command
                 gives its own; the overview lists every command, in the
                 table's order, and each group with exactly its
                 subcommands; every usage line names its topic's command.
  output         LEADVAULT prints the overview for no arguments, help,
                 --help and -h, and for each topic `help TOPIC` and
                 `TOPIC --help` print exactly that topic; an unknown topic
                 exits 2.

Exit 0 when the check holds, 1 when it does not (saying where), 2 when a
file cannot be read.
"""
import difflib
import os
import re
import subprocess
import sys
import tempfile

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts")
sys.path.insert(0, SCRIPTS)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen_man  # noqa: E402  (the same reader as the man page's)

failures = []


def fail(message):
    failures.append(message)


def diff(want, got, want_name, got_name):
    return "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                        want_name, got_name))


# ---- docs/cli.md ------------------------------------------------------------------

class Section:
    def __init__(self, level, title, line):
        self.level = level
        self.title = title
        self.line = line
        self.blocks = []  # code blocks before the next heading: (line, [lines])


def read_cli_md(path):
    """The headings (outside code blocks), each with the code blocks that
    follow it before the next heading."""
    sections = []
    block = None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("```"):
                if block is None:
                    block = (number, [])
                else:
                    if sections:
                        sections[-1].blocks.append(block)
                    block = None
                continue
            if block is not None:
                block[1].append(line)
                continue
            m = re.match(r"(#{1,6}) (.+)$", line)
            if m:
                sections.append(Section(len(m.group(1)), m.group(2).strip(), number))
    return sections


def command_names(source_dir):
    """(name, name for messages or None) of commands[] in cli/main.c, in order."""
    path = os.path.join(source_dir, "cli", "main.c")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    try:
        start = lines.index("static const subcommand commands[] = {")
    except ValueError:
        raise gen_man.SourceError("%s: no 'static const subcommand commands[] = {' line" % path)
    rows = []
    for number in range(start + 1, len(lines)):
        line = lines[number].strip()
        if line == "};":
            return rows
        if not line or line.startswith(("/*", "*", "//")):
            continue
        m = re.fullmatch(r'\{"([a-z]+)", cmd_[a-z_]+, (NULL|"([a-z ]+)")\},', line)
        if m is None:
            raise gen_man.SourceError("%s:%d: cannot read %r as {\"name\", cmd_name, "
                                      "\"name\" or NULL}," % (path, number + 1, line))
        rows.append((m.group(1), m.group(3)))
    raise gen_man.SourceError("%s: commands[] has no end" % path)


def overview_commands(overview):
    """[(command, set of subcommands listed)] of the overview's commands section."""
    listed = []
    lines = overview.split("\n")
    if "commands:" not in lines:
        fail("help.c: the overview has no 'commands:' section")
        return listed
    for line in lines[lines.index("commands:") + 1:]:
        if not line.strip():
            break
        if not re.match(r"  [a-z]", line):
            continue  # the second line of a long entry
        usage = re.split(r"\s{2,}", line.strip())[0]
        for part in usage.split(", "):
            words = part.split()
            subs = set()
            if len(words) > 1 and re.fullmatch(r"[a-z]+(\|[a-z]+)*", words[1]):
                subs = set(words[1].split("|"))
            listed.append((words[0], subs))
    return listed


# ---- the checks ---------------------------------------------------------------------

def check_man_page(source_dir, topics):
    path = os.path.join(source_dir, gen_man.MAN_PAGE)
    with open(path, encoding="utf-8") as f:
        page = f.read()
    wanted = gen_man.man_page(page, topics)
    if wanted != page:
        fail("%s is not what scripts/gen_man.py makes of cli/help.c (run it):\n%s"
             % (gen_man.MAN_PAGE, diff(page, wanted, gen_man.MAN_PAGE, "from cli/help.c")))


def check_docs_usage(sections, topics):
    by_title = {s.title: s for s in sections}
    for t in topics:
        s = by_title.get(t.name)
        if s is None:
            fail("docs/cli.md has no heading '%s' for the usage of help topic '%s'"
                 % (t.name, t.name))
            continue
        if not s.blocks:
            fail("docs/cli.md:%d: no code block under '%s' (want the usage of help topic '%s')"
                 % (s.line, s.title, t.name))
            continue
        line, block = s.blocks[0]
        if block != t.usage:
            want = "\n".join(t.usage) + "\n"
            got = "\n".join(block) + "\n"
            fail("docs/cli.md:%d: the first code block under '%s' is not the usage of help "
                 "topic '%s' (cli/help.c:%d):\n%s" % (line, s.title, t.name, t.line,
                                                      diff(want, got, "cli/help.c", "docs/cli.md")))


def check_docs_headings(sections, topics, commands):
    names = {name for name, _ in commands}
    headings = [s for s in sections
                if s.level in (2, 3) and s.title.split(" ")[0] in names]
    topic_names = [t.name for t in topics]
    seen = set()
    for s in headings:
        want_level = 2 if " " not in s.title else 3
        if s.title not in topic_names:
            fail("docs/cli.md:%d: heading '%s' names no help topic in cli/help.c"
                 % (s.line, "#" * s.level + " " + s.title))
        elif s.level != want_level:
            fail("docs/cli.md:%d: heading '%s' should be '%s %s'"
                 % (s.line, "#" * s.level + " " + s.title, "#" * want_level, s.title))
        if s.title in seen:
            fail("docs/cli.md:%d: heading '%s' comes twice" % (s.line, s.title))
        seen.add(s.title)
    for t in topics:
        if t.name not in seen:
            fail("cli/help.c:%d: help topic '%s' has no heading '%s %s' in docs/cli.md"
                 % (t.line, t.name, "##" if " " not in t.name else "###", t.name))
    order = [s.title for s in headings if s.title in topic_names]
    common = [n for n in topic_names if n in seen]
    if order == common:
        return
    for i, (a, b) in enumerate(zip(order, common)):
        if a != b:
            fail("docs/cli.md and cli/help.c disagree on the order: heading %d is '%s', "
                 "topic %d is '%s'" % (i + 1, a, i + 1, b))
            break


def check_command_table(overview, topics, commands):
    topic_names = {t.name for t in topics}
    groups = {}
    for t in topics:
        if " " in t.name:
            group, sub = t.name.split(" ")
            groups.setdefault(group, set()).add(sub)
    names = [name for name, _ in commands]
    for name, message_name in commands:
        if name not in topic_names:
            fail("cli/main.c: command '%s' has no help topic in cli/help.c" % name)
        if name in groups and message_name is not None:
            fail("cli/main.c: group '%s' names itself \"%s\" in messages; NULL lets "
                 "dispatch() name its subcommands" % (name, message_name))
        if name not in groups and message_name != name:
            fail("cli/main.c: command '%s' names itself %s in messages, not \"%s\""
                 % (name, "NULL" if message_name is None else '"%s"' % message_name, name))
    for t in topics:
        command = t.name.split(" ")[0]
        if command not in names:
            fail("cli/help.c:%d: help topic '%s': there is no command '%s' in cli/main.c"
                 % (t.line, t.name, command))
        for u in t.usage:
            if not u.startswith(" ") and not (u + " ").startswith("leadvault %s " % command):
                fail("cli/help.c:%d: help topic '%s': usage line %r does not start with "
                     "'leadvault %s'" % (t.line, t.name, u, command))
    listed = overview_commands(overview)
    listed_names = [name for name, _ in listed]
    for name in names:
        if name not in listed_names:
            fail("cli/help.c: the overview does not list command '%s'" % name)
    for name, subs in listed:
        if name not in names:
            fail("cli/help.c: the overview lists '%s', which is no command of cli/main.c" % name)
        elif name in groups and subs != groups[name]:
            fail("cli/help.c: the overview lists '%s %s'; its subcommand topics are %s"
                 % (name, "|".join(sorted(subs)) or "(none)", "|".join(sorted(groups[name]))))
    if [n for n in listed_names if n in names] != [n for n in names if n in listed_names]:
        fail("cli/main.c lists the commands in another order than the overview:\n  %s\n  %s"
             % (" ".join(names), " ".join(listed_names)))


def check_output(leadvault, overview, topics):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADVAULT_")}
    with tempfile.TemporaryDirectory() as work:
        def run(args, want_out, want_code=0, want_err=""):
            p = subprocess.run([leadvault] + args, capture_output=True, cwd=work, env=env,
                               stdin=subprocess.DEVNULL, timeout=60)
            out = p.stdout.decode("utf-8", "replace")
            err = p.stderr.decode("utf-8", "replace")
            wrong = []
            if p.returncode != want_code:
                wrong.append("exited %d, not %d" % (p.returncode, want_code))
            if err != want_err:
                wrong.append("printed %r on stderr, not %r" % (err, want_err))
            if out != want_out:
                wrong.append("printed on stdout:\n" + diff(want_out, out, "cli/help.c",
                                                            "leadvault"))
            if wrong:
                fail("`leadvault %s` %s" % (" ".join(args), "; ".join(wrong)))

        for args in ([], ["help"], ["--help"], ["-h"]):
            run(args, overview)
        for t in topics:
            text = gen_man.help_output(t)
            run(["help"] + t.name.split(" "), text)
            run(t.name.split(" ") + ["--help"], text)
        run(["help", "no-such-command"], "", 2, "leadvault: no help for 'no-such-command'\n")


def main(argv):
    checks = ("man_page", "docs_usage", "docs_headings", "command_table", "output")
    if len(argv) < 2 or argv[0] not in checks or (argv[0] == "output") != (len(argv) == 3) \
            or len(argv) > 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    check, source_dir = argv[0], argv[1]
    try:
        overview, topics = gen_man.read_help(source_dir)
        if check == "man_page":
            check_man_page(source_dir, topics)
        elif check == "docs_usage":
            check_docs_usage(read_cli_md(os.path.join(source_dir, "docs", "cli.md")), topics)
        elif check == "docs_headings":
            check_docs_headings(read_cli_md(os.path.join(source_dir, "docs", "cli.md")), topics,
                                command_names(source_dir))
        elif check == "command_table":
            check_command_table(overview, topics, command_names(source_dir))
        else:
            check_output(os.path.abspath(argv[2]), overview, topics)
    except (gen_man.SourceError, OSError) as e:
        print("check_help.py: %s" % e, file=sys.stderr)
        return 2
    for message in failures:
        print("FAIL %s" % message)
    if failures:
        return 1
    print("ok: %s (%d help topics)" % (check, len(topics)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
