#!/usr/bin/env python3
"""api_matrix.py - the role matrix of docs/roles.md through the HTTP API of
`leadvault serve` (issue 16, acceptance 3: a session cannot reach what its
role forbids through any endpoint).

usage: api_matrix.py LEADVAULT ROLES_MD SOURCE_DIR

- The endpoints are read from the server's route table (endpoints[] in
  SOURCE_DIR/server/handlers.c). Each must be in ENDPOINTS below, which
  names the role-matrix row (docs/roles.md) whose rules it follows and
  builds a request that succeeds for a role the row allows; an endpoint of
  the table missing here, or one here missing from the table, fails the
  test. Every row of the matrix must be reached by an endpoint, except the
  commands that run on the client or the vault file only (LOCAL_ROWS).
- Every endpoint x role (admin, sales, compliance, auditor), with a session
  of that role: a "yes" of the row answers 200; a "no" answers 403 with
  the error body {"code": "denied", "exit": 5, "message": "denied: role R
  may not NAME"} (NAME: the row's policy action as docs/roles.md names it).
- The audit log of each refusal: the entries the refused request added
  (read from the vault file, read-only) are the denial entries that the
  same command of the row, run by the local CLI on a copy of the same vault
  as the same user, adds (action, outcome `denied`, actor): one each where
  the library audits the refusal, none where it does not.

The vault is tests/roles/run_matrix.py's (build_base: a user per role,
leads, consents, an erasure and its receipt); its row functions run the
local CLI side. Exit 0 when everything holds, 1 when a check failed, 2 on
a setup error. LV_TEST_KEEP=1 keeps the working directory.
"""
import base64
import http.client
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("run_matrix", os.path.join(HERE, "run_matrix.py"))
rm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rm)

ROLES = rm.ROLES
USERS = rm.Vaults.USERS
ROLE_NUMBER = {"admin": 1, "sales": 2, "compliance": 3, "auditor": 4}
FIELD_BIT = {name: 1 << i for i, name in enumerate(rm.FIELDS)}
KDF = {"memory_kib": 19 * 1024, "iterations": 2, "parallelism": 0}

# Rows of docs/roles.md that no endpoint serves, and why.
LOCAL_ROWS = {
    "init": "creates a vault file: refused with --server (tests/cli/cases/server_local_only.t)",
    "upgrade": "changes the vault file's format: refused with --server",
    "audit actions": "the list of action names is the client's own (no vault call)",
}

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
    print("api_matrix: " + message, file=sys.stderr, flush=True)
    sys.exit(2)


def route_table(source_dir):
    """The paths of endpoints[] in server/handlers.c."""
    code = rm.strip_comments(open(os.path.join(source_dir, "server", "handlers.c")).read())
    body = re.search(r"static const endpoint endpoints\[\]\s*=\s*\{(.*?)\n\};", code, re.S)
    if not body:
        die("no endpoints[] in server/handlers.c")
    paths = re.findall(r'\{\s*"(/v1/[^"]*)"\s*,', body.group(1))
    if not paths:
        die("endpoints[] of server/handlers.c lists no endpoint")
    return paths


# ---- the server ---------------------------------------------------------------

class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=120):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class Api:
    def __init__(self, binary, vault, work):
        self.sock = os.path.join(work, "api.sock")
        self.vault = vault
        self.log = os.path.join(work, "server.log")
        out = os.path.join(work, "server.out")
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEADVAULT_")}
        self.proc = subprocess.Popen([binary, "--vault", vault, "serve", "--socket", self.sock],
                                     stdout=open(out, "w"), stderr=open(self.log, "w"), env=env)
        for _ in range(400):
            if "listening on" in open(out).read():
                return
            if self.proc.poll() is not None:
                die("serve exited %d: %s" % (self.proc.returncode, open(self.log).read()))
            time.sleep(0.05)
        die("serve did not start")

    def call(self, path, body, token=None):
        conn = UnixHTTPConnection(self.sock)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        method = "GET" if path == "/v1/health" else "POST"
        conn.request(method, path, body=None if method == "GET" else json.dumps(body).encode(),
                     headers=headers)
        resp = conn.getresponse()
        text = resp.read()
        conn.close()
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        return resp.status, doc

    def ok(self, path, body, token):
        """A call that must succeed (test setup)."""
        st, doc = self.call(path, body, token)
        if st != 200:
            die("setup: %s %s answered %d %s" % (path, json.dumps(body)[:200], st, doc))
        return doc

    def login(self, user, passphrase):
        return self.ok("/v1/login", {"user": user, "passphrase": passphrase}, None)["token"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait()
            check(rc == 0, "serve exited %d after SIGTERM" % rc)


def passphrase_of(v, user):
    with open(v.passfile(user)) as f:
        return f.read().rstrip("\n")


def audit_tail(vault):
    """The last seq of the audit log (read-only; the server keeps writing)."""
    db = sqlite3.connect("file:%s?mode=ro" % vault, uri=True, timeout=30)
    try:
        return db.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0]
    finally:
        db.close()


def denials_since(vault, seq):
    db = sqlite3.connect("file:%s?mode=ro" % vault, uri=True, timeout=30)
    try:
        rows = db.execute("SELECT action, outcome, actor FROM audit WHERE seq > ? AND "
                          "outcome = 'denied' ORDER BY seq", (seq,)).fetchall()
    finally:
        db.close()
    return [tuple(r) for r in rows]


# ---- the endpoints ------------------------------------------------------------
# Each builder gets (x, role) -- x the test's context: x.api, x.admin (an
# admin session for setup), x.unique(), x.lead -- and returns (body, token
# or None for the role's session). Setup runs as admin through the API.

class Context:
    def __init__(self, v, api, work, lead):
        self.v = v
        self.api = api
        self.work = work
        self.lead = lead
        self.n = 0
        self.admin = api.login("alice", passphrase_of(v, "alice"))

    def unique(self, prefix):
        self.n += 1
        return "%s%d" % (prefix, self.n)

    def add_lead(self, **fields):
        if not fields:
            fields = {"first_name": "Fresh", "email": self.unique("apifresh") + "@example.com"}
        return self.api.ok("/v1/lead/add", {"fields": fields}, self.admin)["id"]

    def add_user(self, role="sales", name=None, passphrase="a fresh user's passphrase"):
        name = name or self.unique("apiuser")
        self.api.ok("/v1/user/add", {"name": name, "role": role, "passphrase": passphrase,
                                     "kdf": KDF}, self.admin)
        return name


def b64(text):
    return base64.b64encode(text.encode()).decode()


def e_login(x, role):
    user = USERS[role]
    return {"user": user, "passphrase": passphrase_of(x.v, user)}, None


def e_logout(x, role):
    user = USERS[role]  # a second session of the role, so the matrix's goes on
    return {}, x.api.login(user, passphrase_of(x.v, user))


def e_user_remove(x, role):
    return {"name": x.add_user()}, None


def e_user_passwd(x, role):
    name = x.add_user(role, passphrase="the old passphrase of " + role)
    token = x.api.login(name, "the old passphrase of " + role)
    return {"passphrase": "a new passphrase for " + name, "kdf": KDF}, token


def e_user_role(x, role):
    return {"name": x.add_user(), "role": "compliance"}, None


def e_lead_update(x, role):
    return {"id": x.add_lead(), "fields": {"company": "Updated Co"}}, None


def e_lead_assign(x, role):
    return {"id": x.add_lead(), "user": "sam"}, None


def e_purpose_retire(x, role):
    name = x.unique("api_retire_")
    x.api.ok("/v1/purpose/add", {"name": name, "basis": 1, "fields": FIELD_BIT["company"],
                                 "roles": 1 << ROLE_NUMBER["sales"]}, x.admin)
    return {"name": name}, None


def e_consent_withdraw(x, role):
    lead = x.add_lead()
    x.api.ok("/v1/consent/grant", {"id": lead, "purpose": "email_marketing",
                                   "evidence": "web form"}, x.admin)
    return {"id": lead, "purpose": "email_marketing", "reason": "asked to stop"}, None


def e_consent_import(x, role):
    email = x.unique("apiconsenting") + "@example.com"
    x.add_lead(first_name="Cora", email=email)
    csv = "email,purpose,action,evidence\n%s,email_marketing,grant,web form\n" % email
    return {"input": b64(csv), "input_name": "consent.csv"}, None


def e_erase(x, role):
    return {"id": x.add_lead(), "request": x.unique("REQ-API-")}, None


def e_suppress_remove(x, role):
    email = x.unique("apisuppressed") + "@example.com"
    lead = x.add_lead(first_name="Sup", email=email)
    x.api.ok("/v1/erase", {"id": lead, "request": x.unique("REQ-API-")}, x.admin)
    return {"by": "email", "value": email}, None


def e_receipt_verify(x, role):
    with open(x.v.path("receipt.json")) as f:
        return {"receipt": f.read()}, None


def e_hold_clear(x, role):
    lead = x.add_lead()
    x.api.ok("/v1/hold/set", {"id": lead, "reason": "case LIT-1"}, x.admin)
    return {"id": lead}, None


def e_retention_remove(x, role):
    name = x.unique("api_rule_")
    x.api.ok("/v1/retention/add", {"name": name, "stage": "lost",
                                   "older_than_ms": 3650 * 86400000}, x.admin)
    return {"name": name}, None


def e_import(x, role):
    csv = "first_name,email\nImre,%s@example.com\n" % x.unique("apiimported")
    return {"input": b64(csv), "input_name": "leads.csv"}, None


def fixed(body_fn):
    return lambda x, role: (body_fn(x, role), None)


def report(kind):
    return fixed(lambda x, role: {"kind": kind, "format": 3})


# path -> [(row of docs/roles.md or None when no policy applies, builder)]
ENDPOINTS = {
    "/v1/health": [(None, fixed(lambda x, r: {}))],
    "/v1/login": [(None, e_login)],
    "/v1/logout": [(None, e_logout)],
    "/v1/whoami": [(None, fixed(lambda x, r: {}))],
    "/v1/check": [("check", fixed(lambda x, r: {}))],
    "/v1/lead/add": [("lead add", fixed(lambda x, r: {"fields": {
        "first_name": "Ann", "email": x.unique("apiadd") + "@example.com"}}))],
    "/v1/lead/update": [("lead update", e_lead_update)],
    "/v1/lead/get": [("lead get", fixed(lambda x, r: {"id": x.lead, "purpose": "qa_api"}))],
    "/v1/lead/find": [("lead find", fixed(lambda x, r: {
        "by": "email", "value": "lena@example.com", "purpose": "qa_api"}))],
    "/v1/lead/search": [("lead search", fixed(lambda x, r: {
        "text": "lena matrix", "purpose": "qa_api", "limit": 10}))],
    "/v1/lead/list": [("lead list", fixed(lambda x, r: {}))],
    "/v1/lead/assign": [("lead assign", e_lead_assign)],
    "/v1/purpose/add": [("purpose add", fixed(lambda x, r: {
        "name": x.unique("api_added_"), "basis": 2, "fields": FIELD_BIT["company"],
        "roles": 1 << ROLE_NUMBER["sales"]}))],
    "/v1/purpose/retire": [("purpose retire", e_purpose_retire)],
    "/v1/purpose/list": [("purpose list", fixed(lambda x, r: {}))],
    "/v1/consent/grant": [("consent grant", fixed(lambda x, r: {
        "id": x.add_lead(), "purpose": "email_marketing", "evidence": "web form 2026-01-05",
        "notice_version": "v3"}))],
    "/v1/consent/withdraw": [("consent withdraw", e_consent_withdraw)],
    "/v1/consent/history": [("consent show", fixed(lambda x, r: {"id": x.lead}))],
    "/v1/consent/import": [("consent import", e_consent_import)],
    "/v1/user/add": [("user add", fixed(lambda x, r: {
        "name": x.unique("apinew"), "role": "sales", "passphrase": "a new user's passphrase",
        "kdf": KDF}))],
    "/v1/user/remove": [("user remove", e_user_remove)],
    "/v1/user/passwd": [("user passwd", e_user_passwd)],
    "/v1/user/list": [("user list", fixed(lambda x, r: {}))],
    "/v1/user/role": [("user role", e_user_role)],
    "/v1/rekey": [("rekey", fixed(lambda x, r: {}))],
    "/v1/stats": [("stats", fixed(lambda x, r: {}))],
    "/v1/audit/pubkey": [("audit pubkey", fixed(lambda x, r: {}))],
    "/v1/audit/checkpoint": [("audit checkpoint", fixed(lambda x, r: {}))],
    "/v1/audit/verify": [("audit verify", fixed(lambda x, r: {}))],
    "/v1/audit/show": [("audit show", fixed(lambda x, r: {"all": True}))],
    "/v1/audit/export": [("audit export", fixed(lambda x, r: {"all": True, "format": 1}))],
    "/v1/hold/set": [("hold set", fixed(lambda x, r: {
        "id": x.add_lead(), "reason": x.unique("case LIT-")}))],
    "/v1/hold/clear": [("hold clear", e_hold_clear)],
    "/v1/hold/list": [("hold list", fixed(lambda x, r: {}))],
    "/v1/setting/set": [("setting set", fixed(lambda x, r: {
        "name": "dpo_contact", "value": "dpo@example.org"}))],
    "/v1/setting/list": [("setting list", fixed(lambda x, r: {}))],
    "/v1/export": [("export", fixed(lambda x, r: {"purpose": "qa_api", "format": 2}))],
    "/v1/report": [("report processing", report(1)), ("report access", report(2)),
                   ("report consent", report(3)), ("report retention", report(4)),
                   ("report erasure", report(5))],
    "/v1/subject/export": [("subject export", fixed(lambda x, r: {
        "id": x.lead, "request": x.unique("SAR-API-"), "format": 1}))],
    "/v1/erase": [("erase", e_erase)],
    "/v1/suppress/check": [("suppress check", fixed(lambda x, r: {
        "by": "email", "value": "gone@example.com"}))],
    "/v1/suppress/remove": [("suppress remove", e_suppress_remove)],
    "/v1/receipt/verify": [("receipt verify", e_receipt_verify)],
    "/v1/retention/add": [("retention add", fixed(lambda x, r: {
        "name": x.unique("api_rule_"), "stage": "lost", "older_than_ms": 3650 * 86400000}))],
    "/v1/retention/remove": [("retention remove", e_retention_remove)],
    "/v1/retention/list": [("retention list", fixed(lambda x, r: {}))],
    "/v1/retention/plan": [("retention plan", fixed(lambda x, r: {}))],
    "/v1/retention/run": [("retention run", fixed(lambda x, r: {
        "request": x.unique("RET-API-")}))],
    "/v1/import": [("import", e_import)],
    "/v1/backup": [("backup", fixed(lambda x, r: {
        "path": x.v.path(x.unique("api-backup-") + ".lv")}))],
    "/v1/restore": [("restore", fixed(lambda x, r: {
        "path": x.v.path("restore-source.lv")}))],
}

# Run last for a role: a rekey ends every other session (docs/server.md).
LAST = ("/v1/rekey",)


# ---- the checks -----------------------------------------------------------------

def static_checks(paths, rows):
    for p in sorted(set(paths) - set(ENDPOINTS)):
        check(False, "route table: endpoint %s of server/handlers.c is not in this test's "
              "ENDPOINTS (give it its role-matrix row and a request)" % p)
    for p in sorted(set(ENDPOINTS) - set(paths)):
        check(False, "ENDPOINTS: %s is no endpoint of server/handlers.c" % p)
    check(len(paths) == len(set(paths)), "route table: a path is listed twice")
    reached = {row for p in ENDPOINTS for row, _ in ENDPOINTS[p] if row is not None}
    for row in sorted(set(rows) - reached - set(LOCAL_ROWS)):
        check(False, "docs/roles.md row %r is reached by no endpoint" % row)
    for row in sorted(reached - set(rows)):
        check(False, "ENDPOINTS names row %r, which docs/roles.md does not have" % row)
    for row in sorted(set(LOCAL_ROWS) - set(rows)):
        check(False, "LOCAL_ROWS names row %r, which docs/roles.md does not have" % row)


def local_denials(v, base, ctx, matrix):
    """(row, role) -> the denial entries the local CLI's refused command adds."""
    out = {}
    for role in ROLES:
        vault = v.path("local-%s.lv" % role)
        v.admin(base, ["backup", "--out", vault])
        for row in matrix:
            if row["allowed"][role] or row["command"] in LOCAL_ROWS:
                continue
            run_vault, run_user, args = rm.ROWS[row["command"]](v, vault, role, USERS[role], ctx)
            before = audit_tail(run_vault)
            rc, _, err = v.as_user(run_vault, run_user, args)
            check(rc == rm.EXIT_DENIED, "local %s as %s: exit %d (expected 5): %s"
                  % (row["command"], role, rc, err.strip()))
            out[(row["command"], role)] = denials_since(run_vault, before)
    return out


def api_checks(x, paths, matrix, denial_names, local):
    rows = {r["command"]: r for r in matrix}
    for role in ROLES:
        user = USERS[role]
        token = x.api.login(user, passphrase_of(x.v, user))
        started = time.monotonic()
        calls = 0
        order = [p for p in paths if p not in LAST] + [p for p in paths if p in LAST]
        for path in order:
            for row_name, build in ENDPOINTS.get(path, []):
                row = rows.get(row_name)
                allowed = row is None or row["allowed"][role]
                body, own = build(x, role)
                before = audit_tail(x.api.vault)
                st, doc = x.api.call(path, body, own or token)
                calls += 1
                what = "%s (row %s) as %s" % (path, row_name or "-", role)
                if allowed:
                    check(st == 200, "%s: the row says yes, answered %d %s"
                          % (what, st, json.dumps(doc)[:300]))
                    continue
                err = (doc or {}).get("error", {})
                expected = "denied: role %s may not %s" % (role, denial_names[row["policy"]])
                check(st == 403 and err.get("code") == "denied" and err.get("exit") == 5 and
                      expected in err.get("message", ""),
                      "%s: the row says no, answered %d %s (expected 403 denied: %r)"
                      % (what, st, json.dumps(doc)[:300], expected))
                got = denials_since(x.api.vault, before)
                want = local.get((row_name, role), [])
                check(got == want, "%s: denial entries in the audit log %s, the local CLI's %s"
                      % (what, got, want))
                check(all(a == user for _, _, a in got), "%s: denial by %s" % (what, got))
        if "/v1/rekey" in paths and rows["rekey"]["allowed"][role]:
            # The rekey ended every other session: the setup one comes back.
            x.admin = x.api.login("alice", passphrase_of(x.v, "alice"))
        print("role %-10s %d calls in %.1f s" % (role, calls, time.monotonic() - started),
              flush=True)


def main():
    if len(sys.argv) != 4:
        die("usage: api_matrix.py LEADVAULT ROLES_MD SOURCE_DIR")
    binary = os.path.abspath(sys.argv[1])
    doc = open(sys.argv[2], encoding="utf-8").read()
    source_dir = os.path.abspath(sys.argv[3])
    tables = rm.md_tables(doc)
    matrix = rm.parse_matrix(tables)
    purposes = rm.parse_purposes(tables)
    denial_names = rm.parse_denial_names(tables)
    paths = route_table(source_dir)
    static_checks(paths, [r["command"] for r in matrix])
    if failures:
        print("%d checks, %d failed" % (checks, len(failures)))
        sys.exit(1)

    work = tempfile.mkdtemp(prefix="leadvault-api-roles.")
    api = None
    started = time.monotonic()
    try:
        v = rm.Vaults(rm.Cli(binary, work), work)
        base, lead, _ = rm.build_base(v, purposes)
        # One purpose every revealing role may use, whatever the defaults.
        v.admin(base, ["purpose", "add", "qa_api", "--basis", "legitimate_interest", "--fields",
                       "first_name,email", "--roles", "admin,sales,compliance"])
        ctx = {"lead": lead, "purposes": purposes}
        local = local_denials(v, base, ctx, matrix)
        served = v.path("served.lv")
        v.admin(base, ["backup", "--out", served])
        api = Api(binary, served, work)
        x = Context(v, api, work, lead)
        api_checks(x, paths, matrix, denial_names, local)
        api.stop()
        rc, out, err = v.as_user(served, "alice", ["audit", "verify"])
        check(rc == 0, "audit verify of the served vault afterwards: %s %s" % (out, err))
    finally:
        if api is not None and api.proc.poll() is None:
            api.proc.kill()
            api.proc.wait()
        if os.environ.get("LV_TEST_KEEP") == "1":
            print("(kept %s)" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("%d endpoints x %d roles; %d checks, %.1f s; %d failed"
          % (len(paths), len(ROLES), checks, time.monotonic() - started, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
