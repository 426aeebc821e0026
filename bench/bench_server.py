#!/usr/bin/env python3
"""bench_server.py - leadvault serve on a Unix socket: login latency (the
vault's default Argon2id cost) and audited reveals per second (POST
/v1/lead/get, each committed to the audit log before it is answered) with
1, 8 and 32 concurrent clients, each on its own session.

usage: bench_server.py LEADVAULT [LEADS] [SECONDS]
Run by hand (docs/performance.md); bounded in time, loopback only.
"""
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import http.client


class Unix(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=60)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(self.path)


def post(conn, path, body, token=None):
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    conn.request("POST", path, json.dumps(body), h)
    r = conn.getresponse()
    return r.status, json.loads(r.read())


def main():
    lv = os.path.abspath(sys.argv[1])
    leads = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 5
    d = tempfile.mkdtemp(prefix="lv-bench-server.")
    try:
        vault, sock = os.path.join(d, "v.lv"), os.path.join(d, "s.sock")
        with open(os.path.join(d, "a.pass"), "w") as f:
            f.write("bench passphrase\n")
        base = [lv, "--vault", vault, "--user", "alice", "--passphrase-file",
                os.path.join(d, "a.pass")]
        subprocess.run(base + ["init", "--admin", "alice"], check=True, capture_output=True)
        csv = os.path.join(d, "leads.csv")
        with open(csv, "w") as f:
            f.write("first_name,email\n")
            for i in range(leads):
                f.write("Person%d,person%d@example.com\n" % (i, i))
        subprocess.run(base + ["import", csv], check=True, capture_output=True)
        ids = [l["id"] for l in json.loads(subprocess.run(
            base + ["--json", "lead", "list"], check=True, capture_output=True).stdout)["leads"]]
        srv = subprocess.Popen([lv, "--vault", vault, "serve", "--socket", sock,
                                "--max-requests", "256"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        srv.stdout.readline()
        times = []
        for _ in range(5):
            c = Unix(sock)
            t0 = time.perf_counter()
            st, doc = post(c, "/v1/login", {"user": "alice", "passphrase": "bench passphrase"})
            times.append(time.perf_counter() - t0)
            post(c, "/v1/logout", {}, doc["token"])
            c.close()
        print("login (default Argon2id: 64 MiB, t=3, p=4): median %.0f ms" %
              (1000 * statistics.median(times)))
        for clients in (1, 8, 32):
            tokens = []
            for _ in range(clients):
                c = Unix(sock)
                tokens.append(post(c, "/v1/login", {"user": "alice",
                                                    "passphrase": "bench passphrase"})[1]["token"])
                c.close()
            lat, lock = [], threading.Lock()
            stop = time.time() + seconds

            def worker(k):
                c = Unix(sock)
                mine = []
                i = k
                while time.time() < stop:
                    t0 = time.perf_counter()
                    st, _ = post(c, "/v1/lead/get", {"id": ids[i % len(ids)],
                                                     "purpose": "sales_followup"}, tokens[k])
                    mine.append(time.perf_counter() - t0)
                    assert st == 200, st
                    i += clients
                with lock:
                    lat.extend(mine)
            th = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
            t0 = time.time()
            for t in th:
                t.start()
            for t in th:
                t.join()
            el = time.time() - t0
            lat.sort()
            print("%2d clients: %6.0f audited reveals/s, p50 %.1f ms, p99 %.1f ms" %
                  (clients, len(lat) / el, 1000 * lat[len(lat) // 2],
                   1000 * lat[int(len(lat) * 0.99)]))
            for t in tokens:
                c = Unix(sock)
                post(c, "/v1/logout", {}, t)
                c.close()
        srv.send_signal(signal.SIGTERM)
        srv.wait(60)
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
