#!/usr/bin/env python3
"""memory_import.py - the import's memory stays bounded whatever the input
size (include/leadvault.h, lv_import).

usage: memory_import.py LEADVAULT_BINARY [ROWS]

Generates ROWS (default 200,000) datablist rows with tests/data/genleads.py,
imports them into a new vault at the KDF floor under /usr/bin/time -v (or,
without it, reading the child's rusage from wait4), and requires a peak
resident set below 64 MiB plus the Argon2id memory of the unlock (19 MiB at
the floor). Prints the peak, the time and the rows per second. Not for a
sanitizer build: shadow memory and quarantine inflate the peak.
Exit 0 when within the bound and every row was imported, 1 otherwise.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BOUND_KIB = 64 * 1024 + 19 * 1024  # import buffers + the KDF at the floor


def main():
    if len(sys.argv) not in (2, 3):
        sys.stderr.write("usage: memory_import.py LEADVAULT_BINARY [ROWS]\n")
        return 2
    binary = os.path.abspath(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) == 3 else 200000
    with tempfile.TemporaryDirectory(prefix="leadvault-memory.") as work:
        env = dict(os.environ, LEADVAULT_VAULT=os.path.join(work, "vault.lv"),
                   LEADVAULT_USER="alice",
                   LEADVAULT_PASSPHRASE_FILE=os.path.join(work, "alice.pass"), LC_ALL="C.UTF-8")
        with open(os.path.join(work, "alice.pass"), "w") as f:
            f.write("alice memory passphrase\n")
        csv_path = os.path.join(work, "leads.csv")
        with open(csv_path, "wb") as out:
            subprocess.run([sys.executable, os.path.join(HERE, "..", "data", "genleads.py"),
                            "--rows", str(rows), "--seed", "11"], stdout=out, check=True)
        subprocess.run([binary, "init", "--admin", "alice", "--kdf-memory", "19",
                        "--kdf-iterations", "2"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        size_mib = os.path.getsize(csv_path) / 1048576
        command = [binary, "--json", "import", csv_path]
        started = time.monotonic()
        if os.access("/usr/bin/time", os.X_OK):
            p = subprocess.run(["/usr/bin/time", "-v"] + command, env=env, capture_output=True,
                               stdin=subprocess.DEVNULL)
            seconds = time.monotonic() - started
            stderr = p.stderr.decode("utf-8", "replace")
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
            if m is None:
                print("FAIL: no peak in the output of /usr/bin/time -v:\n" + stderr)
                return 1
            peak_kib, how = int(m.group(1)), "/usr/bin/time -v"
            returncode, stdout = p.returncode, p.stdout
        else:
            out = open(os.path.join(work, "out.json"), "w+b")
            child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.DEVNULL,
                                     stdin=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
            seconds = time.monotonic() - started
            out.seek(0)
            peak_kib, how = usage.ru_maxrss, "wait4"
            returncode, stdout = child.returncode, out.read()
        if returncode != 0:
            print("FAIL: the import exited %d" % returncode)
            return 1
        summary = json.loads(stdout)
        print("%d rows (%.1f MiB of CSV): %d imported in %.1f s (%.0f rows/s); peak RSS "
              "%.1f MiB (%s), bound %.0f MiB"
              % (rows, size_mib, summary["imported"], seconds, rows / seconds,
                 peak_kib / 1024, how, BOUND_KIB / 1024))
        ok = True
        if summary["imported"] != rows:
            print("FAIL: %d rows imported, expected %d" % (summary["imported"], rows))
            ok = False
        if peak_kib >= BOUND_KIB:
            print("FAIL: peak RSS %.1f MiB is over the bound of %.0f MiB"
                  % (peak_kib / 1024, BOUND_KIB / 1024))
            ok = False
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
