#!/usr/bin/env python3
"""bench_server.py - leadvault serve on a Unix socket, a vault of LEADS leads
(default 100 000): login latency (the vault's default Argon2id cost), then
1, 8 and 32 concurrent clients, each a process with its own session and
connection, each doing find (POST /v1/lead/find by email) then get (POST
/v1/lead/get of the id found) of random leads for SECONDS (default 10).

Every find and every get is an audited reveal: the server answers it only
after the commit that holds its audit entry is durable (synchronous=FULL,
group commit: docs/server.md). Printed per client count: audited reveals per
second, find+get pairs per second, p50 and p99 latency of one request.
At the end the server is stopped and the vault checked: `audit verify`
passes and the log holds exactly one ok lead.find.email / lead.get entry per
200 answer (the figures count nothing that was not audited).

usage: bench_server.py LEADVAULT [LEADS] [SECONDS]
The vault goes in $TMPDIR (default /tmp): put that on the disk to measure,
not on a tmpfs (the script prints the file system). Loopback only.
"""
import http.client
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

PURPOSE = "sales_followup"


class Unix(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=120)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(self.unix_path)


def post(conn, path, body, token=None):
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    conn.request("POST", path, json.dumps(body), h)
    r = conn.getresponse()
    return r.status, json.loads(r.read())


def login(sock):
    c = Unix(sock)
    st, doc = post(c, "/v1/login", {"user": "alice", "passphrase": "bench passphrase"})
    c.close()
    assert st == 200, (st, doc)
    return doc["token"]


def logout(sock, token):
    c = Unix(sock)
    post(c, "/v1/logout", {}, token)
    c.close()


def client(sock, token, leads, start, stop, seed, out):
    """find then get random leads until stop; sends (latencies, failures)."""
    rng = random.Random(seed)
    c = Unix(sock)
    lat, failures = [], 0
    while time.time() < start:
        time.sleep(0.001)
    while time.time() < stop:
        i = rng.randrange(leads)
        t0 = time.perf_counter()
        st, doc = post(c, "/v1/lead/find", {"by": "email", "value": "person%d@example.com" % i,
                                            "purpose": PURPOSE}, token)
        t1 = time.perf_counter()
        if st != 200 or len(doc.get("leads", [])) != 1:
            failures += 1
            continue
        lat.append(t1 - t0)
        st, doc = post(c, "/v1/lead/get", {"id": doc["leads"][0]["id"], "purpose": PURPOSE},
                       token)
        t2 = time.perf_counter()
        if st != 200:
            failures += 1
            continue
        lat.append(t2 - t1)
    c.close()
    out.send((lat, failures))
    out.close()


def fs_type(path):
    r = subprocess.run(["stat", "-f", "-c", "%T", path], capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    lv = os.path.abspath(sys.argv[1])
    leads = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10
    d = tempfile.mkdtemp(prefix="lv-bench-server.")
    srv = None
    try:
        vault, sock = os.path.join(d, "v.lv"), os.path.join(d, "s.sock")
        print("machine: %d cores; load average %s; vault on %s (%s)" %
              (os.cpu_count(), load(), fs_type(d), d))
        with open(os.path.join(d, "a.pass"), "w") as f:
            f.write("bench passphrase\n")
        base = [lv, "--vault", vault, "--user", "alice", "--passphrase-file",
                os.path.join(d, "a.pass")]
        subprocess.run(base + ["init", "--admin", "alice"], check=True, capture_output=True)
        # An auditor reads the log at the end (an admin may not).
        subprocess.run(base + ["user", "add", "aud", "--role", "auditor",
                               "--new-passphrase-file", os.path.join(d, "a.pass")],
                       check=True, capture_output=True)
        auditor = [lv, "--vault", vault, "--user", "aud", "--passphrase-file",
                   os.path.join(d, "a.pass")]
        csv = os.path.join(d, "leads.csv")
        with open(csv, "w") as f:
            f.write("first_name,email\n")
            for i in range(leads):
                f.write("Person%d,person%d@example.com\n" % (i, i))
        t0 = time.time()
        subprocess.run(base + ["import", csv], check=True, capture_output=True)
        print("vault: %d leads imported in %.1f s" % (leads, time.time() - t0))
        srv = subprocess.Popen([lv, "--vault", vault, "serve", "--socket", sock,
                                "--max-requests", "256"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        srv.stdout.readline()
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            token = login(sock)
            times.append(time.perf_counter() - t0)
            logout(sock, token)
        times.sort()
        print("login (default Argon2id: 64 MiB, t=3, p=4): median %.0f ms" %
              (1000 * times[len(times) // 2]))
        print("clients  audited reveals/s  find+get/s  p50 ms  p99 ms  load before -> after")
        answered = 0
        for clients in (1, 8, 32):
            tokens = [login(sock) for _ in range(clients)]
            before = load()
            start = time.time() + 0.5
            stop = start + seconds
            procs, pipes = [], []
            for k in range(clients):
                rx, tx = multiprocessing.Pipe(False)
                p = multiprocessing.Process(target=client, args=(
                    sock, tokens[k], leads, start, stop, 1000 * clients + k, tx))
                p.start()
                procs.append(p)
                pipes.append(rx)
            lat, failures = [], 0
            for rx in pipes:
                l, f = rx.recv()
                lat.extend(l)
                failures += f
            for p in procs:
                p.join()
            for t in tokens:
                logout(sock, t)
            answered += len(lat)
            lat.sort()
            if failures:
                print("%2d clients: %d requests failed" % (clients, failures))
            print("%7d  %17.0f  %10.0f  %6.2f  %6.2f  %s -> %s" %
                  (clients, len(lat) / seconds, len(lat) / 2 / seconds,
                   1000 * lat[len(lat) // 2], 1000 * lat[int(len(lat) * 0.99)], before,
                   load()))
        srv.send_signal(signal.SIGTERM)
        srv.wait(120)
        srv = None
        # Nothing was counted that is not in the log.
        verify = subprocess.run(auditor + ["audit", "verify"], capture_output=True, text=True)
        shown = subprocess.run(auditor + ["--json", "audit", "show", "--action", "lead",
                                       "--outcome", "ok"], capture_output=True, text=True,
                               check=True)
        entries = json.loads(shown.stdout)
        entries = entries.get("entries", entries) if isinstance(entries, dict) else entries
        reveals = sum(1 for e in entries if e.get("action") in ("lead.get", "lead.find.email"))
        print("audit: verify exit %d; %d ok find/get entries for %d answered reveals" %
              (verify.returncode, reveals, answered))
        if verify.returncode != 0 or reveals != answered:
            print("MISMATCH: the figures above are not all audited", file=sys.stderr)
            return 1
        return 0
    finally:
        if srv is not None:
            srv.kill()
            srv.wait()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
