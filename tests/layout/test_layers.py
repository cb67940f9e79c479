#!/usr/bin/env python3
"""The layout rules of docs/ARCHITECTURE.md, checked on the built objects.

1. Every folder of src/ is a layer, and a file calls and includes only its
   own layer and the layers below it (the order is LAYERS).
2. No two files call each other in a circle, directly or through others.
3. No function is longer than MAX_FUNCTION_LINES.
4. Every folder says what lives there (its README.md).

Run by `make check` with HARDRUN_SRCDIR and HARDRUN_BUILDDIR set; prints one
line per rule and exits non-zero when any is broken.
"""
import os
import re
import subprocess
import sys

# bottom first: a layer may use those before it, never those after it
LAYERS = ["init", "base", "spec", "host", "runtime", "policy", "learn", "controls", "decide", "record", "agent", "cli"]
MAX_FUNCTION_LINES = 100

srcdir = os.environ.get("HARDRUN_SRCDIR", ".")
builddir = os.environ.get("HARDRUN_BUILDDIR", ".")
failures = []


def layer_of(rel):
    """The layer of a path relative to src/, or None."""
    top = rel.split("/", 1)[0]
    return LAYERS.index(top) if top in LAYERS else None


def sources():
    root = os.path.join(srcdir, "src")
    for d, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(d, f), root)


def check_folders():
    root = os.path.join(srcdir, "src")
    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if not os.path.isdir(path):
            failures.append("src/%s: every file lives in a folder of LAYERS" % entry)
        elif entry not in LAYERS:
            failures.append("src/%s: a folder that is not a layer" % entry)
        elif not os.path.isfile(os.path.join(path, "README.md")):
            failures.append("src/%s: no README.md saying what lives there" % entry)


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def check_includes():
    for rel in sources():
        mine = layer_of(rel)
        with open(os.path.join(srcdir, "src", rel), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m or m.group(1) == "config.h":
                    continue
                target = m.group(1)
                theirs = layer_of(target)
                if "/" not in target or theirs is None:
                    failures.append("src/%s:%d: include \"%s\" does not name its folder" % (rel, n, target))
                elif theirs > mine:
                    failures.append("src/%s:%d: includes %s, a layer above it" % (rel, n, target))


def objects():
    """{path relative to src/ without .o: object file} for the library and main."""
    found = {}
    root = os.path.join(builddir, "src")
    for d, _, files in os.walk(root):
        for f in files:
            # embed-tree's own copies of json.c and friends are not hardrun's
            if f.endswith(".o") and not f.startswith("build_aux_"):
                rel = os.path.relpath(os.path.join(d, f), root)[:-2]
                found[rel] = os.path.join(d, f)
    return found


def symbols(obj):
    out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
    defined, used = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDRBCG":
            defined.add(parts[2])
        elif len(parts) == 2 and parts[0] == "U":
            used.add(parts[1])
    return defined, used


def call_graph(objs):
    table = {name: symbols(path) for name, path in objs.items()}
    owner = {}
    for name, (defined, _) in table.items():
        for s in defined:
            owner[s] = name
    graph = {name: set() for name in table}
    for name, (_, used) in table.items():
        for s in used:
            if s in owner and owner[s] != name:
                graph[name].add(owner[s])
    return graph


def cycles(graph):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def check_calls():
    objs = objects()
    if len(objs) < 2 * len(LAYERS):
        failures.append("only %d objects under %s/src: build hardrun first" % (len(objs), builddir))
        return
    graph = call_graph(objs)
    for a in sorted(graph):
        for b in sorted(graph[a]):
            if layer_of(b) is None or layer_of(a) is None:
                failures.append("src/%s.o: outside the layers" % (a if layer_of(a) is None else b))
            elif layer_of(b) > layer_of(a):
                failures.append("src/%s calls src/%s, a layer above it" % (a, b))
    for comp in cycles(graph):
        failures.append("files that call each other in a circle: %s" % ", ".join("src/%s" % c for c in comp))
    print("# %d objects, %d calls between files" % (len(graph), sum(len(v) for v in graph.values())))


FUNCTION_NAME = re.compile(r"^([a-z_][a-z0-9_]*)\s*\(")


def check_function_lengths():
    for rel in sources():
        if not rel.endswith(".c"):
            continue
        name, start = None, None
        with open(os.path.join(srcdir, "src", rel), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = FUNCTION_NAME.match(line)
                if m and start is None:
                    name = m.group(1)
                if line.startswith("{"):
                    start = n
                elif line.startswith("}") and start is not None:
                    if n - start - 1 > MAX_FUNCTION_LINES:
                        failures.append("src/%s:%d: %s is %d lines long (at most %d)"
                                        % (rel, start, name, n - start - 1, MAX_FUNCTION_LINES))
                    start = None


def main():
    checks = [("every folder is a layer with a README", check_folders),
              ("includes go down the layers", check_includes),
              ("calls go down the layers, and none in a circle", check_calls),
              ("functions of at most %d lines" % MAX_FUNCTION_LINES, check_function_lengths)]
    bad = 0
    for title, check in checks:
        before = len(failures)
        check()
        if len(failures) == before:
            print("ok - %s" % title)
        else:
            bad += 1
            print("not ok - %s" % title)
            for f in failures[before:]:
                print("#   %s" % f)
    print("layout: %d passed, %d failed" % (len(checks) - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
