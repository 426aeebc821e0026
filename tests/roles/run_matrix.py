#!/usr/bin/env python3
"""run_matrix.py - check the documented role matrix (docs/roles.md) against
the code and against the built CLI.

usage: run_matrix.py LEADVAULT ROLES_MD SOURCE_DIR

Static checks (no vault):
  - every CLI command (from `leadvault --help`) has exactly one row in the
    role matrix of ROLES_MD, and no row names a command that does not exist;
  - each row's yes/no cells equal the roles of its POLICY_* action in
    matrix[] of SOURCE_DIR/vault/policy.c ("none" rows: yes for every role);
  - the lv_* function a row names checks exactly that POLICY_* action
    (its body, and the static helpers it calls, in SOURCE_DIR/vault/*.c);
  - the table of denial names equals the names in matrix[];
  - the default purposes table equals default_purposes[] of
    SOURCE_DIR/vault/purpose.c.

Dynamic checks (a vault per role, KDF at the floor):
  - every row x role: the command, run as a user of that role with
    arguments that make it succeed, exits 0 for "yes" and exits 5 (with a
    "denied" message) for "no"; destructive commands act on objects made
    fresh for the attempt;
  - `purpose list --json` of a new vault equals the default purposes table;
  - every default purpose x role: `lead get --purpose P` exits 0 and
    reveals exactly the documented fields when the role is among the
    purpose's roles, else exits 5; a consent-based purpose is denied for a
    lead without consent, any other basis is not.

Exit 0 when everything holds, 1 when a check failed, 2 on a setup error.
LV_TEST_KEEP=1 keeps the working directory.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROLES = ["admin", "sales", "compliance", "auditor"]
KDF = ["--kdf-memory", "19", "--kdf-iterations", "2"]
FIELDS = ["first_name", "last_name", "email", "phone", "company", "title", "website",
          "address", "notes", "email2", "phone2"]
EXIT_DENIED = 5

failures = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
        print("FAIL: " + what, flush=True)
    return ok


def die(message):
    print("run_matrix: " + message, file=sys.stderr, flush=True)
    sys.exit(2)


# ---- markdown ---------------------------------------------------------------

def md_tables(text):
    """Every pipe table of a markdown text: a list of (header, rows)."""
    tables, block = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if len(block) >= 2:
            cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in block]
            if all(re.fullmatch(r":?-+:?", c) for c in cells[1]):
                tables.append((cells[0], cells[2:]))
        block = []
    return tables


def find_table(tables, *columns):
    for header, rows in tables:
        if all(c in header for c in columns):
            return header, rows
    die("no table with columns %s in the roles document" % ", ".join(columns))


def unquote(cell):
    return cell.replace("`", "").strip()


def parse_matrix(tables):
    header, rows = find_table(tables, "Command", "Library call", "Policy action", *ROLES)
    matrix = []
    for row in rows:
        if len(row) != len(header):
            die("matrix row has %d cells, header %d: %r" % (len(row), len(header), row))
        cell = dict(zip(header, row))
        entry = {"command": unquote(cell["Command"]), "call": unquote(cell["Library call"])}
        policy = re.search(r"POLICY_[A-Z_]+", cell["Policy action"])
        entry["policy"] = policy.group(0) if policy else None
        if policy is None and not cell["Policy action"].startswith("none"):
            die("policy action of %s is neither POLICY_* nor none" % entry["command"])
        entry["allowed"] = {}
        for role in ROLES:
            value = cell[role].lower()
            if value not in ("yes", "no"):
                die("cell %s / %s is %r, not yes or no" % (entry["command"], role, cell[role]))
            entry["allowed"][role] = value == "yes"
        matrix.append(entry)
    return matrix


def parse_purposes(tables):
    header, rows = find_table(tables, "Purpose", "Basis", "Roles", "Fields")
    purposes = []
    for row in rows:
        cell = dict(zip(header, row))
        fields = [f.strip() for f in unquote(cell["Fields"]).split(",")]
        purposes.append({"name": unquote(cell["Purpose"]), "basis": unquote(cell["Basis"]),
                         "roles": {r.strip() for r in unquote(cell["Roles"]).split(",")},
                         "fields": set(fields)})
    return purposes


def parse_denial_names(tables):
    header, rows = find_table(tables, "Policy action", "Name in denial messages")
    return {unquote(r[0]): r[1].strip() for r in rows}


# ---- C sources --------------------------------------------------------------

ROLE_LETTERS = {"A": "admin", "S": "sales", "C": "compliance", "U": "auditor"}


def strip_comments(code):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", code, flags=re.S)


def parse_policy_c(path):
    code = strip_comments(open(path).read())
    body = re.search(r"matrix\[POLICY_ACTION_COUNT\]\s*=\s*\{(.*?)\n\};", code, re.S)
    if not body:
        die("no matrix[] in %s" % path)
    out = {}
    for name, text, roles in re.findall(r'\[(POLICY_\w+)\]\s*=\s*\{\s*"([^"]*)"\s*,\s*([^}]*)\}',
                                        body.group(1)):
        out[name] = {"name": text,
                     "roles": {ROLE_LETTERS[r.strip()] for r in roles.split("|") if r.strip()}}
    if not out:
        die("matrix[] of %s has no entries" % path)
    return out


def c_functions(source_dir):
    """name -> (body, file) of every function defined in vault/*.c."""
    functions = {}
    vault_dir = os.path.join(source_dir, "vault")
    for file in sorted(os.listdir(vault_dir)):
        if not file.endswith(".c"):
            continue
        code = strip_comments(open(os.path.join(vault_dir, file)).read())
        for m in re.finditer(r"^[A-Za-z_][\w \*]*?\b(\w+)\s*\([^;{]*?\)\s*\{", code, re.M | re.S):
            depth, i = 1, m.end()
            while depth and i < len(code):
                depth += {"{": 1, "}": -1}.get(code[i], 0)
                i += 1
            functions.setdefault(m.group(1), (code[m.end():i], file))
    return functions


def policies_checked(functions, name, depth=3):
    """POLICY_* constants in a function's body and in the same file's helpers
    it calls (a few levels deep; other lv_* entry points are not followed)."""
    if name not in functions:
        return None
    body, file = functions[name]
    found = set(re.findall(r"\bPOLICY_[A-Z_]+\b", body)) - {"POLICY_ACTION_COUNT"}
    if depth > 0:
        for callee in set(re.findall(r"\b([a-z_]\w*)\s*\(", body)):
            if callee == name or callee.startswith("lv_") or callee not in functions:
                continue
            if functions[callee][1] != file:
                continue
            found |= policies_checked(functions, callee, depth - 1) or set()
    return found


def parse_default_purposes(path):
    code = strip_comments(open(path).read())
    body = re.search(r"default_purposes\[\]\s*=\s*\{(.*?)\n\};", code, re.S)
    if not body:
        die("no default_purposes[] in %s" % path)
    out = []
    for name, basis, fields, roles in re.findall(
            r'\{\s*"(\w+)"\s*,\s*LV_BASIS_(\w+)\s*,\s*([^,]+?)\s*,\s*([^}]+?)\s*\}', body.group(1)):
        if fields.strip() == "LV_FIELD_MASK_ALL":
            field_set = set(FIELDS)
        else:
            field_set = {f.lower() for f in re.findall(r"F\((\w+)\)", fields)}
        out.append({"name": name, "basis": basis.lower(), "fields": field_set,
                    "roles": {r.lower() for r in re.findall(r"R\((\w+)\)", roles)}})
    return out


# ---- the CLI ----------------------------------------------------------------

class Cli:
    def __init__(self, binary, work):
        self.binary = binary
        self.work = work
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LEADVAULT_")}
        self.env["LC_ALL"] = "C.UTF-8"
        self.runs = 0

    def run(self, args, vault=None, user=None, passfile=None):
        argv = [self.binary]
        if vault is not None:
            argv += ["--vault", vault]
        if user is not None:
            argv += ["--user", user]
        if passfile is not None:
            argv += ["--passphrase-file", passfile]
        argv += args
        self.runs += 1
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, cwd=self.work,
                           env=self.env, timeout=120, start_new_session=True)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8",
                                                                                "replace")


def cli_commands(cli):
    """Every command and subcommand the CLI's --help lists."""
    rc, out, _ = cli.run(["--help"])
    if rc != 0:
        die("leadvault --help exited %d" % rc)
    commands = set()
    section = False
    for line in out.splitlines():
        if line.startswith("commands:"):
            section = True
            continue
        if section and not line.strip():
            break
        if not section or not re.match(r"  [a-z]", line):
            continue
        usage = re.split(r"\s{2,}", line.strip())[0]
        for part in usage.split(", "):
            words = part.split()
            top = words[0]
            if top in ("help", "version", "serve", "login", "logout"):
                continue
            if len(words) > 1 and re.fullmatch(r"[a-z]+(\|[a-z]+)+", words[1]):
                commands |= {top + " " + sub for sub in words[1].split("|")}
            elif len(words) > 1 and re.fullmatch(r"[a-z]+", words[1]):
                commands.add(top + " " + words[1])
            else:
                commands.add(top)
    return commands


class Vaults:
    """The base vault (admin alice and one user per role) and its copies."""

    USERS = {"admin": "alice", "sales": "sam", "compliance": "cora", "auditor": "audrey"}

    def __init__(self, cli, work):
        self.cli = cli
        self.work = work
        self.n = 0

    def path(self, name):
        return os.path.join(self.work, name)

    def passfile(self, user):
        return self.path(user + ".pass")

    def new_passfile(self, user):
        with open(self.passfile(user), "w") as f:
            f.write("%s passphrase %d\n" % (user, os.getpid()))
        return self.passfile(user)

    def unique(self, prefix):
        self.n += 1
        return "%s%d" % (prefix, self.n)

    def as_user(self, vault, user, args):
        return self.cli.run(args, vault=vault, user=user, passfile=self.passfile(user))

    def admin(self, vault, args):
        """Run as alice; a failure is a setup error. Returns stdout, stripped."""
        rc, out, err = self.as_user(vault, "alice", args)
        if rc != 0:
            die("setup: leadvault %s exited %d: %s" % (" ".join(args), rc, err.strip()))
        return out.strip()

    def add_lead(self, vault, **fields):
        if not fields:
            fields = {"first_name": "Fresh", "email": self.unique("fresh") + "@example.com"}
        args = ["lead", "add"]
        for k, v in fields.items():
            args += ["--" + k.replace("_", "-"), v]
        return self.admin(vault, args)


def full_lead_fields(tag):
    return {"first_name": "Lena", "last_name": "Matrix", "email": tag + "@example.com",
            "phone": "+49 30 1234567", "company": "Matrix GmbH", "title": "CTO",
            "website": "https://example.com", "address": "Hauptstr. 1, Berlin",
            "notes": "private notes", "email2": tag + ".two@example.com",
            "phone2": "+49 30 7654321"}


def build_base(v, purposes):
    base = v.path("base.lv")
    v.new_passfile("alice")
    rc, _, err = v.cli.run(["init", "--admin", "alice"] + KDF, vault=base,
                           passfile=v.passfile("alice"))
    if rc != 0:
        die("init: %s" % err.strip())
    for role in ROLES:
        user = Vaults.USERS[role]
        if user == "alice":
            continue
        v.new_passfile(user)
        v.admin(base, ["user", "add", user, "--role", role, "--new-passphrase-file",
                       v.passfile(user)] + KDF)
    # The lead every read uses: all fields, consent for every consent purpose.
    lead = v.add_lead(base, **full_lead_fields("lena"))
    for p in purposes:
        if p["basis"] == "consent":
            v.admin(base, ["consent", "grant", lead, p["name"], "--evidence",
                           "signup form, checkbox " + p["name"]])
    # A lead without any consent.
    bare = v.add_lead(base, **full_lead_fields("bare"))
    # An erased person (suppression list) and the receipt of the erasure.
    gone = v.add_lead(base, first_name="Gone", email="gone@example.com")
    v.admin(base, ["erase", gone, "--request", "REQ-GONE", "--receipt", v.path("receipt.json")])
    # The source of every restore: a backup of the base vault.
    v.admin(base, ["backup", "--out", v.path("restore-source.lv")])
    return base, lead, bare


# ---- the rows ---------------------------------------------------------------
# Each function gets (v, vault, role, user, ctx), may prepare fresh objects
# as alice, and returns (vault, user, args) to run as the role's user.

def reveal_purpose(role, purposes):
    """A purpose the role may use (non-consent first), else sales_followup."""
    usable = [p for p in purposes if role in p["roles"]]
    usable.sort(key=lambda p: p["basis"] == "consent")
    return usable[0]["name"] if usable else "sales_followup"


def r_init(v, vault, role, user, ctx):
    return None, None, ["--passphrase-file", v.passfile(user), "--vault",
                        v.path(v.unique("init-") + ".lv"), "init", "--admin", user] + KDF


def r_user_add(v, vault, role, user, ctx):
    return vault, user, ["user", "add", v.unique("newuser"), "--role", "sales",
                         "--new-passphrase-file", v.passfile(user)] + KDF


def r_user_remove(v, vault, role, user, ctx):
    victim = v.unique("victim")
    v.admin(vault, ["user", "add", victim, "--role", "sales", "--new-passphrase-file",
                    v.passfile("alice")] + KDF)
    return vault, user, ["user", "remove", victim]


def r_user_role(v, vault, role, user, ctx):
    victim = v.unique("rolechange")
    v.admin(vault, ["user", "add", victim, "--role", "sales", "--new-passphrase-file",
                    v.passfile("alice")] + KDF)
    return vault, user, ["user", "role", victim, "compliance"]


def r_user_passwd(v, vault, role, user, ctx):
    # A fresh user of the role changes their own passphrase.
    fresh = v.unique("pw" + role)
    v.new_passfile(fresh)
    v.admin(vault, ["user", "add", fresh, "--role", role, "--new-passphrase-file",
                    v.passfile(fresh)] + KDF)
    new = v.path(fresh + ".new")
    with open(new, "w") as f:
        f.write("a new passphrase for %s\n" % fresh)
    return vault, fresh, ["user", "passwd", "--new-passphrase-file", new]


def r_lead_add(v, vault, role, user, ctx):
    return vault, user, ["lead", "add", "--first-name", "Ann", "--email",
                         v.unique("add") + "@example.com"]


def r_lead_update(v, vault, role, user, ctx):
    return vault, user, ["lead", "update", v.add_lead(vault), "--company", "Updated Co"]


def r_lead_get(v, vault, role, user, ctx):
    return vault, user, ["lead", "get", ctx["lead"], "--purpose",
                         reveal_purpose(role, ctx["purposes"])]


def r_lead_find(v, vault, role, user, ctx):
    return vault, user, ["lead", "find", "--email", "lena@example.com", "--purpose",
                         reveal_purpose(role, ctx["purposes"])]


def r_lead_search(v, vault, role, user, ctx):
    return vault, user, ["lead", "search", "lena matrix", "--purpose",
                         reveal_purpose(role, ctx["purposes"])]


def r_lead_assign(v, vault, role, user, ctx):
    return vault, user, ["lead", "assign", v.add_lead(vault), "sam"]


def r_purpose_add(v, vault, role, user, ctx):
    return vault, user, ["purpose", "add", v.unique("qa_added_"), "--basis",
                         "legitimate_interest", "--fields", "company", "--roles", "sales"]


def r_purpose_retire(v, vault, role, user, ctx):
    name = v.unique("qa_retire_")
    v.admin(vault, ["purpose", "add", name, "--basis", "consent", "--fields", "company",
                    "--roles", "sales"])
    return vault, user, ["purpose", "retire", name]


def r_consent_grant(v, vault, role, user, ctx):
    return vault, user, ["consent", "grant", v.add_lead(vault), "email_marketing", "--evidence",
                         "web form 2026-01-05", "--notice-version", "v3"]


def r_consent_withdraw(v, vault, role, user, ctx):
    lead = v.add_lead(vault)
    v.admin(vault, ["consent", "grant", lead, "email_marketing", "--evidence", "web form"])
    return vault, user, ["consent", "withdraw", lead, "email_marketing", "--reason",
                         "asked to stop"]


def r_consent_import(v, vault, role, user, ctx):
    email = v.unique("consenting") + "@example.com"
    v.add_lead(vault, first_name="Cora", email=email)
    csv = v.path(v.unique("consent-") + ".csv")
    with open(csv, "w") as f:
        f.write("email,purpose,action,evidence\n%s,email_marketing,grant,web form\n" % email)
    return vault, user, ["consent", "import", csv]


def r_erase(v, vault, role, user, ctx):
    return vault, user, ["erase", v.add_lead(vault), "--request", v.unique("REQ-")]


def r_suppress_remove(v, vault, role, user, ctx):
    email = v.unique("suppressed") + "@example.com"
    lead = v.add_lead(vault, first_name="Sup", email=email)
    v.admin(vault, ["erase", lead, "--request", v.unique("REQ-")])
    return vault, user, ["suppress", "remove", "--email", email]


def r_hold_set(v, vault, role, user, ctx):
    return vault, user, ["hold", "set", v.add_lead(vault), "--reason", v.unique("case LIT-")]


def r_hold_clear(v, vault, role, user, ctx):
    lead = v.add_lead(vault)
    v.admin(vault, ["hold", "set", lead, "--reason", "case LIT-1"])
    return vault, user, ["hold", "clear", lead]


def r_retention_add(v, vault, role, user, ctx):
    return vault, user, ["retention", "add", v.unique("qa_rule_"), "--stage", "lost",
                         "--older-than", "3650d"]


def r_retention_remove(v, vault, role, user, ctx):
    name = v.unique("qa_rule_")
    v.admin(vault, ["retention", "add", name, "--stage", "lost", "--older-than", "3650d"])
    return vault, user, ["retention", "remove", name]


def r_subject_export(v, vault, role, user, ctx):
    return vault, user, ["subject", "export", ctx["lead"], "--request", v.unique("SAR-"),
                         "--out", v.path(v.unique("subject-") + ".json")]


def r_restore(v, vault, role, user, ctx):
    # Restore into a fresh copy of the role's vault.
    target = v.path(v.unique("restore-target-") + ".lv")
    v.admin(vault, ["backup", "--out", target])
    return target, user, ["restore", v.path("restore-source.lv")]


def r_import(v, vault, role, user, ctx):
    csv = v.path(v.unique("import-") + ".csv")
    with open(csv, "w") as f:
        f.write("first_name,email\nImre,%s@example.com\n" % v.unique("imported"))
    return vault, user, ["import", csv]


def simple(*args):
    def row(v, vault, role, user, ctx):
        return vault, user, [a(v) if callable(a) else a for a in args]
    return row


ROWS = {
    "init": r_init,
    "user add": r_user_add,
    "user list": simple("user", "list"),
    "user remove": r_user_remove,
    "user passwd": r_user_passwd,
    "user role": r_user_role,
    # on a vault of the current format an admin's upgrade has nothing to do
    "upgrade": simple("upgrade"),
    "rekey": simple("rekey"),
    "lead add": r_lead_add,
    "lead update": r_lead_update,
    "lead get": r_lead_get,
    "lead find": r_lead_find,
    "lead search": r_lead_search,
    "lead list": simple("lead", "list"),
    "lead assign": r_lead_assign,
    "check": simple("check"),
    "stats": simple("stats"),
    "purpose add": r_purpose_add,
    "purpose list": simple("purpose", "list"),
    "purpose retire": r_purpose_retire,
    "consent grant": r_consent_grant,
    "consent withdraw": r_consent_withdraw,
    "consent import": r_consent_import,
    "consent show": lambda v, vault, role, user, ctx: (vault, user,
                                                       ["consent", "show", ctx["lead"]]),
    "audit show": simple("audit", "show"),
    "audit export": simple("audit", "export", "--out",
                           lambda v: v.path(v.unique("audit-") + ".jsonl")),
    "audit actions": simple("audit", "actions"),
    "audit pubkey": simple("audit", "pubkey"),
    "audit checkpoint": simple("audit", "checkpoint"),
    "audit verify": simple("audit", "verify"),
    "erase": r_erase,
    "suppress check": simple("suppress", "check", "--email", "gone@example.com"),
    "suppress remove": r_suppress_remove,
    "receipt verify": simple("receipt", "verify", lambda v: v.path("receipt.json")),
    "hold set": r_hold_set,
    "hold clear": r_hold_clear,
    "hold list": simple("hold", "list"),
    "retention add": r_retention_add,
    "retention list": simple("retention", "list"),
    "retention remove": r_retention_remove,
    "retention plan": simple("retention", "plan"),
    "retention run": simple("retention", "run", "--request", lambda v: v.unique("RET-")),
    "subject export": r_subject_export,
    "backup": simple("backup", "--out", lambda v: v.path(v.unique("backup-") + ".lv")),
    "restore": r_restore,
    "import": r_import,
    "export": lambda v, vault, role, user, ctx: (
        vault, user, ["export", "--purpose", reveal_purpose(role, ctx["purposes"]), "--out",
                      v.path(v.unique("export-") + ".csv")]),
    "setting set": simple("setting", "set", "dpo_contact", "dpo@example.org"),
    "setting list": simple("setting", "list"),
}
for _kind in ("processing", "access", "consent", "retention", "erasure"):
    ROWS["report " + _kind] = simple("report", _kind, "--format", "json", "--out",
                                     lambda v, k=_kind: v.path(v.unique("report-" + k) + ".json"))


# ---- the checks ---------------------------------------------------------------

def static_checks(matrix, purposes, denial_names, source_dir, cli):
    commands = [row["command"] for row in matrix]
    for c in sorted({c for c in commands if commands.count(c) > 1}):
        check(False, "matrix: command %s has more than one row" % c)
    documented = set(commands)
    listed = cli_commands(cli)
    for c in sorted(listed - documented):
        check(False, "matrix: `leadvault --help` lists %r, which has no row" % c)
    for c in sorted(documented - listed):
        check(False, "matrix: row %r is no command of `leadvault --help`" % c)
    for c in sorted(documented):
        rc, _, _ = cli.run(["help"] + c.split())
        check(rc == 0, "matrix: `leadvault help %s` exited %d" % (c, rc))
    for c in sorted(documented - set(ROWS)):
        check(False, "matrix: this test has no way to run %r" % c)

    code = parse_policy_c(os.path.join(source_dir, "vault", "policy.c"))
    functions = c_functions(source_dir)
    used = set()
    for row in matrix:
        where = "matrix row %s" % row["command"]
        allowed = {r for r in ROLES if row["allowed"][r]}
        if row["policy"] is None:
            check(allowed == set(ROLES), "%s: no policy action, but not yes for every role" % where)
        elif row["policy"] not in code:
            check(False, "%s: %s is not in matrix[] of vault/policy.c" % (where, row["policy"]))
        else:
            used.add(row["policy"])
            check(allowed == code[row["policy"]]["roles"],
                  "%s: table says %s, vault/policy.c %s says %s"
                  % (where, sorted(allowed), row["policy"], sorted(code[row["policy"]]["roles"])))
        found = policies_checked(functions, row["call"])
        if found is None:
            check(False, "%s: no function %s in vault/*.c" % (where, row["call"]))
            continue
        expected = {row["policy"]} if row["policy"] else set()
        check(found == expected, "%s: %s checks %s, the table says %s"
              % (where, row["call"], sorted(found) or "no policy action",
                 row["policy"] or "none"))
    for action in sorted(set(code) - used):
        check(False, "matrix: %s of vault/policy.c is used by no documented command" % action)
    check(denial_names == {k: v["name"] for k, v in code.items()},
          "denial names table differs from matrix[]: doc %r, code %r"
          % (denial_names, {k: v["name"] for k, v in code.items()}))

    defaults = parse_default_purposes(os.path.join(source_dir, "vault", "purpose.c"))
    doc = {p["name"]: p for p in purposes}
    src = {p["name"]: p for p in defaults}
    check(set(doc) == set(src), "default purposes: doc %s, vault/purpose.c %s"
          % (sorted(doc), sorted(src)))
    for name in sorted(set(doc) & set(src)):
        for key in ("basis", "roles", "fields"):
            d, c = doc[name][key], src[name][key]
            check(d == c, "default purpose %s: %s is %s in the doc, %s in vault/purpose.c"
                  % (name, key, sorted(d) if isinstance(d, set) else d,
                     sorted(c) if isinstance(c, set) else c))


def matrix_checks(matrix, v, base, ctx):
    for role in ROLES:
        vault = v.path("role-%s.lv" % role)
        v.admin(base, ["backup", "--out", vault])
        started = time.monotonic()
        for row in matrix:
            if row["command"] not in ROWS:
                continue
            run_vault, run_user, args = ROWS[row["command"]](v, vault, role, Vaults.USERS[role],
                                                            ctx)
            if run_user is None:
                rc, out, err = v.cli.run(args, vault=run_vault)
            else:
                rc, out, err = v.as_user(run_vault, run_user, args)
            what = "%s as %s (leadvault %s)" % (row["command"], role, " ".join(args))
            if row["allowed"][role]:
                check(rc == 0, "%s: documented yes, exited %d: %s" % (what, rc, err.strip()))
            else:
                check(rc == EXIT_DENIED and "denied" in err,
                      "%s: documented no, exited %d (expected %d): %s"
                      % (what, rc, EXIT_DENIED, err.strip()))
        print("role %-10s %d rows in %.1f s" % (role, len(matrix), time.monotonic() - started),
              flush=True)


def purpose_checks(matrix, purposes, v, base, lead, bare):
    rc, out, err = v.as_user(base, "alice", ["--json", "purpose", "list"])
    if check(rc == 0, "purpose list --json exited %d: %s" % (rc, err.strip())):
        listed = {p["name"]: p for p in json.loads(out)["purposes"]}
        for p in purposes:
            got = listed.get(p["name"])
            if not check(got is not None, "purpose %s is not in a new vault" % p["name"]):
                continue
            check(got["basis"] == p["basis"], "purpose %s: basis %s, documented %s"
                  % (p["name"], got["basis"], p["basis"]))
            check(set(got["roles"].split(",")) == p["roles"], "purpose %s: roles %s, "
                  "documented %s" % (p["name"], got["roles"], sorted(p["roles"])))
            check(set(got["fields"].split(",")) == p["fields"], "purpose %s: fields %s, "
                  "documented %s" % (p["name"], got["fields"], sorted(p["fields"])))
            check(got.get("retired") is None, "purpose %s is retired in a new vault" % p["name"])
        extra = set(listed) - {p["name"] for p in purposes}
        check(not extra, "a new vault has undocumented purposes %s" % sorted(extra))

    reveal = next(r for r in matrix if r["command"] == "lead get")["allowed"]
    for p in purposes:
        for role in ROLES:
            user = Vaults.USERS[role]
            rc, out, err = v.as_user(base, user, ["--json", "lead", "get", lead, "--purpose",
                                                  p["name"]])
            what = "lead get --purpose %s as %s" % (p["name"], role)
            if reveal[role] and role in p["roles"]:
                if check(rc == 0, "%s: documented allowed, exited %d: %s"
                         % (what, rc, err.strip())):
                    got = set(json.loads(out)["fields"])
                    check(got == p["fields"], "%s: revealed %s, documented %s"
                          % (what, sorted(got), sorted(p["fields"])))
            else:
                check(rc == EXIT_DENIED, "%s: documented denied, exited %d: %s"
                      % (what, rc, err.strip()))
        # The basis: a lead without consent.
        role = next((r for r in ROLES if reveal[r] and r in p["roles"]), None)
        if role is None:
            continue
        rc, _, err = v.as_user(base, Vaults.USERS[role], ["lead", "get", bare, "--purpose",
                                                          p["name"]])
        what = "lead get --purpose %s (basis %s) as %s, lead without consent" % (
            p["name"], p["basis"], role)
        if p["basis"] == "consent":
            check(rc == EXIT_DENIED and "no active consent" in err,
                  "%s: exited %d, expected 5: %s" % (what, rc, err.strip()))
        else:
            check(rc == 0, "%s: exited %d, expected 0: %s" % (what, rc, err.strip()))


def scope_checks(v, base, lead):
    """A sales user with --scope own, on the base vault: every reveal of the
    base lead (owned by alice) is refused or leaves it out, and audited;
    the same reveals of a lead the user owns go through."""
    vault = v.path("scoped.lv")
    v.admin(base, ["backup", "--out", vault])
    v.new_passfile("sid")
    v.admin(vault, ["user", "add", "sid", "--role", "sales", "--scope", "own",
                    "--new-passphrase-file", v.passfile("sid")] + KDF)
    own = v.add_lead(vault, first_name="Sid", last_name="Owned", email="sid.own@example.com",
                     owner="sid")
    attempts = [
        ("lead get", ["lead", "get", lead, "--purpose", "sales_followup"], EXIT_DENIED),
        ("lead find", ["lead", "find", "--email", "lena@example.com", "--purpose",
                       "sales_followup"], EXIT_DENIED),
        ("lead update", ["lead", "update", lead, "--company", "Taken"], EXIT_DENIED),
        ("lead search", ["lead", "search", "lena matrix", "--purpose", "sales_followup"], 4),
    ]
    for name, args, expected in attempts:
        rc, out, err = v.as_user(vault, "sid", args)
        check(rc == expected and "Lena" not in out,
              "scoped sales user, %s of another user's lead: exited %d (expected %d): %s"
              % (name, rc, expected, err.strip()))
    rc, out, err = v.as_user(vault, "sid", ["--json", "lead", "list", "--purpose",
                                            "sales_followup", "--show", "first_name"])
    check(rc == 0 and [l["id"] for l in json.loads(out)["leads"]] == [own],
          "scoped sales user, lead list --show: exited %d, listed %s" % (rc, out.strip()))
    csv = v.path("scoped-export.csv")
    rc, _, err = v.as_user(vault, "sid", ["export", "--purpose", "sales_followup", "--out", csv])
    rows = open(csv).read().splitlines() if rc == 0 else []
    check(rc == 0 and len(rows) == 2 and own in rows[1],
          "scoped sales user, export: exited %d, rows %s" % (rc, rows))
    for args in (["lead", "get", own, "--purpose", "sales_followup"],
                 ["lead", "search", "sid owned", "--purpose", "sales_followup"],
                 ["lead", "find", "--email", "sid.own@example.com", "--purpose",
                  "sales_followup"]):
        rc, out, err = v.as_user(vault, "sid", args)
        check(rc == 0 and "Sid" in out, "scoped sales user, %s of their own lead: exited %d: %s"
              % (args[1], rc, err.strip()))
    rc, out, _ = v.as_user(vault, "cora", ["--json", "audit", "show", "--user", "sid"])
    denied = [e["action"] for e in json.loads(out)["entries"] if e["outcome"] == "denied"]
    check(rc == 0 and sorted(denied) == ["lead.find.email", "lead.get", "lead.update"],
          "scoped sales user: denied entries in the audit log %s" % denied)


def main():
    if len(sys.argv) != 4:
        die("usage: run_matrix.py LEADVAULT ROLES_MD SOURCE_DIR")
    binary = os.path.abspath(sys.argv[1])
    doc = open(sys.argv[2], encoding="utf-8").read()
    source_dir = os.path.abspath(sys.argv[3])
    tables = md_tables(doc)
    matrix = parse_matrix(tables)
    purposes = parse_purposes(tables)
    denial_names = parse_denial_names(tables)
    if "a test checks this table against the code" not in doc.lower():
        check(False, "the roles document no longer says that a test checks the table")

    work = tempfile.mkdtemp(prefix="leadvault-roles.")
    started = time.monotonic()
    try:
        cli = Cli(binary, work)
        static_checks(matrix, purposes, denial_names, source_dir, cli)
        v = Vaults(cli, work)
        base, lead, bare = build_base(v, purposes)
        ctx = {"lead": lead, "purposes": purposes}
        matrix_checks(matrix, v, base, ctx)
        purpose_checks(matrix, purposes, v, base, lead, bare)
        scope_checks(v, base, lead)
    finally:
        if os.environ.get("LV_TEST_KEEP") == "1":
            print("(kept %s)" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("%d rows x %d roles, %d purposes; %d checks, %d leadvault runs, %.1f s; %d failed"
          % (len(matrix), len(ROLES), len(purposes), checks, cli.runs,
             time.monotonic() - started, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
