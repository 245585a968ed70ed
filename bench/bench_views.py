#!/usr/bin/env python3
"""Time every team view and the RFC on the public rust-lang repository, each as a whole process.

    .venv/bin/python bench/bench_views.py [--runs N]

Prints the median wall time per command (interpreter start included) against the target of
under 1 s per command on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "rust-project-goals"
TEAMS = ROOT.parent / "shared" / "data" / "rust-lang-team"

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
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    if not REAL.is_dir():
        sys.exit(f"{REAL} is absent: this benchmark needs the shared rust-project-goals copy")
    print(f"goalkeeper views on rust-project-goals (118 goals), median of {opts.runs} runs")
    worst = 0.0
    for cmd in COMMANDS:
        args = [sys.executable, "-m", "goalkeeper", *cmd[:1],
                *([cmd[1]] if cmd[0] in ("team", "rfc", "fcp") else []),
                str(REAL), "--teams", str(TEAMS),
                *(cmd[2:] if cmd[0] in ("team", "rfc", "fcp") else cmd[1:])]
        times = []
        for _ in range(opts.runs):
            t0 = time.perf_counter()
            p = subprocess.run(args, capture_output=True)
            times.append(time.perf_counter() - t0)
            if p.returncode != 0:
                sys.exit(f"{' '.join(cmd)} failed: {p.stderr.decode()}")
        t = statistics.median(times)
        worst = max(worst, t)
        print(f"  goalkeeper {' '.join(cmd):<28} {t:6.3f} s   {'ok' if t < 1 else 'MISSED'} (< 1 s)")
    print(f"  slowest: {worst:.3f} s")


if __name__ == "__main__":
    main()
