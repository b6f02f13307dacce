#!/usr/bin/env python3
"""Fails on any import cycle between the source files of a workspace crate (issue 15).

For every crate target of the workspace (each member's `src/lib.rs`, `src/main.rs`,
`src/bin/*.rs`), build the module tree from `mod x;` declarations (`x.rs` / `x/mod.rs` layouts,
inline `mod x { ... }` blocks, `#[path]`), read every module path a file names —
`use crate::…`, `use super::…`, `use self::…` (grouped `{a, b::c}` trees too) and inline paths
such as `crate::a::f()` or `super::B` in code — and resolve each to the file that defines the
module it names (an item path `crate::a::B` points at the file of module `a`).

An edge from a file to a module at or below the file's own module is ignored (a parent may wire
and call its sub-modules); a child naming its parent, or a sibling, is an edge. Code inside an
inline module (`#[cfg(test)] mod tests { use super::*; }`) belongs to its file. Any strongly
connected set of files is reported as cycles (every offending import appears in one), with the
line that makes each step, and the exit status is 1.

Python 3 standard library only. Usage:
    check-module-cycles.py [--root DIR] [MEMBER_DIR...]   (default: the workspace members)
"""

import argparse
import collections
import glob
import os
import re
import sys
import tomllib

IDENT_START = re.compile(r"[A-Za-z_]")
IDENT = re.compile(r"[A-Za-z0-9_]*")
PATH_STARTS = ("crate", "super", "self")


# ------------------------------------------------------------------------------ lexing


def tokenize(src):
    """(kind, text, line) tokens of Rust source: comments dropped, literals reduced to 'str'."""
    toks, i, n, line = [], 0, len(src), 1

    def add(kind, text):
        toks.append((kind, text, line))

    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    line += src[i] == "\n"
                    i += 1
        elif (m := re.match(r'(?:br|cr|r)(#*)"', src[i:i + 300])) is not None:
            close = '"' + m.group(1)
            j = src.find(close, i + m.end())
            j = n if j < 0 else j + len(close)
            add("str", src[i + m.end():j - len(close)])
            line += src.count("\n", i, j)
            i = j
        elif c == '"' or (c in "bc" and src.startswith('"', i + 1)):
            j = i + (1 if c == '"' else 2)
            start = j
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            add("str", src[start:j])
            line += src.count("\n", i, j)
            i = j + 1
        elif c == "'" or (c == "b" and src.startswith("'", i + 1)):
            q = i + (1 if c == "'" else 2)
            if src.startswith("\\", q):  # escaped char literal
                j = q + 2
                while j < n and src[j] != "'":
                    j += 1
                i = j + 1
            elif q + 1 < n and src[q + 1] == "'":  # 'x'
                i = q + 2
            else:  # a lifetime or label: drop the quote, the name lexes as an identifier
                i = q if c == "'" else i + 1
        elif src.startswith("r#", i) and i + 2 < n and IDENT_START.match(src[i + 2]):
            j = IDENT.match(src, i + 2).end()
            add("ident", src[i + 2:j])
            i = j
        elif IDENT_START.match(c) or (c == "$" and src.startswith("$crate", i)):
            j = IDENT.match(src, i + 1).end()
            add("ident", src[i:j].lstrip("$"))
            i = j
        elif c.isdigit():
            i = IDENT.match(src, i).end()
        elif src.startswith("::", i):
            add("punct", "::")
            i += 2
        else:
            add("punct", c)
            i += 1
    return toks


# ------------------------------------------------------------------------------ parsing one file


class FileFacts:
    """What one file declares and names, each keyed by the inline-module path inside the file."""

    def __init__(self):
        self.mods = []  # (inline prefix, name, path attribute or None, is_inline)
        self.refs = []  # (inline prefix, [segments], line, text)


def parse_use_tree(toks, i, prefix, out, line):
    """Parses a use tree at toks[i]; appends full segment lists to `out`; returns the next index."""
    segs = list(prefix)
    while i < len(toks):
        kind, text, _ = toks[i]
        if text == "::":
            i += 1
        elif text == "{":
            i += 1
            while i < len(toks) and toks[i][1] != "}":
                if toks[i][1] == ",":
                    i += 1
                    continue
                i = parse_use_tree(toks, i, segs, out, line)
            return i + 1
        elif text == "*":
            out.append((segs, line))
            return i + 1
        elif kind == "ident" and text != "as":
            segs.append(text)
            i += 1
            if i < len(toks) and toks[i][1] == "::":
                continue
            if i + 1 < len(toks) and toks[i][1] == "as":
                i += 2
            out.append((segs, line))
            return i
        else:
            return i
    return i


def path_attr(toks, i):
    """The `#[path = "…"]` string among the attributes just before toks[i] (`mod`), if any."""
    j = i - 1
    while j >= 0 and toks[j][1] in ("pub", "crate", "super", "self", "in", "(", ")", "::"):
        j -= 1
    while j >= 0 and toks[j][1] == "]":
        depth, k = 0, j
        while k >= 0:
            depth += {"]": 1, "[": -1}.get(toks[k][1], 0)
            if depth == 0:
                break
            k -= 1
        attr = toks[k:j + 1]
        if (len(attr) >= 5 and attr[1][1] == "path" and attr[2][1] == "="
                and attr[3][0] == "str"):
            return attr[3][1]
        j = k - 2  # skip the `#`
    return None


def parse_file(src):
    toks = tokenize(src)
    facts = FileFacts()
    stack = []  # (inline module name, brace depth at which it closes)
    depth, i = 0, 0
    while i < len(toks):
        kind, text, line = toks[i]
        prefix = tuple(name for name, _ in stack)
        if text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
            if stack and stack[-1][1] == depth:
                stack.pop()
        elif kind == "ident" and text == "mod" and i + 2 < len(toks) and toks[i + 1][0] == "ident":
            name, nxt = toks[i + 1][1], toks[i + 2][1]
            if nxt in (";", "{"):
                facts.mods.append((prefix, name, path_attr(toks, i), nxt == "{"))
                if nxt == "{":
                    stack.append((name, depth))
                    depth += 1
                i += 3
                continue
        elif kind == "ident" and text == "use" and (i == 0 or toks[i - 1][1] != "::"):
            out = []
            j = parse_use_tree(toks, i + 1, (), out, line)
            for segs, at in out:
                shown = segs[:-1] if len(segs) > 1 and segs[-1] == "self" else segs
                facts.refs.append((prefix, segs, at, "use " + "::".join(shown)))
            i = max(j, i + 1)
            continue
        elif (kind == "ident" and text in PATH_STARTS and i + 2 < len(toks)
              and toks[i + 1][1] == "::" and (i == 0 or toks[i - 1][1] != "::")
              and not (i >= 2 and toks[i - 1][1] == "in" and toks[i - 2][1] == "(")):
            segs, j = [text], i + 1
            while j + 1 < len(toks) and toks[j][1] == "::" and toks[j + 1][0] == "ident":
                segs.append(toks[j + 1][1])
                j += 2
            facts.refs.append((prefix, segs, line, "::".join(segs)))
            i = j
            continue
        i += 1
    return facts


# ------------------------------------------------------------------------------ one crate target


class Target:
    """One crate (a library or a binary): its module tree and the file graph it implies."""

    def __init__(self, root, label, root_file):
        self.root = root  # repository root, for display
        self.label = label
        self.module_file = {}  # module path (tuple) -> file
        self.children = collections.defaultdict(set)  # module path -> child names
        self.file_module = {}  # file -> the module path it owns
        self.facts = {}  # file -> FileFacts
        self.warnings = []
        self._load(root_file, ())

    def _load(self, path, module):
        if path in self.file_module:
            return
        with open(path, encoding="utf-8") as f:
            facts = parse_file(f.read())
        self.file_module[path] = module
        self.module_file[module] = path
        self.facts[path] = facts
        base = os.path.basename(path)
        is_mod_rs = base in ("mod.rs", "lib.rs", "main.rs") or module == ()
        own_dir = os.path.dirname(path) if is_mod_rs else path[:-3]
        for prefix, name, attr, inline in facts.mods:
            parent = module + prefix
            child = parent + (name,)
            self.children[parent].add(name)
            if inline:
                self.module_file[child] = path
                continue
            if attr is not None:
                candidates = [os.path.join(os.path.dirname(path), attr)]
            else:
                d = os.path.join(own_dir, *prefix)
                candidates = [os.path.join(d, name + ".rs"), os.path.join(d, name, "mod.rs")]
            found = next((c for c in candidates if os.path.isfile(c)), None)
            if found is None:
                self.warnings.append(f"{self.rel(path)}: no file for `mod {name};`")
                continue
            self._load(os.path.normpath(found), child)

    def rel(self, path):
        return os.path.relpath(path, self.root)

    def resolve(self, module, segs):
        """The module a path names, seen from `module`; None for extern or unknown paths."""
        first, rest = segs[0], segs[1:]
        if first == "crate":
            m = ()
        elif first == "self":
            m = module
        elif first == "super":
            m = module
            while True:
                if not m:
                    return None
                m = m[:-1]
                if rest and rest[0] == "super":
                    rest = rest[1:]
                else:
                    break
        elif first in self.children.get(module, ()):
            m, rest = module, segs
        else:
            return None
        for s in rest:
            if s == "self":
                continue
            if s not in self.children.get(m, ()):
                break
            m = m + (s,)
        return m

    def edges(self):
        """{(from file, to file): (line, text) of the first reference making that edge}."""
        out = {}
        for path, facts in self.facts.items():
            own = self.file_module[path]
            for prefix, segs, line, text in facts.refs:
                target = self.resolve(own + prefix, segs)
                if target is None or target[:len(own)] == own:
                    continue  # extern, or this file's own module or one of its descendants
                to = self.module_file.get(target)
                if to is None:
                    continue
                out.setdefault((path, to), (line, text))
        return out


# ------------------------------------------------------------------------------ cycles


def strongly_connected(nodes, succ):
    """Tarjan's algorithm, iterative; returns the components with more than one node."""
    index, low, on, stack, comps, counter = {}, {}, set(), [], [], [0]
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(succ.get(start, ()))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(succ.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    comps.append(sorted(comp))
    return comps


def cycles_covering(comp, succ):
    """Shortest cycles inside one component until every edge inside it appears in one."""
    members = set(comp)
    inner = sorted((u, v) for u in comp for v in succ.get(u, ()) if v in members)
    covered, cycles = set(), []
    for u, v in inner:
        if (u, v) in covered:
            continue
        prev, queue = {v: None}, collections.deque([v])
        while queue and u not in prev:
            x = queue.popleft()
            for y in sorted(succ.get(x, ())):
                if y in members and y not in prev:
                    prev[y] = x
                    queue.append(y)
        path, x = [], u
        while x is not None:
            path.append(x)
            x = prev[x]
        cycle = [u] + path[::-1]  # u -> v -> ... -> u
        covered.update(zip(cycle, cycle[1:]))
        cycles.append(cycle)
    return cycles


def report(target):
    """Prints the target's cycles; returns how many were printed."""
    edges = target.edges()
    succ = collections.defaultdict(set)
    for u, v in edges:
        succ[u].add(v)
    count = 0
    for comp in strongly_connected(target.file_module, succ):
        files = ", ".join(target.rel(f) for f in comp)
        print(f"{target.label}: {len(comp)} files import each other in a loop: {files}")
        for cycle in cycles_covering(comp, succ):
            count += 1
            print("  cycle: " + " -> ".join(target.rel(f) for f in cycle))
            for u, v in zip(cycle, cycle[1:]):
                line, text = edges[(u, v)]
                print(f"    {target.rel(u)}:{line}: {text}")
    return count


# ------------------------------------------------------------------------------ workspace


def crate_targets(root, member):
    """(label, root file) of every target whose sources live in `member`/src."""
    name = os.path.basename(member)
    manifest = os.path.join(member, "Cargo.toml")
    if os.path.isfile(manifest):
        with open(manifest, "rb") as f:
            name = tomllib.load(f).get("package", {}).get("name", name)
    src = os.path.join(member, "src")
    rel = os.path.relpath(src, root)
    found = []
    for kind, pattern in (("lib", "lib.rs"), ("bin", "main.rs"), ("bin", "bin/*.rs"),
                          ("bin", "bin/*/main.rs")):
        for f in sorted(glob.glob(os.path.join(src, pattern))):
            found.append((f"{name} ({kind} {os.path.relpath(f, root)})", f))
    if not found and os.path.isdir(src):
        print(f"warning: {rel}: no lib.rs or main.rs", file=sys.stderr)
    return found


def workspace_members(root):
    with open(os.path.join(root, "Cargo.toml"), "rb") as f:
        members = tomllib.load(f).get("workspace", {}).get("members", [])
    out = []
    for pattern in members:
        out.extend(d for d in sorted(glob.glob(os.path.join(root, pattern)))
                   if os.path.isfile(os.path.join(d, "Cargo.toml")))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("members", nargs="*", help="crate directories (default: workspace members)")
    args = ap.parse_args(argv)
    root = os.path.abspath(args.root)
    members = [os.path.abspath(m) for m in args.members] or workspace_members(root)
    cycles, targets, files = 0, 0, 0
    for member in members:
        for label, root_file in crate_targets(root, member):
            target = Target(root, label, root_file)
            for w in target.warnings:
                print(f"warning: {w}", file=sys.stderr)
            targets += 1
            files += len(target.file_module)
            cycles += report(target)
    if cycles:
        print(f"FAIL: {cycles} import cycle(s) between files; let imports point one way "
              "(a helper two files need moves down to a leaf module).")
        return 1
    print(f"ok: no import cycles between files ({targets} crate targets, {files} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
