#!/usr/bin/env python3
"""How `check` and `build` scale with the number of goals: generated programs of 500 to 20,000.

    .venv/bin/python bench/bench_scale.py [--sizes 500,2000,4000,20000] [--runs N]

For each size, a generated program (one milestone, ten roadmaps, goals with metadata, work
items, team asks and links; see common.py) is checked and built into a fresh folder, each as a
whole process. Printed: median wall time, the site's files and bytes, the build's peak resident
memory (of its largest process, and of all its processes together: the build forks workers
that share its memory copy-on-write, so their proportional set sizes are summed, sampled every
20 ms), and per goal, time and bytes relative to the smallest size (1.00 = linear). Targets:
at 4,000 goals, per-goal bytes <= 1.3x and per-goal build time <= 1.5x those at 500; peak memory
of a 4,000-goal build <= 1 GiB; the 20,000-goal build succeeds. Each process runs with its
address space capped (--max-memory, default 6 GiB), so a build that does not scale fails with
MemoryError instead of swapping the shared machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from common import GOALKEEPER, generate, run_process, tree_bytes

GiB = 1 << 30
MiB = 1 << 20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--sizes", default="500,2000,4000,20000")
    ap.add_argument("--max-memory", type=float, default=6.0, help="GiB per process")
    opts = ap.parse_args()
    cap = int(opts.max_memory * GiB)
    print(f"goalkeeper check and build on generated programs, median of {opts.runs} run(s)"
          f" (whole process, Python {sys.version.split()[0]})")
    print(f"  {'goals':>6} {'check':>8} {'build':>8} {'files':>7} {'site bytes':>12} "
          f"{'peak mem':>9} {'all procs':>9} {'time/goal':>10} {'bytes/goal':>11}")
    base: tuple[float, float] | None = None
    results: dict[int, tuple[float, float, int]] = {}
    for n in (int(s) for s in opts.sizes.split(",")):
        work = Path(tempfile.mkdtemp(prefix="gk-scale-"))
        try:
            prog, out = work / "program", work / "site"
            generate(prog, n)
            checks, builds, peaks, trees = [], [], [], []
            failed = ""
            for _ in range(opts.runs):
                r = run_process([*GOALKEEPER, "check", "-q", prog], max_memory=cap)
                if r.returncode not in (0, 1):
                    failed = f"check failed ({r.returncode}): {r.stderr.strip()[-300:]}"
                    break
                checks.append(r.seconds)
                shutil.rmtree(out, ignore_errors=True)
                r = run_process([*GOALKEEPER, "build", prog, "--out", out], max_memory=cap,
                                tree_memory=True)
                if r.returncode != 0:
                    failed = f"build failed ({r.returncode}): {r.stderr.strip()[-300:]}"
                    break
                builds.append(r.seconds)
                peaks.append(r.peak_bytes)
                trees.append(r.peak_tree_bytes)
            if failed:
                print(f"  {n:>6} {failed}")
                continue
            files, size = tree_bytes(out)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        tc, tb, peak = statistics.median(checks), statistics.median(builds), max(peaks)
        together = max(trees)
        per = (tb / n, size / n)
        base = base or per
        results[n] = (per[0] / base[0], per[1] / base[1], max(peak, together))
        print(f"  {n:>6} {tc:7.2f}s {tb:7.2f}s {files:>7} {size / MiB:10.1f}MB {peak / MiB:7.0f}MB"
              f" {together / MiB:7.0f}MB"
              f" {per[0] * 1e3:7.2f} ms x{per[0] / base[0]:4.2f}"
              f" {per[1] / 1024:6.1f} kB x{per[1] / base[1]:4.2f}")
    if 4000 in results:
        t, b, peak = results[4000]
        ok = t <= 1.5 and b <= 1.3 and peak <= GiB
        print(f"  at 4,000 goals: time/goal x{t:.2f} (<= 1.5), bytes/goal x{b:.2f} (<= 1.3), "
              f"peak {peak / MiB:.0f} MB (<= 1024): {'ok' if ok else 'MISSED'}")
    if 20000 in [int(s) for s in opts.sizes.split(",")]:
        print(f"  20,000 goals: {'ok' if 20000 in results else 'MISSED'}")


if __name__ == "__main__":
    main()
