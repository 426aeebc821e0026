#!/usr/bin/env python3
"""exported.py - the shared library exports exactly the API.

usage: exported.py LIBRARY.so LEADVAULT_H

Lists the library's defined dynamic symbols (nm -D --defined-only) and
fails when any of them lacks the lv_ prefix (an internal function callable
by every program that links the library), or when a function declared
LV_EXTERN in the header is not exported (an API call hidden by mistake).
"""
import re
import subprocess
import sys


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    library, header = sys.argv[1], sys.argv[2]
    out = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True,
                         text=True, check=True).stdout
    exported = set()
    for line in out.splitlines():
        parts = line.split()
        # nm prints "ADDRESS TYPE NAME"; symbol versions (NAME@@V) are not used.
        if len(parts) == 3 and parts[1] in "TtDdBbRrWwVvi":
            exported.add(parts[2])
    with open(header, encoding="utf-8") as f:
        text = f.read()
    declared = set(re.findall(r"LV_EXTERN[^;{]*?\b(lv_[a-z0-9_]+)\s*\(", text))
    stray = sorted(s for s in exported if not s.startswith("lv_"))
    hidden = sorted(declared - exported)
    undeclared = sorted(s for s in exported if s.startswith("lv_") and s not in declared)
    print(f"{len(exported)} exported symbols, {len(declared)} LV_EXTERN functions in the header")
    for name in stray:
        print(f"  exported but not API: {name}")
    for name in hidden:
        print(f"  API not exported: {name}")
    for name in undeclared:
        print(f"  exported lv_ symbol the header does not declare: {name}")
    return 1 if stray or hidden or undeclared or not declared else 0


if __name__ == "__main__":
    sys.exit(main())
