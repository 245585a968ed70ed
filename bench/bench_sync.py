#!/usr/bin/env python3
"""Requests and time of `goalkeeper sync` against a local stand-in for GitHub.

    .venv/bin/python bench/bench_sync.py [--sizes 100 1000] [--comments 20]

For each size (tracking issues with N comments each) it measures, in the same process against
the same server (tests/fakegithub, on 127.0.0.1):

- goalkeeper's sync: a full first sync, a sync when nothing changed, and an incremental sync
  after 10% of the issues got a new comment;
- a naive approach: one request per issue (the issue and its comments), which is what it takes
  without listing by `updatedAt`; it cannot tell what changed, so every sync costs the same.

and prints both with the ratios. Times include the stand-in's own work (a Python GraphQL
executor), so the request counts are the figures that carry over to the real API.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakegithub import FakeGitHub  # noqa: E402

import goalkeeper  # noqa: E402
from goalkeeper.forge.github import GitHubClient  # noqa: E402
from goalkeeper.forge.wire import RetryPolicy  # noqa: E402
from goalkeeper.season.store import Store  # noqa: E402
from goalkeeper.season.sync import sync  # noqa: E402

REPO = "bench/goals"
TOKEN = "bench-token"


def program(root: Path) -> goalkeeper.Program:
    (root / "src" / "2026").mkdir(parents=True)
    (root / "goalkeeper.toml").write_text(f'[project]\nname = "Bench"\ntracker = "{REPO}"\n')
    (root / "src" / "2026" / "goal.md").write_text(
        "# Goal\n\n| Metadata | |\n| --- | --- |\n| Point of contact | @a |\n"
        f"| Status | Accepted |\n| Tracking issue | [{REPO}#1] |\n\n## Summary\n\nA goal.\n"
    )
    return goalkeeper.load(root)


def populate(gh: FakeGitHub, issues: int, comments: int) -> None:
    for n in range(1, issues + 1):
        gh.add_issue(REPO, number=n, title=f"Goal {n}", body="* [x] a\n* [ ] b\n",
                     labels=("C-tracking-issue",),
                     comments=tuple((f"user{k % 9}", f"Update {k} on goal {n}.\n\nTL;DR: fine")
                                    for k in range(comments)))


def change(gh: FakeGitHub, issues: int, round_: int) -> None:
    for n in range(1, issues + 1, 10):
        gh.add_comment(REPO, n, "poc", f"A new update, round {round_}")


def timed(fn: object) -> tuple[int, float]:
    assert callable(fn)
    start = time.perf_counter()
    requests = fn()
    return int(requests), time.perf_counter() - start


def bench(size: int, comments: int) -> dict[str, tuple[int, float]]:
    out: dict[str, tuple[int, float]] = {}
    with FakeGitHub(token=TOKEN) as gh, tempfile.TemporaryDirectory() as tmp:
        gh.remaining = 10**9  # the naive approach would spend an hour's budget at 5,000 issues
        populate(gh, size, comments)
        prog = program(Path(tmp) / "program")
        client = GitHubClient(TOKEN, base_url=gh.url, retry=RetryPolicy(mutation_interval=0))
        with client, Store.open(Path(tmp) / "batched.sqlite3") as store:
            out["full"] = timed(lambda: sync(prog, client, store).requests)
            out["unchanged"] = timed(lambda: sync(prog, client, store).requests)
            change(gh, size, 1)
            out["changed"] = timed(lambda: sync(prog, client, store).requests)
        naive = GitHubClient(TOKEN, base_url=gh.url, retry=RetryPolicy(mutation_interval=0))
        with naive, Store.open(Path(tmp) / "naive.sqlite3") as store:

            def naive_sync() -> int:
                before = naive.requests
                for n in range(1, size + 1):
                    issue = naive.issue_with_comments(REPO, n)
                    store.save_batch([issue] if issue else [])
                return naive.requests - before

            out["naive full"] = timed(naive_sync)
            out["naive unchanged"] = timed(naive_sync)
            change(gh, size, 2)
            out["naive changed"] = timed(naive_sync)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--comments", type=int, default=20)
    args = parser.parse_args()
    print(f"{'issues':>6}  {'sync':<16} {'goalkeeper':>22} {'naive (1 req/issue)':>24} "
          f"{'ratio req':>10} {'ratio time':>11}")
    for size in args.sizes:
        got = bench(size, args.comments)
        for kind, label in (("full", "full (first)"), ("unchanged", "nothing changed"),
                            ("changed", "10% changed")):
            req, secs = got[kind]
            nreq, nsecs = got[f"naive {kind}"]
            print(f"{size:>6}  {label:<16} {req:>6} req {secs:>9.3f} s "
                  f"{nreq:>8} req {nsecs:>9.3f} s {nreq / req:>9.0f}x {nsecs / secs:>10.1f}x")


if __name__ == "__main__":
    main()
