#!/usr/bin/env python3
"""Time `goalkeeper check` as a whole process: the real repository and generated programs.

    python3 tasks.py bench            # or: .venv/bin/python bench/bench_check.py [--runs N]
                                      #     [--repo DIR] [--sizes 500,1000,...]

Prints the median wall time of N runs of `check` on the real repository beside its floor (a
native parse of the same files, see common.py) and the ratio (and that of the least CPU times
of the same runs, steadier on a shared machine), then, on generated programs,
goals per second and the cost per goal at each size relative to the smallest size (a ratio
near 1.0 means the cost grows linearly with goals).
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

from common import GOALKEEPER, REAL, generate, medians, native_parse_cmd, ratio_line, timed


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
    ap.add_argument("--repo", type=Path, default=REAL,
                    help="the repository checked beside the floor (default: the shared rust-lang one)")
    opts = ap.parse_args()
    repo: Path = opts.repo

    print(f"goalkeeper check, median of {opts.runs} runs (whole process, Python {sys.version.split()[0]})")
    # what a check costs before its goals: interpreter, imports, the roadmaps (the per-goal
    # figures below subtract it; `--help` would not do, it loads every command's module)
    d = Path(tempfile.mkdtemp(prefix="gk-bench-"))
    try:
        generate(d, 0)
        t_startup = time_check([str(d)], opts.runs)
    finally:
        shutil.rmtree(d)
    print(f"  {'startup (check of 0 goals)':<38} {t_startup:7.3f} s")
    if repo.is_dir():
        cpu: dict[str, list[float]] = {"floor": [], "check": []}
        m = medians({
            "floor": timed(native_parse_cmd(repo), cpu=cpu["floor"]),
            "check": timed([*GOALKEEPER, "check", "-q", repo], ok=(0, 1), cpu=cpu["check"]),
        }, opts.runs)
        print(ratio_line(f"check {repo.name}", m["check"], m["floor"], "native parse", 3)
              + f"   CPU x{min(cpu['check']) / min(cpu['floor']):4.2f}")
    else:
        print(f"  ({repo} absent: real-repository figure skipped)")

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
