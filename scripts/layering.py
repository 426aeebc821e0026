#!/usr/bin/env python3
"""layering.py - no file of vault/ depends on another in a loop.

Two graphs over the files of vault/, one node per module (x.c with x.h):

  include  x -> y when x.c or x.h has #include "y.h"
  call     x -> y when x.o leaves a symbol undefined that y.o defines
           (read with nm from the compiled objects, so macros and
           inline helpers count where they really call)

Every strongly connected component of more than one module is a cycle.
A cycle is allowed only when a comment naming "layering:" and the other
module stands in both modules' sources (a reason both sides can read).

usage: layering.py VAULT_DIR [OBJECT_OR_STATIC_LIBRARY ...]
Exit 0 when acyclic (or every cycle is explained), 1 otherwise.
"""
import os
import re
import subprocess
import sys


def module_of(path):
    return re.sub(r"\.(c|h|c\.o|o)$", "", os.path.basename(path))


def include_graph(vault_dir):
    graph = {}
    for name in sorted(os.listdir(vault_dir)):
        if not name.endswith((".c", ".h")):
            continue
        src = module_of(name)
        graph.setdefault(src, set())
        with open(os.path.join(vault_dir, name), encoding="utf-8") as f:
            for line in f:
                m = re.match(r'\s*#\s*include\s+"([^"]+)\.h"', line)
                if m and os.path.exists(os.path.join(vault_dir, m.group(1) + ".h")):
                    dst = m.group(1)
                    if dst != src:
                        graph[src].add(dst)
    return graph


def nm_by_member(path, *flags):
    """{module: [nm lines]} for an object file or each member of a static
    library (nm prints "member.o:" before each member's symbols)."""
    out = subprocess.run(["nm", *flags, path], capture_output=True, text=True,
                         check=True).stdout
    result, current = {}, module_of(path)
    for line in out.splitlines():
        if line.endswith(".o:"):
            current = module_of(line[:-1])
        elif line.strip():
            result.setdefault(current, []).append(line.split())
    return result


def call_graph(objects):
    defined, undefined = {}, {}
    for obj in objects:
        for mod, rows in nm_by_member(obj, "--defined-only", "-g").items():
            for parts in rows:
                if len(parts) == 3:
                    defined[parts[2]] = mod
        for mod, rows in nm_by_member(obj, "-u").items():
            undefined.setdefault(mod, set()).update(parts[-1] for parts in rows)
        for mod in nm_by_member(obj, "--defined-only"):
            undefined.setdefault(mod, set())
    graph = {mod: set() for mod in undefined}
    for mod, symbols in undefined.items():
        for sym in symbols:
            dst = defined.get(sym)
            if dst and dst != mod:
                graph[mod].add(dst)
    return graph


def cycles(graph):
    """Tarjan's strongly connected components of size > 1."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def explained(vault_dir, component):
    """Every module of the cycle says why, naming another member."""
    for mod in component:
        text = ""
        for ext in (".c", ".h"):
            path = os.path.join(vault_dir, mod + ext)
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    text += f.read()
        reasons = re.findall(r"layering:([^\n]*)", text)
        if not any(other in r for r in reasons for other in component if other != mod):
            return False
    return True


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    vault_dir, objects = sys.argv[1], sys.argv[2:]
    failed = False
    graphs = [("include", include_graph(vault_dir))]
    if objects:
        graphs.append(("call", call_graph(objects)))
    for kind, graph in graphs:
        edges = sum(len(v) for v in graph.values())
        found = cycles(graph)
        print(f"{kind} graph: {len(graph)} modules, {edges} edges, {len(found)} cycles")
        for component in found:
            ok = explained(vault_dir, component)
            print(f"  {'explained' if ok else 'CYCLE'}: {' <-> '.join(component)}")
            for mod in component:
                inner = sorted(d for d in graph[mod] if d in component)
                print(f"    {mod} -> {', '.join(inner)}")
            failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
