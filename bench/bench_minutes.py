#!/usr/bin/env python3
"""Time minutes statistics over 10,000 generated minutes files (target: under 2 s).

    .venv/bin/python bench/bench_minutes.py [--files N] [--runs N]

Generates N minutes files (default 10,000) in the layouts of the real minutes: dated file names
in team folders, HackMD front matter, and a shared folder told apart by heading rules; each file
has an attendee list, a minutes-taker line and about 350 words. Then prints the median time of
`--runs` runs, and files per second, of:

* ``load_minutes`` plus every statistic (`stats_record`: totals, per team, per month), in-process;
* the whole ``goalkeeper minutes stats --json`` process (interpreter start and imports included).
"""

from __future__ import annotations

import argparse
import datetime
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from goalkeeper.sources.minutes.folders import load_minutes
from goalkeeper.sources.minutes.stats import stats_record

TEAMS = ("lang", "compiler", "cargo", "types", "council", "infra", "release", "rustdoc")
PEOPLE = [f"Person {c}{i}" for c in "ABCDEFGH" for i in range(6)]
WORDS = ("the", "team", "agreed", "to", "merge", "PR", "#1234", "after", "review;", "Josh:",
         "I", "think", "we", "should", "wait", "for", "the", "FCP", "—", "naïve", "ok.")

CONFIG = """
[[minutes.folders]]
path = "shared"
team_from = "heading"
rules = [{ pattern = "^Libs-API", team = "libs-api" }, { pattern = "^Libs", team = "libs" }]
"""


def minutes_text(rng: random.Random, title: str, date: datetime.date, front: bool) -> str:
    people = rng.sample(PEOPLE, 6)
    head = f"---\ntags: weekly\ndate: {date}\nnote_id: x{rng.randrange(10**9)}\n---\n\n" if front else ""
    paragraphs = [
        f"### Item {k}\n\n" + " ".join(rng.choice(WORDS) for _ in range(55)) for k in range(6)
    ]
    return (
        f"{head}# {title} {date}\n\n## Attendees\n\n- Members: {', '.join(people[:4])}\n"
        f"- Observers: {', '.join(people[4:])}\n\n## Meeting roles\n\n- Minutes: {people[0]}\n\n"
        "## Agenda\n\n- Triage\n- Anything else?\n\n" + "\n\n".join(paragraphs) + "\n"
    )


def generate(root: Path, n: int) -> None:
    rng = random.Random(7)
    (root / "goalkeeper.toml").write_text(CONFIG)
    start = datetime.date(2020, 1, 1)
    for i in range(n):
        date = start + datetime.timedelta(days=i // 9)
        if i % 10 == 9:  # a shared folder, team from the heading
            title = "Libs-API Meeting" if i % 20 == 9 else "Libs Meeting"
            path = root / "shared" / f"{date}-{i}.md"
        else:
            team = TEAMS[i % len(TEAMS)]
            title = f"{team} meeting {i}"
            path = root / "minutes" / team / f"{date}-{i}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(minutes_text(rng, title, date, front=i % 3 == 0))


def time_it(fn: object, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    d = Path(tempfile.mkdtemp(prefix="gk-bench-minutes-"))
    try:
        generate(d, opts.files)
        size = sum(p.stat().st_size for p in d.rglob("*.md"))
        print(f"minutes stats over {opts.files:,} generated files ({size / 1e6:.1f} MB), "
              f"median of {opts.runs} runs (Python {sys.version.split()[0]})")

        def in_process() -> dict[str, object]:
            result = load_minutes(d)
            return stats_record(result.meetings)

        t, record = time_it(in_process, opts.runs)
        assert isinstance(record, dict) and record["meetings"] == opts.files, record["meetings"]
        print(f"  {'load + statistics (in-process)':<40} {t:7.3f} s   {opts.files / t:8.0f} files/s"
              f"   target < 2 s: {'ok' if t < 2 else 'MISSED'}")

        cmd = [sys.executable, "-m", "goalkeeper", "minutes", "stats", str(d), "--json"]

        def whole() -> int:
            return subprocess.run(cmd, capture_output=True).returncode

        t, code = time_it(whole, opts.runs)
        if code != 0:
            sys.exit(f"goalkeeper minutes stats exited {code}")
        print(f"  {'goalkeeper minutes stats --json (process)':<40} {t:7.3f} s   "
              f"{opts.files / t:8.0f} files/s   target < 2 s: {'ok' if t < 2 else 'MISSED'}")
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    main()
