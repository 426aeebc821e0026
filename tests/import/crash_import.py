#!/usr/bin/env python3
"""crash_import.py - kill -9 an import at random moments; the vault must stay
whole, and running the import again must finish the job.

usage: crash_import.py LEADVAULT_BINARY

A ~20,000-row CSV (tests/data/genleads.py, datablist layout, 2% of rows
repeating an earlier email in another case) is imported in the background
and killed with SIGKILL after a random 0.05-1.5 s, LV_CRASH_RUNS times
(default 20, as in CI; run 200 or more by hand). After each kill:
  - `check` and `audit verify` exit 0 (an unsigned tail is only a warning);
  - `lead list` and an export of every field name the same leads, and each
    exported lead is whole: every field equal to its CSV row, as imported;
  - the lead count is what was committed: whole batches of 10,000 new leads
    (`leadvault help import`), or everything once the import had finished;
  - the lead.import audit entries list exactly the stored leads.
When a run finished before the kill, the next run starts on a new vault so
that the kills keep landing inside imports. At the end the import runs again
on the last vault, to completion: the vault then holds each person of the
file once, and the summary counts as duplicates every row already stored.

LV_CRASH_SEED fixes the random kill times (the seed used is printed, to
replay a failure). Exit 0 when every check held, 1 otherwise.
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cli", "lib"))
import lvimport  # noqa: E402

ROWS = 20000
BATCH = 10000  # leads per committed batch, as `leadvault help import` says
ALL_FIELDS = ("first_name,last_name,email,phone,company,title,website,address,notes,"
              "email2,phone2")

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, flush=True)


class Vault:
    def __init__(self, binary, work, name):
        self.binary = binary
        self.work = work
        self.path = os.path.join(work, name)
        self.env = dict(os.environ, LEADVAULT_VAULT=self.path, LEADVAULT_USER="alice",
                        LEADVAULT_PASSPHRASE_FILE=os.path.join(work, "alice.pass"),
                        LC_ALL="C.UTF-8")

    def run(self, *args, user=None, check=True):
        cmd = [self.binary]
        if user is not None:
            cmd += ["--user", user, "--passphrase-file", os.path.join(self.work, user + ".pass")]
        cmd += list(args)
        p = subprocess.run(cmd, env=self.env, stdin=subprocess.DEVNULL, capture_output=True)
        if check and p.returncode != 0:
            raise RuntimeError("%s: exit %d\n%s" % (" ".join(args), p.returncode,
                                                    p.stderr.decode("utf-8", "replace")))
        return p

    def create(self):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.path + suffix):
                os.remove(self.path + suffix)
        kdf = ["--kdf-memory", "19", "--kdf-iterations", "2"]
        self.run("init", "--admin", "alice", *kdf)
        self.run("purpose", "add", "qa_every", "--basis", "legitimate_interest",
                 "--fields", ALL_FIELDS, "--roles", "admin")
        self.run("user", "add", "audra", "--role", "auditor", "--new-passphrase-file",
                 os.path.join(self.work, "audra.pass"), *kdf)


def verify(vault, csv_path, expected_total, label):
    """Every post-crash invariant. Returns the number of stored leads."""
    p = vault.run("check", check=False)
    if p.returncode != 0:
        fail("%s: check exited %d: %s" % (label, p.returncode, p.stdout + p.stderr))
    p = vault.run("audit", "verify", check=False)
    if p.returncode != 0:
        fail("%s: audit verify exited %d: %s" % (label, p.returncode, p.stdout + p.stderr))

    listed = json.loads(vault.run("--json", "lead", "list").stdout)
    list_ids = sorted(m["id"] for m in listed["leads"])
    if listed["count"] != len(list_ids):
        fail("%s: lead list count %d, %d leads listed" % (label, listed["count"], len(list_ids)))

    export = os.path.join(vault.work, "export.jsonl")
    with open(export, "wb") as out:
        out.write(vault.run("export", "--purpose", "qa_every", "--format", "jsonl").stdout)
    leads = lvimport.load_leads(export)
    export_ids = sorted(lead_id for _, _, lead_id in leads)
    if export_ids != list_ids:
        fail("%s: the export holds %d leads, lead list %d (or other ids)"
             % (label, len(export_ids), len(list_ids)))
    problems, _, _ = lvimport.compare_leads(csv_path, leads)
    for problem in problems[:10]:
        fail("%s: %s" % (label, problem))

    count = len(list_ids)
    if count % BATCH != 0 and count != expected_total:
        fail("%s: %d leads stored: neither whole batches of %d nor all %d"
             % (label, count, BATCH, expected_total))

    shown = json.loads(vault.run("--json", "audit", "show", "--action", "lead.import",
                                 user="audra").stdout)
    audited = sorted(i for e in shown["entries"] if e["outcome"] == "ok" for i in e["lead_ids"])
    if audited != list_ids:
        fail("%s: lead.import entries list %d lead ids, %d leads are stored"
             % (label, len(audited), len(list_ids)))
    return count


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: crash_import.py LEADVAULT_BINARY\n")
        return 2
    binary = os.path.abspath(sys.argv[1])
    runs = int(os.environ.get("LV_CRASH_RUNS", "20"))
    seed = int(os.environ.get("LV_CRASH_SEED", str(random.SystemRandom().randrange(1 << 30))))
    print("LV_CRASH_RUNS=%d LV_CRASH_SEED=%d" % (runs, seed), flush=True)
    rng = random.Random(seed)
    started = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="leadvault-crash.") as work:
        with open(os.path.join(work, "alice.pass"), "w") as f:
            f.write("alice crash passphrase\n")
        with open(os.path.join(work, "audra.pass"), "w") as f:
            f.write("audra crash passphrase\n")
        csv_path = os.path.join(work, "leads.csv")
        with open(csv_path, "wb") as out:
            subprocess.run([sys.executable, os.path.join(HERE, "..", "data", "genleads.py"),
                            "--rows", str(ROWS), "--seed", "3", "--dup-rate", "0.02"],
                           stdout=out, check=True)
        layout, _, rows = lvimport.read_csv(csv_path)
        people, in_file_duplicates = lvimport.first_occurrences(layout, rows)
        expected_total = len(people)
        print("%d rows, %d people, %d in-file duplicates"
              % (len(rows), expected_total, in_file_duplicates), flush=True)

        generation = 0
        vault = Vault(binary, work, "vault0.lv")
        vault.create()
        for run in range(1, runs + 1):
            delay = rng.uniform(0.05, 1.5)
            log = open(os.path.join(work, "import.out"), "wb")
            p = subprocess.Popen([binary, "import", csv_path], env=vault.env,
                                 stdin=subprocess.DEVNULL, stdout=log, stderr=log)
            time.sleep(delay)
            finished = p.poll() is not None
            if not finished:
                os.kill(p.pid, signal.SIGKILL)
            p.wait()
            log.close()
            if finished and p.returncode != 0:
                fail("run %d: the import exited %d by itself: %s" % (
                    run, p.returncode, open(os.path.join(work, "import.out"), "rb").read()))
            label = "run %d (killed after %.2f s)" % (run, delay) if not finished else \
                "run %d (finished within %.2f s)" % (run, delay)
            count = verify(vault, csv_path, expected_total, label)
            print("%s: %d leads stored, consistent" % (label, count), flush=True)
            if count == expected_total:
                generation += 1
                vault = Vault(binary, work, "vault%d.lv" % generation)
                vault.create()

        # Finish the job on the last vault.
        before = len(json.loads(vault.run("--json", "lead", "list").stdout)["leads"])
        summary = json.loads(vault.run("--json", "import", csv_path).stdout)
        want = {"rows": ROWS, "imported": expected_total - before,
                "duplicates": in_file_duplicates + before, "rejected": 0, "updated": 0}
        got = {k: summary[k] for k in want}
        if got != want:
            fail("final import (after %d leads stored): summary %r, expected %r"
                 % (before, got, want))
        count = verify(vault, csv_path, expected_total, "after the final import")
        if count != expected_total:
            fail("after the final import: %d leads stored, expected %d"
                 % (count, expected_total))
        leads = lvimport.load_leads(os.path.join(work, "export.jsonl"))
        problems, fields, _ = lvimport.compare_leads(csv_path, leads, require_all=True)
        for problem in problems[:10]:
            fail("after the final import: %s" % problem)
        print("final import: %d already stored, %d imported, %d duplicates; %d leads, "
              "%d fields compared" % (before, summary["imported"], summary["duplicates"],
                                      count, fields), flush=True)

    print("%s in %.1f s" % ("FAILED" if failures else "ok", time.monotonic() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
