"""Find every regular expression in goalkeeper and try to make it take quadratic time.

Patterns are found two ways, so a new one is covered without being listed anywhere: every
module-level compiled pattern, and every `re.compile/match/search/sub/...` call in the sources
whose pattern is a string literal. Each is fed strings built from its own literal characters
and words (a long run of one unit, after a short prefix), which is how a backtracking engine is
driven into trying every start position against the rest of the line.
"""

from __future__ import annotations

import ast
import importlib
import itertools
import pkgutil
import re
import time
from pathlib import Path

import goalkeeper

SRC = Path(goalkeeper.__file__).resolve().parent
_FUNCS = {"compile", "match", "search", "fullmatch", "sub", "subn", "findall", "finditer", "split"}
_FLAGS = {"I": re.I, "IGNORECASE": re.I, "M": re.M, "MULTILINE": re.M, "S": re.S, "DOTALL": re.S,
          "X": re.X, "VERBOSE": re.X}


def _flags(node: ast.expr | None) -> int:
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and node.attr in _FLAGS:
        return _FLAGS[node.attr]
    if isinstance(node, ast.BinOp):
        return _flags(node.left) | _flags(node.right)
    return 0


#: how a pattern is applied: "search" (scans every start position) or only "match" (anchored)
Audited = tuple[re.Pattern[str], str]


def literal_patterns() -> dict[str, Audited]:
    """`re.<func>("literal", ...)` calls in the sources, keyed by file:line."""
    out: dict[str, Audited] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in _FUNCS and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "re" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                continue
            pos = {"compile": 1, "split": 3, "sub": 4, "subn": 4}.get(node.func.attr, 2)
            flag_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
            if flag_node is None and len(node.args) > pos:
                flag_node = node.args[pos]
            name = f"{path.relative_to(SRC)}:{node.lineno}"
            how = "match" if node.func.attr in ("match", "fullmatch") else "search"
            out[name] = (re.compile(node.args[0].value, _flags(flag_node)), how)
    return out


def module_patterns() -> dict[str, Audited]:
    """Compiled patterns at module level (they may be searched: both ways are tried)."""
    out: dict[str, Audited] = {}
    seen: set[int] = set()
    for info in pkgutil.walk_packages(goalkeeper.__path__, "goalkeeper."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for key, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str) and id(value) not in seen:
                seen.add(id(value))
                out[f"{info.name}.{key}"] = (value, "search")
    return out


def all_patterns() -> dict[str, Audited]:
    found = module_patterns()
    seen = {(p.pattern, p.flags) for p, _ in found.values()}
    for name, (p, how) in literal_patterns().items():
        if (p.pattern, p.flags) not in seen:
            seen.add((p.pattern, p.flags))
            found[name] = (p, how)
    return found


def _pieces(p: re.Pattern[str]) -> tuple[list[str], list[str]]:
    """The characters a pattern mentions (unescaped) and its literal words."""
    src = p.pattern
    chars: set[str] = set(" \t\na1")
    i = 0
    while i < len(src):
        c = src[i]
        if c == "\\" and i + 1 < len(src):
            nxt = src[i + 1]
            chars.add({"s": " ", "d": "1", "w": "a", "n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
            continue
        if not c.isalnum():
            chars.add(c)
        i += 1
    words = list(dict.fromkeys(w for w in re.findall(r"[A-Za-z]{2,}", src)))[:8]
    if p.flags & re.I:
        words += [w.lower() for w in words]
    return sorted(chars), words


def candidates(p: re.Pattern[str]) -> list[tuple[str, str, str]]:
    """(prefix, unit, suffix): the input is prefix + unit * n + suffix."""
    chars, words = _pieces(p)
    units = chars + [a + b for a, b in itertools.permutations(chars, 2)]
    units += [w + c for w in words for c in (" ", ":", "(")]
    prefixes = ["", *(w + s for w in words for s in ("", " ", ":"))]
    out = [("", u, s) for u in units for s in ("", "\x00")]
    out += [(pre, c, "x") for pre in prefixes[1:] for c in chars]
    return out


def _seconds(p: re.Pattern[str], text: str, repeat: int, how: str) -> float:
    best = float("inf")
    for _ in range(repeat):  # CPU time of this thread: other processes on the machine do not count
        t0 = time.thread_time()
        if how == "search":
            p.sub("", text)
        p.match(text)
        best = min(best, time.thread_time() - t0)
    return best


def ratio(p: re.Pattern[str], how: str, pre: str, unit: str, suf: str, *, target: float,
          max_chars: int, repeat: int) -> float:
    """Time at 4N characters over time at N, N grown from 16 characters until the time at N
    reaches `target` seconds (so the ratio is not noise) or N reaches `max_chars` (so a
    quadratic or cubic pattern is caught before it takes long)."""
    n = max(1, 16 // len(unit))
    while True:
        small = _seconds(p, pre + unit * n + suf, repeat, how)
        if small >= target or n * len(unit) >= max_chars:
            break
        n *= 2
    big = _seconds(p, pre + unit * (4 * n) + suf, repeat, how)
    if big < 1e-4:  # fast even at the largest size: a ratio of such times is only noise
        return 0.0
    return big / max(small, 2e-6)


def can_repeat(p: re.Pattern[str]) -> bool:
    """Whether the pattern has an unbounded repeat at all (else it is linear by construction)."""
    return re.search(r"(?<!\\)[*+]|\{\d*,\}", p.pattern) is not None


def worst(p: re.Pattern[str], how: str = "search", confirm_chars: int = 40_000) -> tuple[float, str]:
    """The highest N→4N time ratio found for the pattern (stopping at the first one over 6,
    confirmed with larger inputs and repeated timings), with the input that showed it."""
    top = (0.0, "")
    if not can_repeat(p):
        return top
    for pre, unit, suf in candidates(p):
        if ratio(p, how, pre, unit, suf, target=5e-5, max_chars=1000, repeat=1) <= 8:
            continue  # a quadratic pattern shows about 16 here
        # a pattern is blamed only when two careful measurements agree, not for one noisy one
        r = ratio(p, how, pre, unit, suf, target=1e-3, max_chars=confirm_chars, repeat=5)
        if r > 6:
            r = min(r, ratio(p, how, pre, unit, suf, target=1e-3, max_chars=confirm_chars, repeat=5))
        if r > top[0]:
            top = (r, f"{pre!r} + {unit!r} * N + {suf!r}")
        if r > 6:
            break
    return top


if __name__ == "__main__":
    import sys

    for name, (pattern, mode) in all_patterns().items():
        t0 = time.perf_counter()
        r, how = worst(pattern, mode)
        flag = "QUADRATIC" if r > 6 else "ok"
        if r > 6 or "-v" in sys.argv:
            print(f"{flag} {r:6.1f} {time.perf_counter() - t0:5.2f}s {name} /{pattern.pattern[:80]}/ {how}",
                  flush=True)
