#!/usr/bin/env python3
"""Time every team view and the RFC on the public rust-lang repository, each as a whole process.

    .venv/bin/python bench/bench_views.py [--runs N]

Prints the median wall time per command (interpreter start included) beside `goalkeeper check`
of the same repository and team data, run interleaved with it, and the ratio. Target: every
view within 1.2x `check`. The last column is the ratio of the least CPU times (user + system)
of the same runs: on a shared or virtual machine, whose wall times swing with other tasks,
it is the steadier figure.
"""

from __future__ import annotations

import argparse
import sys

from common import GOALKEEPER, REAL, SHARED, medians, timed

TEAMS = SHARED / "rust-lang-team"

COMMANDS = [
    ["teams", "-m", "2026"],
    ["team", "lang", "-m", "2026"],
    ["champions", "-m", "2026", "--csv"],
    ["capacity", "-m", "2026"],
    ["roadmaps", "-m", "2026"],
    ["funding", "-m", "2026"],
    ["help-wanted", "-m", "2026"],
    ["rfc", "2025h2"],
    ["rfc", "2026"],
    ["fcp", "2026"],
    ["goals", "--json"],
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    if not REAL.is_dir():
        sys.exit(f"{REAL} is absent: this benchmark needs the shared rust-project-goals copy")
    print(f"goalkeeper views on rust-project-goals (118 goals), median of {opts.runs} runs")
    worst = 0.0
    check = [*GOALKEEPER, "check", "-q", REAL, "--teams", TEAMS]
    for cmd in COMMANDS:
        positional = cmd[0] in ("team", "rfc", "fcp")
        args = [*GOALKEEPER, cmd[0], *([cmd[1]] if positional else []), REAL,
                *(["--teams", TEAMS] if cmd[0] != "goals" else []),
                *(cmd[2:] if positional else cmd[1:])]
        cpu: dict[str, list[float]] = {"check": [], "view": []}
        m = medians({"check": timed(check, ok=(0, 1), cpu=cpu["check"]),
                     "view": timed(args, cpu=cpu["view"])}, opts.runs)
        r = m["view"] / m["check"]
        worst = max(worst, r)
        print(f"  goalkeeper {' '.join(cmd):<28} {m['view']:6.3f} s   check {m['check']:6.3f} s"
              f"   x{r:4.2f}   {'ok' if r <= 1.2 else 'MISSED'} (<= 1.2x)"
              f"   CPU x{min(cpu['view']) / min(cpu['check']):4.2f}")
    print(f"  worst ratio: x{worst:.2f}")

if __name__ == "__main__":
    main()
