#!/usr/bin/env python3
"""The directive tables of the RFC alone: what `directives.expansion` of the pages
`goalkeeper rfc` reads costs, on the public rust-lang repository.

    .venv/bin/python bench/bench_directives.py [--runs N] [--instructions] [MILESTONE ...]

Each run is a fresh process, as a user's `goalkeeper rfc` is: the program is loaded, the RFC
text is made, and only its calls of `expansion` (listing the milestone, the page's outline,
every directive's table) are timed, with the process's CPU clock; the least of N runs is
printed. With --instructions each milestone is also run once under valgrind's callgrind,
collecting only inside those calls: a count that does not move with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

from common import REAL, SHARED

CHILD = """
import gc, os, sys, time
from itertools import starmap
from pathlib import Path
gc.disable()
from goalkeeper.cli.views import setup_milestone
import goalkeeper.render.rfc as rfc
program, m = setup_milestone(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
expansion, spent = rfc.expansion, [0.0]
def timed(*a, **k):
    t = time.process_time()
    try:  # (called from C's starmap, which callgrind's --toggle-collect can name)
        return next(starmap(lambda: expansion(*a, **k), [()]))
    finally:
        spent[0] += time.process_time() - t
rfc.expansion = timed
rfc.rfc_text(program, m)
print(spent[0])
sys.stdout.flush()
os._exit(0)  # (no teardown: its collection of every object is not the RFC's)
"""


def cpu_ms(milestone: str) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD, REAL, SHARED / "rust-lang-team", milestone],
                         capture_output=True, text=True, check=True)
    return float(out.stdout) * 1000


def instructions(milestone: str) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--toggle-collect=starmap_next",
         "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD, REAL,
         SHARED / "rust-lang-team", milestone],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    m = re.search(r"Collected : (\d+)", out.stderr)
    if m is None:
        sys.exit(f"no count in callgrind's output:\n{out.stderr}")
    return int(m[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--instructions", action="store_true")
    ap.add_argument("milestones", nargs="*", default=["2026", "2025h2"])
    opts = ap.parse_args()
    if not REAL.is_dir():
        sys.exit(f"{REAL} is absent: this benchmark needs the shared rust-project-goals copy")
    if opts.instructions and shutil.which("valgrind") is None:
        sys.exit("--instructions needs valgrind on the PATH")
    print(f"directive expansion of the RFC pages, least CPU time of {opts.runs} runs")
    for milestone in opts.milestones:
        line = f"  rfc {milestone:8} {min(cpu_ms(milestone) for _ in range(opts.runs)):6.2f} ms"
        if opts.instructions:
            line += f"   {instructions(milestone) / 1e6:6.1f} M instructions"
        print(line)


if __name__ == "__main__":
    main()
