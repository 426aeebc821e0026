#!/usr/bin/env python3
"""crash_keys.py - kill -9 `rekey`, `rekey --reencrypt` and `upgrade` at
random moments (issue 15, acceptance 5; the upgrade's promise of
docs/format.md).

usage: crash_keys.py LEADVAULT_BINARY

A vault of 12,000 leads (three rekey batches of 5,000) with consent
evidence on some is rekeyed in the background and killed with SIGKILL after
a random time within a measured full run, LV_CRASH_RUNS times (default 20,
as in CI; more by hand), alternating plain and --reencrypt. After each kill:
  - `check` exits 0 (a half-done rekey leaves every lead readable under its
    own generation), and so does an auditor's `audit verify`; when the kill
    left the rekey half done, the export is already byte-exact and `lead
    find` by email exits 7 (it waits for the rekey to finish);
  - `rekey` run again exits 0 (it finishes a half-done rekey, or makes one
    more generation);
  - `check` and `audit verify` exit 0 and an export of every field is byte
    for byte the one taken before any rekey; the consent evidence of a lead
    reads as recorded; lead_index (rebuilt in the rekey's last transaction)
    holds exactly one row per contact, each one of its lead's own tags, and
    `lead find` by email and by phone finds the lead.
Then the format-1 fixture's `upgrade` is killed LV_CRASH_UPGRADE_RUNS
times (default 5): the file must open as format 1 (audit verify passes) or
as format 2 (check passes), never half; upgrade run again finishes and the
lead reveals as before.

LV_CRASH_SEED fixes the random kill times. Exit 0 when everything held.
"""
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LEADS = 12000
ALL_FIELDS = ("first_name,last_name,email,phone,company,title,website,address,notes,"
              "email2,phone2")
failures = []
# index rows whose tag is not one of their lead's own (or whose lead is gone)
STALE = ("SELECT count(*) FROM lead_index AS i WHERE NOT EXISTS (SELECT 1 FROM lead AS l"
         " WHERE l.id = i.lead_id AND instr(substr(l.tags, 2), i.tag) > 0);")


def fail(message):
    failures.append(message)
    print("FAIL: " + message, flush=True)


def run(binary, work, vault, *args, user="alice", check=True):
    cmd = [binary, "--vault", vault, "--user", user, "--passphrase-file",
           os.path.join(work, user + ".pass")] + list(args)
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       env=dict(os.environ, LC_ALL="C.UTF-8"))
    if check and p.returncode != 0:
        raise RuntimeError("%s: exit %d\n%s" % (" ".join(args), p.returncode,
                                                p.stderr.decode("utf-8", "replace")))
    return p


def make_base(binary, work):
    base = os.path.join(work, "base.lv")
    kdf = ["--kdf-memory", "19", "--kdf-iterations", "2"]
    subprocess.run([binary, "--vault", base, "--user", "alice", "--passphrase-file",
                    os.path.join(work, "alice.pass"), "init", "--admin", "alice"] + kdf,
                   check=True, capture_output=True)
    run(binary, work, base, "purpose", "add", "qa_every", "--basis", "legitimate_interest",
        "--fields", ALL_FIELDS, "--roles", "admin")
    run(binary, work, base, "purpose", "add", "qc", "--basis", "consent", "--fields", "email",
        "--roles", "admin")
    run(binary, work, base, "user", "add", "audra", "--role", "auditor", "--new-passphrase-file",
        os.path.join(work, "audra.pass"), *kdf)
    csv = os.path.join(work, "leads.csv")
    with open(csv, "w", encoding="utf-8") as f:
        f.write("first_name,last_name,email,phone,company,notes\n")
        for i in range(LEADS):
            f.write("Name%d,Zoë-%d,person%d@example.com,+49151%08d,Firma %d GmbH,\"note, %d\"\n"
                    % (i, i, i, i, i % 97, i))
    run(binary, work, base, "import", csv)
    for i in range(0, LEADS, 1500):
        run(binary, work, base, "consent", "grant", "--email", "person%d@example.com" % i, "qc",
            "--evidence", "signed form %d" % i)
    # the lead whose consent evidence every run reads back
    found = run(binary, work, base, "--json", "lead", "find", "--email",
                "person1500@example.com", "--purpose", "qc").stdout.decode()
    with open(os.path.join(work, "consent-lead"), "w") as f:
        f.write(found.split('"id":"')[1].split('"')[0])
    run(binary, work, base, "erase", "--email", "person7@example.com", "--request", "R-7",
        "--ground", "art 17")
    return base


def export(binary, work, vault):
    return run(binary, work, vault, "export", "--purpose", "qa_every", "--format",
               "jsonl").stdout


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: crash_keys.py LEADVAULT_BINARY\n")
        return 2
    binary = os.path.abspath(sys.argv[1])
    runs = int(os.environ.get("LV_CRASH_RUNS", "20"))
    upgrade_runs = int(os.environ.get("LV_CRASH_UPGRADE_RUNS", "5"))
    seed = int(os.environ.get("LV_CRASH_SEED", str(random.SystemRandom().randrange(1 << 30))))
    print("LV_CRASH_RUNS=%d LV_CRASH_UPGRADE_RUNS=%d LV_CRASH_SEED=%d"
          % (runs, upgrade_runs, seed), flush=True)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="leadvault-crash-keys.") as work:
        with open(os.path.join(work, "alice.pass"), "w") as f:
            f.write("alice crash passphrase\n")
        with open(os.path.join(work, "audra.pass"), "w") as f:
            f.write("audra crash passphrase\n")
        base = make_base(binary, work)
        baseline = export(binary, work, base)
        # how long a whole rekey takes, each way
        spans = {}
        for flag in ("", "--reencrypt"):
            probe = os.path.join(work, "probe.lv")
            shutil.copy(base, probe)
            t = time.monotonic()
            run(binary, work, probe, "rekey", *([flag] if flag else []))
            spans[flag] = time.monotonic() - t
            os.remove(probe)
        print("full rekey: %.2f s, --reencrypt: %.2f s" % (spans[""], spans["--reencrypt"]),
              flush=True)
        for n in range(runs):
            flag = "--reencrypt" if n % 2 else ""
            vault = os.path.join(work, "run.lv")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(vault + suffix):
                    os.remove(vault + suffix)
            shutil.copy(base, vault)
            os.chmod(vault, 0o600)
            cmd = [binary, "--vault", vault, "--user", "alice", "--passphrase-file",
                   os.path.join(work, "alice.pass"), "rekey"] + ([flag] if flag else [])
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            delay = rng.uniform(0.0, spans[flag] * 1.1)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            p.wait()
            label = "run %d (rekey %s, kill after %.3f s)" % (n, flag or "plain", delay)
            c = run(binary, work, vault, "check", check=False)
            if c.returncode != 0:
                fail("%s: check before resuming exited %d: %s"
                     % (label, c.returncode, c.stderr.decode()))
            # an auditor's session during a half-done rekey verifies and signs nothing wrong
            c = run(binary, work, vault, "audit", "verify", user="audra", check=False)
            if c.returncode != 0:
                fail("%s: the auditor's audit verify before resuming exited %d: %s"
                     % (label, c.returncode, c.stderr.decode()))
            pending = subprocess.run(["sqlite3", vault, "SELECT count(*) FROM keygen WHERE state = 2"],
                                     capture_output=True).stdout.strip() == b"1"
            if pending:
                # half done: reads work, a lookup by email waits for the rekey (exit 7)
                f = run(binary, work, vault, "lead", "find", "--email", "person3@example.com",
                        "--purpose", "qa_every", check=False)
                if f.returncode != 7 or b"rekey is half done" not in f.stderr:
                    fail("%s: lead find during a half-done rekey exited %d: %s"
                         % (label, f.returncode, f.stderr.decode()))
                if export(binary, work, vault) != baseline:
                    fail("%s: the export of a half-done rekey differs" % label)
            r = run(binary, work, vault, "--json", "rekey", check=False)
            if r.returncode != 0:
                fail("%s: rekey again exited %d: %s" % (label, r.returncode, r.stderr.decode()))
            for what in (("check",), ("audit", "verify")):
                c = run(binary, work, vault, *what, check=False)
                if c.returncode != 0:
                    fail("%s: %s exited %d: %s" % (label, " ".join(what), c.returncode,
                                                   c.stderr.decode()))
            if export(binary, work, vault) != baseline:
                fail("%s: the export differs from the one before the rekey" % label)
            # the index, rebuilt as the rekey finished: one row per contact of every
            # lead (lead 7 is erased), each naming one of its lead's own tags
            rows = subprocess.run(["sqlite3", vault, "SELECT count(*) FROM lead_index; " + STALE],
                                  capture_output=True).stdout.split()
            if rows != [str(2 * (LEADS - 1)).encode(), b"0"]:
                fail("%s: lead_index rows (all, stale) after the rekey: %s" % (label, rows))
            for i in (3, rng.randrange(8, LEADS)):
                for by, value in (("--email", "person%d@example.com" % i),
                                  ("--phone", "+49151%08d" % i)):
                    f = run(binary, work, vault, "--json", "lead", "find", by, value, "--purpose",
                            "qa_every", check=False)
                    if f.returncode != 0 or f.stdout.count(b'"id"') != 1:
                        fail("%s: lead find %s %s after the rekey exited %d: %s"
                             % (label, by, value, f.returncode, f.stdout + f.stderr))
            with open(os.path.join(work, "consent-lead")) as f:
                consent_lead = f.read()
            show = run(binary, work, vault, "consent", "show", consent_lead, check=False)
            if b"signed form 1500" not in show.stdout:
                fail("%s: consent evidence lost" % label)
            print("%s: ok%s (%s)" % (label, ", killed half done" if pending else "",
                                       r.stdout.decode().strip()), flush=True)

        fixture = os.path.join(HERE, "..", "data", "vault-format1.lv")
        with open(os.path.join(work, "fx.pass"), "w") as f:
            f.write("format-1 fixture passphrase\n")
        for n in range(upgrade_runs):
            vault = os.path.join(work, "up%d.lv" % n)
            shutil.copy(fixture, vault)
            os.chmod(vault, 0o600)
            cmd = [binary, "--vault", vault, "--user", "alice", "--passphrase-file",
                   os.path.join(work, "fx.pass"), "upgrade"]
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            delay = rng.uniform(0.0, 0.4)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            p.wait()
            label = "upgrade run %d (kill after %.3f s)" % (n, delay)
            version = subprocess.run(["sqlite3", vault, "PRAGMA user_version"],
                                     capture_output=True).stdout.strip()
            what = ("audit", "verify") if version == b"1" else ("check",)
            c = subprocess.run([binary, "--vault", vault, "--user", "alice", "--passphrase-file",
                                os.path.join(work, "fx.pass")] + list(what), capture_output=True)
            if version not in (b"1", b"2") or c.returncode != 0:
                fail("%s: format %s, %s exited %d: %s" % (label, version, " ".join(what),
                                                          c.returncode, c.stderr.decode()))
            u = subprocess.run([binary, "--vault", vault, "--user", "alice", "--passphrase-file",
                                os.path.join(work, "fx.pass"), "upgrade"], capture_output=True)
            g = subprocess.run([binary, "--vault", vault, "--user", "alice", "--passphrase-file",
                                os.path.join(work, "fx.pass"), "lead", "list"],
                               capture_output=True)
            left = [x for x in os.listdir(work) if x.startswith("up%d.lv.upgrade-" % n)]
            if u.returncode != 0 or g.returncode != 0 or left:
                fail("%s: upgrade again exited %d, lead list %d, leftovers %s"
                     % (label, u.returncode, g.returncode, left))
            else:
                print("%s: format %s after the kill; ok" % (label, version.decode()), flush=True)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
