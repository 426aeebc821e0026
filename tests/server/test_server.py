#!/usr/bin/env python3
"""test_server.py - leadvault serve over raw HTTP (python3 stdlib only).

usage: test_server.py LEADVAULT TEST     (TEST: a name below, or "all")

Each test makes a vault at the KDF floor in a temporary folder, starts
`leadvault serve` on a Unix socket there (and on loopback TCP or TLS where
the test needs it), talks to it with http.client / socket / ssl, and stops
it with SIGTERM, expecting exit 0. Exit 0 when every check held, 1 with a
message otherwise, 77 when a tool the test needs (certtool, gnutls-cli)
is missing.
"""
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

BIN = None


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=30):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class Server:
    """A vault (admin alice, user bob sales) and a running leadvault serve."""

    def __init__(self, extra=(), kdf=("--kdf-memory", "19", "--kdf-iterations", "2")):
        self.dir = tempfile.mkdtemp(prefix="leadvault-server.")
        self.vault = os.path.join(self.dir, "vault.lv")
        self.sock = os.path.join(self.dir, "s.sock")
        self.passes = {}
        self.write_pass("alice", "alice passphrase \u2713 1")
        self.lv("init", "--admin", "alice", *kdf, user=None)
        self.write_pass("bob", "bob passphrase 2")
        self.lv("user", "add", "bob", "--role", "sales", "--new-passphrase-file",
                self.pass_file("bob"), *kdf)
        self.lv("purpose", "add", "qa_all", "--basis", "legitimate_interest", "--fields",
                "first_name,last_name,email,phone", "--roles", "admin,sales")
        self.start(extra)

    def write_pass(self, user, text):
        self.passes[user] = text
        with open(self.pass_file(user), "w", encoding="utf-8") as f:
            f.write(text + "\n")

    def pass_file(self, user):
        return os.path.join(self.dir, user + ".pass")

    def lv(self, *args, user="alice", check_rc=True):
        cmd = [BIN, "--vault", self.vault]
        if user is not None:
            cmd += ["--user", user]
        cmd += ["--passphrase-file", self.pass_file(user or "alice")] + list(args)
        env = dict(os.environ)
        env.pop("LEADVAULT_SERVER", None)
        p = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if check_rc and p.returncode != 0:
            raise Fail("%s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
        return p

    def start(self, extra=()):
        self.log_path = os.path.join(self.dir, "server.log")
        self.out_path = os.path.join(self.dir, "server.out")
        self.proc = subprocess.Popen(
            [BIN, "--vault", self.vault, "serve", "--socket", self.sock] + list(extra),
            stdout=open(self.out_path, "w"), stderr=open(self.log_path, "w"))
        for _ in range(200):
            with open(self.out_path) as f:
                out = f.read()
            if out.count("listening on") >= 1 + sum(1 for e in extra if e == "--listen"):
                self.listening = out
                return
            if self.proc.poll() is not None:
                raise Fail("serve exited %d: %s" % (self.proc.returncode, self.log()))
            time.sleep(0.05)
        raise Fail("serve did not start")

    def tcp_port(self):
        for line in self.listening.splitlines():
            if "://127.0.0.1:" in line:
                return int(line.rsplit(":", 1)[1])
        raise Fail("no TCP address in: " + self.listening)

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def request(self, path, body=None, token=None, method="POST", raw=None, headers=None):
        conn = UnixHTTPConnection(self.sock)
        h = {"Content-Type": "application/json"}
        if token:
            h["Authorization"] = "Bearer " + token
        h.update(headers or {})
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        conn.request(method, path, body=data if method == "POST" else None, headers=h)
        resp = conn.getresponse()
        text = resp.read()
        conn.close()
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        return resp.status, doc, resp

    def login(self, user="alice", passphrase=None):
        st, doc, _ = self.request("/v1/login", {"user": user, "passphrase":
                                                passphrase or self.passes[user]})
        check(st == 200, "login of %s: %d %s" % (user, st, doc))
        return doc["token"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            rc = self.proc.wait(timeout=60)
            check(rc == 0, "serve exited %d after SIGTERM" % rc)
        check(not os.path.exists(self.sock), "the socket is left behind")

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def error_code(doc):
    return doc["error"]["code"] if doc and "error" in doc else None


def refused_entries(s):
    """The vault.session.refused entries, as audit show --json gives them
    (read on the file by carol, an auditor added at the first call)."""
    if "carol" not in s.passes:
        s.write_pass("carol", "carol passphrase 3")
        s.lv("user", "add", "carol", "--role", "auditor", "--new-passphrase-file",
             s.pass_file("carol"), "--kdf-memory", "19", "--kdf-iterations", "2")
    p = s.lv("--json", "audit", "show", "--action", "vault.session.refused", user="carol")
    return json.loads(p.stdout)["entries"]


def check_unauthenticated(s, token, what):
    st, doc, _ = s.request("/v1/whoami", {}, token=token)
    check(st == 401 and doc["error"] == {"code": "unauthenticated", "exit": 3,
                                         "message": "no valid session (log in again)"},
          "%s: %d %s" % (what, st, doc))


def check_refusal_audited(entries, user, session, what):
    """Exactly one entry for the session, naming its user: actor, no role
    (written without keys), code 3 (LV_EAUTH), os_user srvSESSION8.unix.*."""
    mine = [e for e in entries if e["os_user"].startswith("srv%s." % session[:8])]
    check(len(mine) == 1, "%s: one vault.session.refused entry for the session, not %s"
          % (what, entries))
    e = mine[0]
    check(e["actor"] == user and e["role"] == "" and e["outcome"] == "error" and
          e["os_user"] == "srv%s.unix.unknown" % session[:8],
          "%s: the entry names the user: %s" % (what, e))


# ---- the tests ----

def t_login(s):
    st, doc, _ = s.request("/v1/login", {"user": "alice", "passphrase": s.passes["alice"]})
    check(st == 200 and len(doc["token"]) == 43 and doc["role"] == "admin", "login ok: %s" % doc)
    st1, wrong, _ = s.request("/v1/login", {"user": "alice", "passphrase": "nope"})
    st2, unknown, _ = s.request("/v1/login", {"user": "nobody", "passphrase": "nope"})
    check(st1 == st2 == 401, "wrong / unknown user: %d %d" % (st1, st2))
    check(wrong == unknown, "a wrong passphrase and an unknown user answer the same: %s / %s"
          % (wrong, unknown))
    check(wrong["error"] == {"code": "auth", "exit": 3,
                             "message": "wrong passphrase or unknown user"}, str(wrong))
    st, doc, _ = s.request("/v1/whoami", {}, token=doc["token"])
    check(st == 200 and doc == {"user": "alice", "role": "admin"}, "whoami: %s" % doc)


def login_session(s, user="alice"):
    st, doc, _ = s.request("/v1/login", {"user": user, "passphrase": s.passes[user]})
    check(st == 200, "login of %s: %d %s" % (user, st, doc))
    return doc["token"], doc["session"]


def t_token_refused(s):
    token, session = login_session(s)
    # Forged tokens: random ones of the right form, the real one with one
    # bit flipped in each of three places, cut, lengthened, none at all.
    # No session ever had them, so no user is known: 401, nothing audited.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    forged = ["".join(alphabet[b % 64] for b in os.urandom(43)) for _ in range(3)]
    for at in (0, 21, 41):  # not the last character: its low bits are padding
        flipped = alphabet[alphabet.index(token[at]) ^ 1]
        forged.append(token[:at] + flipped + token[at + 1:])
    forged += ["short", token + "x", token[:-1], ""]
    for t in forged:
        check_unauthenticated(s, t, "forged token %r" % t)
    st, doc, _ = s.request("/v1/whoami", {})
    check(st == 401 and error_code(doc) == "unauthenticated", "no token: %d" % st)
    st, doc, _ = s.request("/v1/whoami", {}, token=token)
    check(st == 200, "the real token still works after the forgeries: %d %s" % (st, doc))
    check(refused_entries(s) == [], "a forged token is not audited (no user is known)")
    # Replayed after logout: refused, audited once with its user (a replay
    # loop must not grow the log), on every endpoint.
    st, _, _ = s.request("/v1/logout", {}, token=token)
    check(st == 200, "logout")
    check_unauthenticated(s, token, "a token replayed after logout")
    check_unauthenticated(s, token, "the same token replayed again")
    st, doc, _ = s.request("/v1/lead/list", {}, token=token)
    check(st == 401 and error_code(doc) == "unauthenticated", "lead list with it: %d" % st)
    st, doc, _ = s.request("/v1/logout", {}, token=token)
    check(st == 401 and error_code(doc) == "unauthenticated", "logout with it: %d" % st)
    check_refusal_audited(refused_entries(s), "alice", session, "replay after logout")
    # A removed user's sessions end with the keyslot.
    bob, bob_session = login_session(s, "bob")
    alice, _ = login_session(s)
    st, _, _ = s.request("/v1/user/remove", {"name": "bob"}, token=alice)
    check(st == 200, "user remove")
    check_unauthenticated(s, bob, "the token of a removed user")
    check_refusal_audited(refused_entries(s), "bob", bob_session, "a removed user's token")
    check(len(refused_entries(s)) == 2, "two refusals audited in all")
    # Written without keys, as a failed unlock is: check accepts such an
    # entry after the one the state digest is bound to (here the last
    # entry before check runs), and audit verify covers it.
    token, session = login_session(s)
    st, _, _ = s.request("/v1/logout", {}, token=token)
    check(st == 200, "logout")
    check_unauthenticated(s, token, "a token replayed after a second logout")
    s.lv("check")
    check_refusal_audited(refused_entries(s), "alice", session, "replay after a second logout")
    s.lv("audit", "verify", user="carol")


def t_passwd_revokes(s):
    bob1 = s.login("bob")
    bob2, bob2_session = login_session(s, "bob")
    st, _, _ = s.request("/v1/user/passwd", {"passphrase": "bob new passphrase"}, token=bob1)
    check(st == 200, "passwd")
    check_unauthenticated(s, bob2, "another session of a user whose passphrase changed")
    check_refusal_audited(refused_entries(s), "bob", bob2_session, "a revoked token")
    st, _, _ = s.request("/v1/whoami", {}, token=bob1)
    check(st == 200, "the session that changed it goes on: %d" % st)


def t_rekey_revokes(s):
    """POST /v1/rekey and /v1/user/role end the sessions that hold keys or a
    role they replace; the admin's own session goes on with the new keys."""
    st, doc, _ = s.request("/v1/lead/add", {"fields": {"first_name": "Ann",
                                                       "email": "ann@example.com"}},
                           token=s.login())
    check(st == 200, "lead add: %d %s" % (st, doc))
    lead = doc["id"]
    alice1, alice2, bob = s.login(), s.login(), s.login("bob")
    # A sales session is refused (403, audited by the library) and ends nothing.
    st, doc, _ = s.request("/v1/rekey", {}, token=bob)
    check(st == 403 and error_code(doc) == "denied" and doc["error"]["exit"] == 5,
          "rekey by sales: %d %s" % (st, doc))
    st, doc, _ = s.request("/v1/user/role", {"name": "bob", "role": "admin"}, token=bob)
    check(st == 403 and error_code(doc) == "denied", "user role by sales: %d %s" % (st, doc))
    for t in (alice1, alice2, bob):
        check(s.request("/v1/whoami", {}, token=t)[0] == 200, "a refused rekey ends no session")
    for body in ({"reencrypt": "yes"}, {"reencrypt": 1}):
        st, doc, _ = s.request("/v1/rekey", body, token=alice1)
        check(st == 400 and error_code(doc) == "bad_request", "rekey %s: %d" % (body, st))
    st, doc, _ = s.request("/v1/rekey", {"reencrypt": True}, token=alice1)
    check(st == 200 and doc["generation"] == 2 and doc["dropped"] == 1 and
          doc["reencrypted"] == 1 and doc["envelopes"] == 2, "rekey: %d %s" % (st, doc))
    for t, who in ((alice2, "the admin's other session"), (bob, "another user's session")):
        st, doc, _ = s.request("/v1/whoami", {}, token=t)
        check(st == 401 and error_code(doc) == "unauthenticated",
              "%s after a rekey: %d" % (who, st))
    st, doc, _ = s.request("/v1/lead/get", {"id": lead, "purpose": "qa_all"}, token=alice1)
    check(st == 200 and doc["fields"]["email"] == "ann@example.com",
          "the rekeying session reads with the new keys: %d %s" % (st, doc))
    st, doc, _ = s.request("/v1/lead/add", {"fields": {"email": "new@example.com"}},
                           token=alice1)
    check(st == 200, "and writes: %d" % st)
    # New logins get the new generation; bob reads what alice wrote after the rekey.
    bob, bob2 = s.login("bob"), s.login("bob")
    st, doc, _ = s.request("/v1/lead/find", {"by": "email", "value": "new@example.com",
                                             "purpose": "qa_all"}, token=bob)
    check(st == 200 and len(doc["leads"]) == 1, "find after the rekey: %d %s" % (st, doc))
    # user role: the user's sessions end, others go on.
    st, doc, _ = s.request("/v1/user/role", {"name": "bob", "role": 7}, token=alice1)
    check(st == 400 and error_code(doc) == "bad_request", "role of a wrong type: %d" % st)
    st, doc, _ = s.request("/v1/user/role", {"name": "bob", "role": "boss"}, token=alice1)
    check(st == 400 and error_code(doc) == "invalid", "an unknown role: %d %s" % (st, doc))
    st, doc, _ = s.request("/v1/user/role", {"name": "nobody", "role": "sales"}, token=alice1)
    check(st == 404 and error_code(doc) == "not_found", "an unknown user: %d %s" % (st, doc))
    check(s.request("/v1/whoami", {}, token=bob)[0] == 200, "a failed role change ends nothing")
    st, doc, _ = s.request("/v1/user/role", {"name": "bob", "role": "auditor"}, token=alice1)
    check(st == 200 and doc == {"user": "bob", "role": "auditor"}, "user role: %d %s" % (st, doc))
    for t in (bob, bob2):
        check(s.request("/v1/whoami", {}, token=t)[0] == 401,
              "a session of a user whose role changed")
    check(s.request("/v1/whoami", {}, token=alice1)[0] == 200, "the admin's session goes on")
    bob = s.login("bob")
    st, doc, _ = s.request("/v1/whoami", {}, token=bob)
    check(doc == {"user": "bob", "role": "auditor"}, "bob logs in as an auditor: %s" % doc)
    st, doc, _ = s.request("/v1/lead/get", {"id": lead, "purpose": "qa_all"}, token=bob)
    check(st == 403, "and reveals nothing: %d" % st)
    # The rekey runs alone: it waits for a request in flight (a slow login),
    # then ends the session that request opened.
    s.write_pass("slow", "slow passphrase")
    st, _, _ = s.request("/v1/user/add", {"name": "slow", "role": "sales", "passphrase":
                                          s.passes["slow"], "kdf": {"memory_kib": 256 << 10,
                                                                    "iterations": 3}},
                         token=alice1)
    check(st == 200, "user add slow: %d" % st)
    order, result = [], {}

    def slow_login():
        result["login"] = s.request("/v1/login", {"user": "slow",
                                                  "passphrase": s.passes["slow"]})
        order.append("login")
    th = threading.Thread(target=slow_login)
    th.start()
    time.sleep(0.3)
    check("login" not in result, "the login is still in flight (make the KDF slower)")
    st, doc, _ = s.request("/v1/rekey", {}, token=alice1)
    order.append("rekey")
    th.join(120)
    check(st == 200 and doc["generation"] == 3, "the second rekey: %d %s" % (st, doc))
    check(order == ["login", "rekey"] and result["login"][0] == 200,
          "the rekey waited for the login in flight: %s %s" % (order, result.get("login")))
    st, _, _ = s.request("/v1/whoami", {}, token=result["login"][1]["token"])
    check(st == 401, "and ended the session it opened: %d" % st)
    s.request("/v1/logout", {}, token=alice1)
    s.request("/v1/logout", {}, token=bob)
    s.stop()
    for args in (["check"], ["audit", "verify"]):
        p = s.lv(*args, check_rc=False)
        check(p.returncode == 0, "%s after the server's rekey: %s %s" % (args, p.stdout,
                                                                         p.stderr))


def t_expiry_idle(s):
    token, session = login_session(s)
    time.sleep(1.0)
    st, _, _ = s.request("/v1/whoami", {}, token=token)
    check(st == 200, "within the idle time")
    time.sleep(2.6)
    check_unauthenticated(s, token, "after the idle time")
    check_refusal_audited(refused_entries(s), "alice", session, "an idle-expired token")


def t_expiry_absolute(s):
    token, session = login_session(s)
    for _ in range(5):  # used every second: never idle, but 4 s at most
        time.sleep(1.0)
        s.request("/v1/whoami", {}, token=token)
    check_unauthenticated(s, token, "after the absolute lifetime")
    check_refusal_audited(refused_entries(s), "alice", session, "a token past its lifetime")


def t_limits(s):
    # A body over the limit is refused from its Content-Length, before it
    # is read (the client may then see its upload cut off).
    c = socket.socket(socket.AF_UNIX)
    c.connect(s.sock)
    c.sendall(b"POST /v1/lead/add HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n{"
              % (2 << 20))
    c.settimeout(10)
    reply = c.recv(65536)
    c.close()
    check(reply.startswith(b"HTTP/1.1 413") and b'"too_large"' in reply,
          "a 2 MiB body: %r" % reply[:200])
    # Chunked, with no length: refused once the limit is passed.
    c = socket.socket(socket.AF_UNIX)
    c.connect(s.sock)
    c.sendall(b"POST /v1/whoami HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
    try:
        for _ in range(40):
            c.sendall(b"10000\r\n" + b" " * 0x10000 + b"\r\n")
        c.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    c.settimeout(10)
    reply = c.recv(65536)
    c.close()
    check(reply.startswith(b"HTTP/1.1 413"), "a chunked body over the limit: %r" % reply[:100])
    st, doc, _ = s.request("/v1/health", method="GET", headers={"X-Big": "a" * 40000})
    check(st == 431, "a 40 kB header: %d" % st)
    token = s.login()
    for raw, what in ((b"{not json", "malformed"), (b'["array"]', "not an object"),
                      (b'{"a":"\\u0000"}', "NUL"), (b'{"id":"\xff\xfe"}', "invalid UTF-8"),
                      (b'{"a":1,"a":2}', "duplicate keys"),
                      # Byte strings travel as {"b64"} (server/wire.c): only as standard,
                      # padded base64 of bytes that are not UTF-8 and hold no NUL.
                      (b'{"id":{"b64":"not base64!"}}', "a b64 member that is not base64"),
                      (b'{"id":{"b64":"QW5u"}}', "b64 of UTF-8 (one form per value)"),
                      (b'{"id":{"b64":"/wA="}}', "b64 holding a NUL"),
                      (b'{"id":{"b64":"/w"}}', "b64 without its padding"),
                      (b'{"id":{"b64":7}}', "a b64 member that is not a string")):
        st, doc, _ = s.request("/v1/lead/get", raw=raw, token=token)
        check(st == 400 and error_code(doc) == "bad_request", "%s: %d %s" % (what, st, doc))
    # A well-formed byte string reaches the library, which refuses it as it
    # does on the file: code invalid (exit 2), its own message.
    st, doc, _ = s.request("/v1/lead/add", {"fields": {"first_name": {"b64": "QW5u/w=="}}},
                           token=token)
    check(st == 400 and doc["error"] == {"code": "invalid", "exit": 2, "message":
                                         "first_name: not valid UTF-8"},
          "a first name that is not UTF-8: %d %s" % (st, doc))
    st, doc, _ = s.request("/v1/lead/get", {"id": 5, "purpose": []}, token=token)
    check(st == 400 and error_code(doc) == "bad_request", "wrong types: %d %s" % (st, doc))
    st, doc, _ = s.request("/v1/lead/get", {"id": "00" * 16, "purpose": "qa_all"}, token=token)
    check(st == 404 and doc["error"]["exit"] == 4, "no such lead: %d %s" % (st, doc))
    st, doc, _ = s.request("/v1/no/such", {}, token=token)
    check(st == 404 and error_code(doc) == "no_endpoint", "unknown endpoint: %d" % st)
    st, doc, _ = s.request("/v1/whoami", method="GET", token=token)
    check(st == 405, "GET of a POST endpoint: %d" % st)
    st, doc, _ = s.request("/v1/health", method="GET")
    check(st == 200, "the server answers after all that")


def t_slow_client(s):
    slow = socket.socket(socket.AF_UNIX)
    slow.connect(s.sock)
    slow.sendall(b"POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    st, _, _ = s.request("/v1/health", method="GET")
    check(st == 200, "another client is served while one is slow")
    slow.settimeout(6)
    t0 = time.time()
    data = slow.recv(4096)
    check(data == b"" and time.time() - t0 < 5.5, "the slow client is cut off: %r" % data[:80])
    slow.close()
    check(" 408 " in s.log(), "a timed-out request is logged as 408")


def t_connection_limit(s):
    idle = []
    for _ in range(4):
        c = socket.socket(socket.AF_UNIX)
        c.connect(s.sock)
        idle.append(c)
    time.sleep(0.3)
    extra = socket.socket(socket.AF_UNIX)
    extra.connect(s.sock)
    extra.settimeout(3)
    try:
        extra.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        data = extra.recv(4096)
    except OSError:
        data = b""
    check(data == b"", "a connection past the limit is closed: %r" % data[:60])
    for c in idle:
        c.close()
    time.sleep(0.3)
    st, _, _ = s.request("/v1/health", method="GET")
    check(st == 200, "served again once connections are free")


def t_rate_limit(s):
    for _ in range(3):
        st, _, _ = s.request("/v1/login", {"user": "alice", "passphrase": "wrong"})
        check(st == 401, "a wrong passphrase: %d" % st)
    st, doc, resp = s.request("/v1/login", {"user": "alice", "passphrase": s.passes["alice"]})
    check(st == 429 and error_code(doc) == "rate_limited" and resp.getheader("Retry-After") == "1",
          "the 4th attempt waits 1 s: %d %s" % (st, doc))
    time.sleep(1.1)
    st, _, _ = s.request("/v1/login", {"user": "alice", "passphrase": "wrong"})
    check(st == 401, "allowed again after the wait")
    st, _, resp = s.request("/v1/login", {"user": "alice", "passphrase": "wrong"})
    check(st == 429 and resp.getheader("Retry-After") == "2", "then the wait doubles: %s" %
          resp.getheader("Retry-After"))
    # The client address is limited too: another user from it waits as well.
    st, _, _ = s.request("/v1/login", {"user": "bob", "passphrase": s.passes["bob"]})
    check(st == 429, "another user from the same address: %d" % st)
    time.sleep(2.1)
    st, _, _ = s.request("/v1/login", {"user": "alice", "passphrase": s.passes["alice"]})
    check(st == 200, "the right passphrase after the wait: %d" % st)
    audit = s.lv("--json", "audit", "show", "--action", "vault.unlock", user=None,
                 check_rc=False)
    # admin may not read the log: count the failed unlocks with sqlite3 instead
    rows = subprocess.run(["sqlite3", s.vault, "SELECT count(*) FROM audit WHERE action = "
                           "'vault.unlock'"], capture_output=True, text=True).stdout.strip()
    check(rows == "4", "each failed unlock that ran is audited, refusals are not: %s" % rows)
    del audit


def t_health(s):
    st, doc, resp = s.request("/v1/health", method="GET")
    check(st == 200 and doc == {"status": "ok"}, "health: %s" % doc)
    vid = s.lv("--json", "check").stdout
    del vid
    raw = json.dumps(doc)
    check("alice" not in raw and "vault" not in raw, "health names nothing")


def t_plain_refused(s):
    env = dict(os.environ)
    p = subprocess.run([BIN, "--vault", s.vault, "serve", "--listen", "0.0.0.0:0"],
                       capture_output=True, text=True, timeout=30, env=env)
    check(p.returncode == 2 and "plain HTTP only on a loopback address" in p.stderr,
          "plain HTTP on a non-loopback address: exit %d %s" % (p.returncode, p.stderr))
    p = subprocess.run([BIN, "--vault", s.vault, "serve", "--socket", s.sock],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 2 and "exists" in p.stderr, "an existing socket path is refused")
    check(oct(os.stat(s.sock).st_mode & 0o777) == "0o600", "the socket is 0600")


def t_sigterm_inflight(s):
    # A user whose unlock takes a while (256 MiB Argon2id): SIGTERM during
    # the login; the login still answers 200, then the server exits 0.
    s.write_pass("slow", "slow passphrase")
    s.proc.send_signal(signal.SIGTERM)
    s.proc.wait(timeout=30)
    s.lv("user", "add", "slow", "--role", "sales", "--new-passphrase-file", s.pass_file("slow"),
         "--kdf-memory", "512", "--kdf-iterations", "4")
    s.start()
    result = {}

    def login():
        result["st"] = s.request("/v1/login", {"user": "slow", "passphrase":
                                               s.passes["slow"]})[0]
    th = threading.Thread(target=login)
    th.start()
    time.sleep(0.3)
    check("st" not in result, "the login is still in flight (make the KDF slower)")
    s.proc.send_signal(signal.SIGTERM)
    th.join(60)
    check(result.get("st") == 200, "the in-flight login finished: %s" % result)
    rc = s.proc.wait(timeout=60)
    check(rc == 0, "exit %d" % rc)
    check(not os.path.exists(s.sock), "socket removed")


def t_no_pii_in_log(s):
    token = s.login()
    canary_email = "canary.zq81@example.org"
    st, doc, _ = s.request("/v1/lead/add", {"fields": {"first_name": "Xylophonia",
                                                       "email": canary_email}}, token=token)
    check(st == 200, "add")
    lead = doc["id"]
    s.request("/v1/lead/find", {"by": "email", "value": canary_email, "purpose": "qa_all"},
              token=token)
    st, doc, _ = s.request("/v1/lead/get", {"id": lead, "purpose": "qa_all"}, token=token)
    check(st == 200 and doc["fields"]["email"] == canary_email, "get: %s" % doc)
    s.request("/v1/login", {"user": "alice", "passphrase": "Wr0ngSecret"})
    s.request("/v1/logout", {}, token=token)
    s.stop()
    log = s.log()
    for secret in (canary_email, "Xylophonia", lead, token, token[:12], s.passes["alice"],
                   "Wr0ngSecret", "alice"):
        check(secret not in log, "the server log holds %r" % secret)
    check("/v1/lead/get 200" in log, "the log has its request lines:\n" + log)
    # The audit log names the session and the client.
    rows = subprocess.run(["sqlite3", s.vault, "SELECT os_user FROM audit WHERE action = "
                           "'lead.get'"], capture_output=True, text=True).stdout.split()
    check(len(rows) == 1 and rows[0].startswith("srv") and ".unix." in rows[0],
          "audit os_user: %s" % rows)


def make_certs(d):
    if shutil.which("certtool") is None:
        raise SystemExit(77)
    tmpl = os.path.join(d, "ca.tmpl")
    with open(tmpl, "w") as f:
        f.write('cn = "test CA"\nca\ncert_signing_key\nexpiration_days = 2\n')
    with open(os.path.join(d, "srv.tmpl"), "w") as f:
        f.write('cn = "localhost"\nip_address = "127.0.0.1"\ntls_www_server\n'
                'encryption_key\nsigning_key\nexpiration_days = 2\n')
    run = lambda *a: subprocess.run(a, check=True, capture_output=True, cwd=d)
    run("certtool", "--generate-privkey", "--key-type", "ecdsa", "--outfile", "ca.key")
    run("certtool", "--generate-self-signed", "--load-privkey", "ca.key", "--template",
        "ca.tmpl", "--outfile", "ca.pem")
    run("certtool", "--generate-privkey", "--key-type", "ecdsa", "--outfile", "srv.key")
    run("certtool", "--generate-certificate", "--load-privkey", "srv.key", "--load-ca-certificate",
        "ca.pem", "--load-ca-privkey", "ca.key", "--template", "srv.tmpl", "--outfile", "srv.pem")


def t_fd_limit(s):
    """A --connection-limit that does not fit the descriptor limit is refused
    at start (exit 2), after the soft limit is raised to the hard one."""
    def low_limit(n):
        return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))
    sock = os.path.join(s.dir, "fd.sock")
    p = subprocess.run([BIN, "--vault", s.vault, "serve", "--socket", sock],
                       capture_output=True, text=True, timeout=30, preexec_fn=low_limit(200))
    check(p.returncode == 2 and "--connection-limit 256 needs 320 file descriptors, the limit "
          "is 200" in p.stderr, "default limit under ulimit -n 200: %d %s"
          % (p.returncode, p.stderr))
    check(not os.path.exists(sock), "no socket left behind")
    # Soft 200, hard 1024: raised, and it fits.
    srv = subprocess.Popen([BIN, "--vault", s.vault, "serve", "--socket", sock],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE,
                                                                 (200, 1024)))
    line = srv.stdout.readline()
    check("listening on" in line, "serve under soft 200, hard 1024: %r" % line)
    with open("/proc/%d/limits" % srv.pid) as f:
        soft = [l.split()[3] for l in f if l.startswith("Max open files")][0]
    check(soft == "1024", "the soft limit was raised to the hard one: %s" % soft)
    srv.send_signal(signal.SIGTERM)
    check(srv.wait(timeout=30) == 0, "stopped")
    srv.stdout.close()
    srv.stderr.close()


def t_tls(s):
    make_certs(s.dir)
    s.proc.send_signal(signal.SIGTERM)
    s.proc.wait(timeout=30)
    s.start(["--listen", "127.0.0.1:0", "--tls-cert", os.path.join(s.dir, "srv.pem"),
             "--tls-key", os.path.join(s.dir, "srv.key")])
    check("https://127.0.0.1:" in s.listening, s.listening)
    port = s.tcp_port()
    ctx = ssl.create_default_context(cafile=os.path.join(s.dir, "ca.pem"))
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        ctx.minimum_version = ctx.maximum_version = version
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
        conn.request("GET", "/v1/health")
        r = conn.getresponse()
        check(r.status == 200, "%s: %d" % (version, r.status))
        conn.close()
    # Plain HTTP to the TLS port gets no HTTP answer.
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    raw.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
    try:
        data = raw.recv(4096)
    except OSError:
        data = b""
    check(not data.startswith(b"HTTP/"), "plain HTTP answered on the TLS port: %r" % data[:40])
    raw.close()
    # The CLI through TLS with the test's CA.
    env = dict(os.environ, LEADVAULT_SERVER="https://127.0.0.1:%d" % port)
    p = subprocess.run([BIN, "--ca-file", os.path.join(s.dir, "ca.pem"), "--user", "alice",
                        "--passphrase-file", s.pass_file("alice"), "--json", "stats"],
                       capture_output=True, text=True, env=env)
    check(p.returncode == 0 and '"total"' in p.stdout, "CLI over TLS: %s %s" % (p.stdout, p.stderr))
    p = subprocess.run([BIN, "--user", "alice", "--passphrase-file", s.pass_file("alice"),
                        "stats"], capture_output=True, text=True, env=env)
    check(p.returncode == 1 and "cannot reach the server" in p.stderr,
          "an unknown CA is refused: %d %s" % (p.returncode, p.stderr))
    cli = shutil.which("gnutls-cli")
    if cli is None:
        return
    for prio, what in (("NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0", "TLS 1.0/1.1"),
                       ("NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-CBC:+AES-256-CBC:"
                        "-MAC-ALL:+SHA1:+SHA256", "CBC ciphers"),
                       ("NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA", "static RSA key exchange")):
        p = subprocess.run([cli, "--x509cafile", os.path.join(s.dir, "ca.pem"), "--priority",
                            prio, "-p", str(port), "127.0.0.1"], input="", capture_output=True,
                           text=True, timeout=30)
        check(p.returncode != 0, "%s accepted:\n%s" % (what, p.stdout[-400:]))
    p = subprocess.run([cli, "--x509cafile", os.path.join(s.dir, "ca.pem"), "-p", str(port),
                        "127.0.0.1"], input="", capture_output=True, text=True, timeout=30)
    check(p.returncode == 0, "gnutls-cli with its defaults: %s" % p.stderr[-300:])


def t_cli_login(s):
    rt = os.path.join(s.dir, "run")
    os.mkdir(rt, 0o700)
    env = dict(os.environ, LEADVAULT_SERVER="unix:" + s.sock, XDG_RUNTIME_DIR=rt)
    base = [BIN, "--user", "alice"]
    p = subprocess.run(base + ["--passphrase-file", s.pass_file("alice"), "login"],
                       capture_output=True, text=True, env=env)
    check(p.returncode == 0 and "logged in" in p.stdout, p.stderr)
    files = os.listdir(os.path.join(rt, "leadvault"))
    check(len(files) == 1, "one cached token: %s" % files)
    mode = os.stat(os.path.join(rt, "leadvault", files[0])).st_mode & 0o777
    check(mode == 0o600, "the token file is 0600: %o" % mode)
    p = subprocess.run(base + ["stats"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    check(p.returncode == 0, "a command with the cached token, no passphrase: %s" % p.stderr)
    p = subprocess.run(base + ["logout"], capture_output=True, text=True, env=env)
    check(p.returncode == 0 and not os.listdir(os.path.join(rt, "leadvault")), p.stderr)
    os.chmod(rt, 0o755)
    p = subprocess.run(base + ["--passphrase-file", s.pass_file("alice"), "login"],
                       capture_output=True, text=True, env=env)
    check(p.returncode == 2 and "not private" in p.stderr, "a shared runtime folder is refused: "
          "%d %s" % (p.returncode, p.stderr))
    p = subprocess.run([BIN, "--server", "http://192.0.2.1:8080", "--user", "alice", "stats"],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "loopback" in p.stderr, "plain http to a remote host: %s" % p.stderr)


# ---- hostile clients (issue 16, acceptance 4) ----

HERE = os.path.dirname(os.path.abspath(__file__))
HANDLER_FILES = ("handlers.c", "handlers_bulk.c", "handlers_import.c", "handlers_keys.c",
                 "auth.c")


def strip_comments(code):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", code, flags=re.S)


def route_table():
    """path -> handler function, from endpoints[] of server/handlers.c."""
    code = strip_comments(open(os.path.join(HERE, "..", "..", "server", "handlers.c")).read())
    body = re.search(r"static const endpoint endpoints\[\]\s*=\s*\{(.*?)\n\};", code, re.S)
    check(body is not None, "no endpoints[] in server/handlers.c")
    routes = dict(re.findall(r'\{\s*"(/v1/[^"]*)"\s*,\s*(\w+)\s*,', body.group(1)))
    check(len(routes) > 40, "endpoints[] read: %d" % len(routes))
    return routes


# How a handler reads a member of the request (c->in), and a value of the
# wrong type for it.
MEMBER_READERS = (
    (r'wire_string\(c->in,\s*"(\w+)"', 12345),
    (r'wire_int\(c->in,\s*"(\w+)"', "12"),
    (r'wire_bool\(c->in,\s*"(\w+)"', "true"),
    (r'mask_member\(c,\s*"(\w+)"', "all"),
    (r'strings\(c,\s*"(\w+)"', "not a list"),
    (r'json_object_get\(c->in,\s*"(kdf)"', "not an object"),
)
# Members read through wire.c on the request object (wire_lead_input_from_json).
LEAD_INPUT_MEMBERS = {"fields": "not an object", "source": 7, "stage": 7, "owner": 7,
                      "country": 7, "last_contact": "yesterday"}


def handler_members():
    """handler function -> {member: wrong value}, from the handlers' source:
    what each reads from the request, following the static helpers it calls."""
    functions = {}
    for name in HANDLER_FILES:
        code = strip_comments(open(os.path.join(HERE, "..", "..", "server", name)).read())
        for m in re.finditer(r"^(?:static )?\w[\w \*]*?\b(\w+)\(([^;{]*?)\)\s*\{", code,
                             re.M | re.S):
            depth, i = 1, m.end()
            while depth and i < len(code):
                depth += {"{": 1, "}": -1}.get(code[i], 0)
                i += 1
            functions[m.group(1)] = code[m.end():i]

    def members(fn, depth=4):
        body = functions.get(fn, "")
        found = {}
        for pattern, wrong in MEMBER_READERS:
            for key in re.findall(pattern, body):
                found[key] = wrong
        if "wire_lead_input_from_json(" in body:
            found.update(LEAD_INPUT_MEMBERS)
        if depth > 0:
            for callee in set(re.findall(r"\b([a-z_]\w*)\s*\(", body)):
                if callee != fn and callee in functions:
                    found.update(members(callee, depth - 1))
        return found
    return {fn: members(fn) for fn in functions}


def t_bad_bodies(s):
    """Every endpoint of the route table: malformed JSON, a body that is not
    an object, and each member it reads given a value of the wrong type:
    400 bad_request, and the server answers the next client."""
    routes = route_table()
    readers = handler_members()
    token = s.login()
    calls = 0
    for path, fn in sorted(routes.items()):
        if path == "/v1/health":
            continue
        for raw in (b"{not json", b'["an array"]', b'"text"', b'{"a":1,"a":2}', b"\xff\xfe{}"):
            st, doc, _ = s.request(path, raw=raw, token=token)
            calls += 1
            check(st == 400 and error_code(doc) == "bad_request" and doc["error"]["exit"] == 2,
                  "%s with body %r: %d %s" % (path, raw, st, doc))
        wrong = readers.get(fn, {})
        check(path in ("/v1/logout", "/v1/whoami", "/v1/check", "/v1/stats") or
              fn.endswith("_list") or fn in ("h_audit_pubkey", "h_audit_checkpoint") or wrong,
              "%s (%s): no member read from its source; the test cannot see it" % (path, fn))
        for member, value in sorted(wrong.items()):
            st, doc, _ = s.request(path, {member: value}, token=token)
            calls += 1
            check(st == 400 and error_code(doc) == "bad_request",
                  "%s with %s of the wrong type (%r): %d %s" % (path, member, value, st, doc))
    st, _, _ = s.request("/v1/whoami", {}, token=token)
    check(st == 200, "the session and the server are fine after %d bad requests" % calls)
    print("bad_bodies: %d requests over %d endpoints" % (calls, len(routes)))


def raw_exchange(s, data):
    """Send data on a new connection (the server may answer and close before
    it has all of it) and return what it answered."""
    c = socket.socket(socket.AF_UNIX)
    c.connect(s.sock)
    try:
        c.sendall(data)
    except OSError:
        pass
    c.settimeout(10)
    try:
        reply = c.recv(65536)
    except OSError:
        reply = b""
    c.close()
    return reply


def t_huge(s):
    """Every endpoint: a body one byte over its limit (by Content-Length:
    413 before it is read; chunked: 413 once past it) and headers over
    16 KiB (431); the server answers normal clients all along."""
    routes = route_table()
    token = s.login()
    import_limit = 64 << 20
    big_ones = ("/v1/import", "/v1/consent/import", "/v1/receipt/verify")
    for path in sorted(routes):
        if path == "/v1/health":
            continue
        limit = import_limit if path in big_ones else 1 << 20
        c = socket.socket(socket.AF_UNIX)
        c.connect(s.sock)
        c.sendall(b"POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                  b"Content-Length: %d\r\n\r\n{" % (path.encode(), token.encode(), limit + 1))
        c.settimeout(10)
        reply = c.recv(65536)
        c.close()
        check(reply.startswith(b"HTTP/1.1 413") and b'"too_large"' in reply,
              "%s, %d bytes announced: %r" % (path, limit + 1, reply[:120]))
        reply = raw_exchange(s, b"POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                             b"X-Padding: %s\r\nContent-Length: 2\r\n\r\n{}"
                             % (path.encode(), token.encode(), b"p" * (40 << 10)))
        check(reply.startswith(b"HTTP/1.1 431"), "%s with 40 KiB of headers: %r"
              % (path, reply[:60]))
    # A body exactly at the 1 MiB limit is read (and refused as JSON, 400).
    st, doc, _ = s.request("/v1/lead/add", raw=b"{" + b" " * ((1 << 20) - 2) + b"}", token=token)
    check(st == 400 or st == 200, "a body of exactly 1 MiB is read: %d %s" % (st, doc))
    # Many headers, each small, over the total.
    reply = raw_exchange(s, b"POST /v1/whoami HTTP/1.1\r\nHost: x\r\n" +
                         b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(300)) +
                         b"Content-Length: 2\r\n\r\n{}")
    check(reply.startswith(b"HTTP/1.1 431"), "300 headers of 100 bytes: %r" % reply[:60])
    # A chunked body to an import endpoint past 64 MiB is cut at the limit.
    c = socket.socket(socket.AF_UNIX)
    c.connect(s.sock)
    c.sendall(b"POST /v1/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n" % token.encode())
    chunk = b"100000\r\n" + b"A" * 0x100000 + b"\r\n"
    try:
        for _ in range(70):
            c.sendall(chunk)
        c.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    c.settimeout(60)
    try:
        reply = c.recv(65536)
    except OSError:
        reply = b""
    c.close()
    check(reply.startswith(b"HTTP/1.1 413"), "a chunked import past 64 MiB: %r" % reply[:100])
    st, _, _ = s.request("/v1/whoami", {}, token=token)
    check(st == 200, "served after the huge requests")
    rss = proc_status(s.proc.pid)["VmRSS"]
    check(rss < 256 << 10, "RSS after the huge requests: %d KiB" % rss)


def proc_status(pid):
    """VmRSS, VmHWM (KiB) and Threads of a process, and its open descriptors."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Threads"):
                out[key] = int(value.split()[0])
    out["fds"] = len(os.listdir("/proc/%d/fd" % pid))
    return out


def raise_fd_limit(want):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


IDLE_LIMIT = 200      # --connection-limit of the idle test (above the listen backlog, 128)
IDLE_TIMEOUT = 3      # --connection-timeout (s)
IDLE_SOCKETS = 3000   # connections tried per round
LISTEN_BACKLOG = 128  # listen() of server/http.c


def flood(s, count):
    """Try count connections to the server, sending nothing. Returns the
    sockets that connected and how many were refused at once (EAGAIN: the
    server accepts no more and the kernel's listen backlog is full)."""
    socks, refused = [], 0
    for _ in range(count):
        c = socket.socket(socket.AF_UNIX)
        c.setblocking(False)
        try:
            c.connect(s.sock)
        except BlockingIOError:
            c.close()
            refused += 1
            continue
        socks.append(c)
    return socks, refused


def t_idle_connections(s):
    """Thousands of idle connections, twice, held open: the server takes
    --connection-limit of them, the kernel's listen backlog holds 128 more
    and refuses the rest at once; the idle ones are closed after
    --connection-timeout and a normal client is served while the flood is
    still open; threads, descriptors and memory stay bounded and come back."""
    have = raise_fd_limit(IDLE_SOCKETS + 256)
    count = min(IDLE_SOCKETS, have - 256)
    check(count >= 2000, "the test needs 2000+ descriptors (ulimit -n): %d" % have)
    token = s.login()
    st, _, _ = s.request("/v1/stats", {}, token=token)
    base = proc_status(s.proc.pid)
    figures = []
    for round_no in (1, 2):
        t0 = time.time()
        socks, refused = flood(s, count)
        time.sleep(0.5)
        during = proc_status(s.proc.pid)
        check(len(socks) <= IDLE_LIMIT + LISTEN_BACKLOG + 8 and refused > 0,
              "round %d: %d connected, %d refused" % (round_no, len(socks), refused))
        # What the server holds: the limit, not a thread or descriptor per socket.
        check(during["Threads"] <= base["Threads"] + IDLE_LIMIT + 4,
              "round %d: %d threads with %d sockets open (limit %d, before %d)"
              % (round_no, during["Threads"], len(socks), IDLE_LIMIT, base["Threads"]))
        check(during["fds"] <= base["fds"] + IDLE_LIMIT + 4,
              "round %d: %d descriptors (before %d)" % (round_no, during["fds"], base["fds"]))
        # A normal client, with the flood still open: served once the
        # accepted idle connections time out (the backlog then fits).
        served = None
        while time.time() - t0 < 4 * IDLE_TIMEOUT + 10:
            try:
                st, doc, _ = s.request("/v1/whoami", {}, token=token)
                if st == 200:
                    served = time.time() - t0
                    break
            except OSError:
                pass
            time.sleep(0.2)
        check(served is not None and served < 2 * IDLE_TIMEOUT + 4,
              "round %d: a normal client served %s s after the flood began" % (round_no, served))
        # The idle connections are closed by the server (EOF), not left open.
        time.sleep(IDLE_TIMEOUT + 1.5)
        closed = 0
        for c in socks:
            try:
                if c.recv(1) == b"":
                    closed += 1
            except BlockingIOError:
                pass
            except OSError:
                closed += 1
        check(closed == len(socks), "round %d: the server closed %d of %d idle connections"
              % (round_no, closed, len(socks)))
        for c in socks:
            c.close()
        time.sleep(0.5)
        after = proc_status(s.proc.pid)
        figures.append((len(socks), refused, served, during, after))
        check(after["Threads"] <= base["Threads"] + 2 and after["fds"] <= base["fds"] + 2,
              "round %d: threads %d, descriptors %d after (before %d, %d)"
              % (round_no, after["Threads"], after["fds"], base["Threads"], base["fds"]))
    # Memory: bounded while flooded, and a second round needs no more than the first.
    peak = max(f[3]["VmRSS"] for f in figures)
    check(peak - base["VmRSS"] < 64 << 10, "RSS grew %d KiB under the flood (bound 64 MiB)"
          % (peak - base["VmRSS"]))
    check(figures[1][4]["VmRSS"] - figures[0][4]["VmRSS"] < 8 << 10,
          "RSS after round 2 %d KiB, after round 1 %d KiB (a leak?)"
          % (figures[1][4]["VmRSS"], figures[0][4]["VmRSS"]))
    st, _, _ = s.request("/v1/whoami", {}, token=token)
    check(st == 200, "served after both rounds")
    for n, (opened, refused, served, during, after) in enumerate(figures, 1):
        print("idle round %d: %d connected, %d refused at once; a normal client served after "
              "%.1f s; RSS KiB before %d, during %d, after %d; threads %d -> %d -> %d; "
              "fds %d -> %d -> %d"
              % (n, opened, refused, served or -1, base["VmRSS"], during["VmRSS"],
                 after["VmRSS"], base["Threads"], during["Threads"], after["Threads"],
                 base["fds"], during["fds"], after["fds"]))


def t_slow_loris(s):
    """Slow-loris clients -- headers, then a body, trickled a byte at a
    time, each byte inside --connection-timeout -- up to half the
    connection limit: other clients are served all along, and each trickler
    costs one connection (thread) of the limit, no more."""
    token = s.login()
    base = proc_status(s.proc.pid)
    head = (b"POST /v1/lead/add HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
            b"Content-Length: 200\r\n\r\n" % token.encode())
    lorises = []
    for i in range(8):
        c = socket.socket(socket.AF_UNIX)
        c.connect(s.sock)
        lorises.append(c)
    served = 0
    t0 = time.time()
    at = 0
    while time.time() - t0 < 6:  # three connection timeouts of trickling
        for c in lorises:
            c.sendall(head[at:at + 1] if at < len(head) else b" ")
        at += 1
        st, _, _ = s.request("/v1/whoami", {}, token=token)
        served += st == 200
        time.sleep(0.5)
    now = proc_status(s.proc.pid)
    check(served >= 10, "another client served %d times while 8 clients trickled" % served)
    check(now["Threads"] <= base["Threads"] + 8 + 2, "threads %d (before %d)"
          % (now["Threads"], base["Threads"]))
    for c in lorises:
        c.close()


KILLED_CLIENT = r"""
import os, socket, sys, time
c = socket.socket(socket.AF_UNIX)
c.connect(sys.argv[1])
mode = sys.argv[2]
if mode == "half-body":
    c.sendall(b"POST /v1/lead/add HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
              b"Content-Length: 4000\r\n\r\n{\"fields\": {\"email\": \"half" % sys.argv[3].encode())
elif mode == "half-headers":
    c.sendall(b"POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Len")
else:  # a whole login, gone before its answer
    body = b'{"user": "alice", "passphrase": "%s"}' % sys.argv[3].encode()
    c.sendall(b"POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s"
              % (len(body), body))
print("sent", flush=True)
time.sleep(60)
"""


def t_killed_client(s):
    """A client killed (SIGKILL) mid-request -- half its headers, half its
    body, or after a whole login before the answer -- while another client
    works: the other is served, the server's log says 499 for the cut
    request, nothing is stored from a half body, and the server goes on."""
    token = s.login()
    for round_no in range(3):
        for mode, arg in (("half-body", token), ("half-headers", ""),
                          ("whole-login", s.passes["alice"])):
            p = subprocess.Popen([sys.executable, "-c", KILLED_CLIENT, s.sock, mode, arg],
                                 stdout=subprocess.PIPE, text=True)
            check(p.stdout.readline().strip() == "sent", "the client sent its part")
            # Another client meanwhile: a whole session's work.
            st, doc, _ = s.request("/v1/lead/add", {"fields": {
                "email": "other%d.%s@example.com" % (round_no, mode)}}, token=token)
            check(st == 200, "%s: another client's lead add: %d %s" % (mode, st, doc))
            p.kill()
            p.wait()
            p.stdout.close()
            st, doc, _ = s.request("/v1/lead/get", {"id": doc["id"], "purpose": "qa_all"},
                                   token=token)
            check(st == 200, "%s: another client's lead get after the kill: %d" % (mode, st))
    time.sleep(0.5)
    st, doc, _ = s.request("/v1/lead/list", {}, token=token)
    check(st == 200 and len(doc["leads"]) == 9, "9 leads, none from a half body: %s"
          % (len(doc["leads"]) if doc else doc))
    log = s.log()
    check(log.count("/v1/lead/add 499 ") == 3, "a half body is logged as 499:\n" + log[-2000:])
    s.stop()
    p = s.lv("check")
    check(p.returncode == 0, "check after the killed clients")
    p = s.lv("audit", "verify")
    check(p.returncode == 0, "audit verify after the killed clients: %s" % p.stderr)


def t_kill9_under_load(s):
    """kill -9 of the server while clients reveal, then a restart: check and
    audit verify pass, and every reveal answered 200 has its audit entry
    (same session, same lead); three rounds, each killed at a random moment
    (LV_KILL9_SEED replays them)."""
    import collections
    import random
    seed = int(os.environ.get("LV_KILL9_SEED", str(int(time.time() * 1000) % 100000)))
    rng = random.Random(seed)
    csv = os.path.join(s.dir, "leads.csv")
    with open(csv, "w") as f:
        f.write("first_name,email\n")
        for i in range(200):
            f.write("Kill%d,kill%d@example.com\n" % (i, i))
    s.proc.send_signal(signal.SIGTERM)
    s.proc.wait(timeout=60)
    s.lv("import", csv)
    s.write_pass("aud", "auditor passphrase 3")
    s.lv("user", "add", "aud", "--role", "auditor", "--new-passphrase-file",
         s.pass_file("aud"), "--kdf-memory", "19", "--kdf-iterations", "2")
    ids = [l["id"] for l in json.loads(s.lv("--json", "lead", "list").stdout)["leads"]]
    for rnd in range(3):
        s.start()
        answered = collections.Counter()  # (session id prefix, lead id) -> 200 answers
        lock = threading.Lock()
        sessions = []
        for k in range(8):
            st, doc, _ = s.request("/v1/login", {"user": "alice" if k % 2 else "bob",
                                                 "passphrase": s.passes["alice" if k % 2
                                                                        else "bob"]})
            check(st == 200, "login %d: %d" % (k, st))
            sessions.append((doc["token"], doc["session"][:8]))

        def reveal(token, sid, r):
            while True:
                lead = r.choice(ids)
                try:
                    conn = UnixHTTPConnection(s.sock, timeout=30)
                    conn.request("POST", "/v1/lead/get", body=json.dumps(
                        {"id": lead, "purpose": "qa_all"}).encode(),
                        headers={"Authorization": "Bearer " + token})
                    resp = conn.getresponse()
                    body = json.loads(resp.read())
                    conn.close()
                except (OSError, http.client.HTTPException, ValueError):
                    return  # the server is gone
                if resp.status == 200:
                    check(body["id"] == lead, "the lead asked for")
                    with lock:
                        answered[(sid, lead)] += 1
        threads = [threading.Thread(target=reveal, args=(t, sid, random.Random(rng.random())))
                   for t, sid in sessions]
        for t in threads:
            t.start()
        time.sleep(0.3 + rng.random() * 1.5)
        s.proc.kill()  # SIGKILL: no shutdown, no checkpoint, no wiping
        s.proc.wait()
        for t in threads:
            t.join(60)
        check(sum(answered.values()) > 0, "round %d (seed %d): no reveal was answered before "
              "the kill" % (rnd, seed))
        if os.path.exists(s.sock):
            os.unlink(s.sock)  # left by the killed server
        p = s.lv("check", check_rc=False)
        check(p.returncode == 0, "round %d (seed %d): check after kill -9: %d %s%s"
              % (rnd, seed, p.returncode, p.stdout[-500:], p.stderr))
        p = s.lv("audit", "verify", user="aud", check_rc=False)
        check(p.returncode == 0, "round %d (seed %d): audit verify after kill -9: %d %s"
              % (rnd, seed, p.returncode, p.stderr))
        shown = json.loads(s.lv("--json", "audit", "show", "--action", "lead.get",
                                "--outcome", "ok", user="aud").stdout)["entries"]
        logged = collections.Counter()
        for e in shown:
            # os_user of a server session: srvID8.ADDR.OSUSER
            if e["os_user"].startswith("srv") and len(e["lead_ids"]) == 1:
                logged[(e["os_user"][3:11], e["lead_ids"][0])] += 1
        missing = [(k, n, logged[k]) for k, n in answered.items() if logged[k] < n]
        check(not missing, "round %d (seed %d): reveals answered 200 without their audit "
              "entry (session, lead, answered, logged): %s" % (rnd, seed, missing[:5]))
        print("round %d: %d reveals answered before kill -9, each in the log" %
              (rnd, sum(answered.values())))
    s.start()  # for the harness's SIGTERM


TESTS = {
    "login": (t_login, ()),
    "token_refused": (t_token_refused, ()),
    "passwd_revokes": (t_passwd_revokes, ()),
    "rekey_revokes": (t_rekey_revokes, ()),
    "expiry_idle": (t_expiry_idle, ("--session-idle", "2s")),
    "expiry_absolute": (t_expiry_absolute, ("--session-max", "4s")),
    "limits": (t_limits, ()),
    "slow_client": (t_slow_client, ("--connection-timeout", "2s")),
    "connection_limit": (t_connection_limit, ("--connection-limit", "4")),
    "rate_limit": (t_rate_limit, ()),
    "health": (t_health, ()),
    "plain_refused": (t_plain_refused, ()),
    "sigterm_inflight": (t_sigterm_inflight, ()),
    "no_pii_in_log": (t_no_pii_in_log, ()),
    "tls": (t_tls, ()),
    "cli_login": (t_cli_login, ()),
    "bad_bodies": (t_bad_bodies, ()),
    "huge": (t_huge, ()),
    "idle_connections": (t_idle_connections, ("--connection-limit", str(IDLE_LIMIT),
                                              "--connection-timeout", "%ds" % IDLE_TIMEOUT)),
    "killed_client": (t_killed_client, ()),
    "fd_limit": (t_fd_limit, ()),
    "slow_loris": (t_slow_loris, ("--connection-limit", "16", "--connection-timeout", "2s")),
    "kill9_under_load": (t_kill9_under_load, ()),
}


def main():
    global BIN
    if len(sys.argv) != 3 or (sys.argv[2] not in TESTS and sys.argv[2] != "all"):
        print(__doc__, file=sys.stderr)
        return 2
    BIN = os.path.abspath(sys.argv[1])
    names = list(TESTS) if sys.argv[2] == "all" else [sys.argv[2]]
    failed = 0
    for name in names:
        fn, extra = TESTS[name]
        s = Server(extra)
        try:
            fn(s)
            s.stop()
            print("ok: server.%s" % name)
        except Fail as e:
            failed += 1
            print("FAIL: server.%s: %s\n--- server log ---\n%s" % (name, e, s.log()[-3000:]))
        finally:
            s.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
