#!/usr/bin/env python3
"""Time `goalkeeper check` as a whole process: the real repository and generated programs.

    python3 tasks.py bench            # or: .venv/bin/python bench/bench_check.py [--runs N]

Prints the median wall time of N runs, goals per second, and the cost per goal at each size
relative to the smallest size (a ratio near 1.0 means the cost grows linearly with goals).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
GOALKEEPER = [sys.executable, "-m", "goalkeeper"]

GOAL = """# Goal number {i}

| Metadata         |                           |
| :--------------- | ------------------------- |
| Point of contact | @owner{o}                 |
| Status           | Accepted                  |
| Tracking issue   | [bench/goals#{i}]         |
| Roadmap          | Road {r}                  |
| [lang] champion  | @champ{c}                 |

## Summary

Goal {i} makes something better. It has a second sentence.

## Motivation

### The status quo

Things are slow for user {i}. | not a table

### Work items over the next year

| Task        | Owner(s)             | Notes |
| ----------- | -------------------- | ----- |
| Design      | @owner{o}            |       |
| Implement   | @owner{o}, @helper{c} |      |

## Team asks

| Team       | Support level | Notes        |
| ---------- | ------------- | ------------ |
| [lang]     | Large         | Design work  |
| [compiler] | Small         | Reviews      |

## Frequently asked questions

### Why?

Because {i}.
"""

ROADMAP = """# Road {r}

| Metadata         |               |
| ---------------- | ------------- |
| What and why     | Road {r}.     |
| Point of contact | @owner{r}     |
"""


def generate(root: Path, goals: int) -> None:
    ms = root / "src" / "2026"
    ms.mkdir(parents=True)
    (root / "goalkeeper.toml").write_text(
        '[project]\nname = "Bench"\ntracker = "bench/goals"\n'
        "[teams.lang]\n[teams.compiler]\n"
    )
    for r in range(10):
        (ms / f"roadmap-road-{r}.md").write_text(ROADMAP.format(r=r))
    for i in range(goals):
        (ms / f"goal-{i:05d}.md").write_text(GOAL.format(i=i, o=i % 300, c=i % 40, r=i % 10))


def time_check(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run([*GOALKEEPER, "check", "-q", *args], capture_output=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode not in (0, 1):
            sys.exit(f"goalkeeper check failed: {proc.stderr.decode()}")
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="500,1000,2500,5000")
    opts = ap.parse_args()

    print(f"goalkeeper check, median of {opts.runs} runs (whole process, Python {sys.version.split()[0]})")
    t_startup = time_check(["--help"], opts.runs)  # not a check: interpreter + imports
    print(f"  {'startup (--help)':<38} {t_startup:7.3f} s")
    real = SHARED / "rust-project-goals"
    if real.is_dir():
        t = time_check([str(real)], opts.runs)
        print(f"  {'rust-project-goals (118 goals)':<38} {t:7.3f} s   {118 / t:8.0f} goals/s"
              f"   target < 0.5 s: {'ok' if t < 0.5 else 'MISSED'}")
    else:
        print(f"  ({real} absent: real-repository figure skipped)")

    base: float | None = None
    for n in (int(s) for s in opts.sizes.split(",")):
        d = Path(tempfile.mkdtemp(prefix="gk-bench-"))
        try:
            generate(d, n)
            t = time_check([str(d)], opts.runs)
        finally:
            shutil.rmtree(d)
        per_goal = (t - t_startup) / n
        base = base or per_goal
        print(f"  {f'generated ({n} goals)':<38} {t:7.3f} s   {n / t:8.0f} goals/s"
              f"   {per_goal * 1e3:6.3f} ms/goal   x{per_goal / base:4.2f} vs smallest")


if __name__ == "__main__":
    main()
