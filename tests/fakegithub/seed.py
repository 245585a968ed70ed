"""Forge states the tests start from, and clients wired to the fake server."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import goalkeeper
from goalkeeper.forge.github import GitHubClient
from goalkeeper.forge.names import LOCK_TEXT
from goalkeeper.forge.wire import RetryPolicy
from goalkeeper.season.issue_body import render_body

from .server import FakeGitHub

TRACKER = "ferrite-lang/goals"
TOKEN = "t0ken"


@dataclass
class Sleeps:
    """An injectable `sleep` (and clock) that records instead of waiting."""

    calls: list[float] = field(default_factory=list)
    now: float = 1_899_990_000.0

    def __call__(self, seconds: float) -> None:
        self.calls.append(round(seconds, 3))
        self.now += seconds

    def clock(self) -> float:
        return self.now


def client(gh: FakeGitHub, *, sleeps: Sleeps | None = None, **kw: Any) -> GitHubClient:
    sleeps = sleeps if sleeps is not None else Sleeps()
    kw.setdefault("retry", RetryPolicy(mutation_interval=0.0))
    return GitHubClient(TOKEN, base_url=gh.url, sleep=sleeps, clock=sleeps.clock, **kw)


def copy_ferrite(src: Path, dest: Path, api_url: str) -> Path:
    """A writable copy of the example program whose API is the fake server."""
    shutil.copytree(src, dest)
    toml = dest / "goalkeeper.toml"
    text = toml.read_text()
    text = text.replace('tracker = "ferrite-lang/goals"\n',
                        f'tracker = "ferrite-lang/goals"\napi_url = "{api_url}"\n', 1)
    toml.write_text(text)
    # Never let a test reach the real API: the copy must talk to the stand-in.
    assert goalkeeper.load(dest).config.api_url == api_url
    return dest


def make_tbd(root: Path, rel: str) -> None:
    """Turn a goal's `Tracking issue` value into TBD (a goal waiting for its issue)."""
    path = root / rel
    text = path.read_text()
    new = re.sub(r"(\| Tracking issue\s*\| )\[[^\]]+\]", lambda m: m.group(1) + "TBD", text, count=1)
    assert new != text
    path.write_text(new)


def seed_ferrite(gh: FakeGitHub, root: Path) -> None:
    """The tracker as it is when the 2026 milestone starts.

    2025h2's issues (#118, #121, #124) were made by the tool: bodies, labels (with the old
    `Flagship Goal` label and a hand-added `ping-weekly`), the 2025h2 milestone, updates.
    2026's issues #201-#207 were opened by hand with a title only (#205 under an older title);
    goals turned into TBD in the copy have no issue yet.
    """
    program = goalkeeper.load(root)
    gh.add_repo(TRACKER)
    gh.repo(TRACKER).labels.update({"C-tracking-issue": "f5f1fd", "T-infra": "bfd4f2",
                                    "ping-weekly": "ededed"})
    gh.add_milestone(TRACKER, "2025h2")
    old = program.milestone("2025h2")
    assert old is not None
    for g in old.goals:
        if g.tracking_issue is None:
            continue
        labels = ["C-tracking-issue", *(f"T-{t}" for t in g.teams)]
        if g.roadmaps:
            labels.append("Flagship Goal")
        if g.slug == "smelt-script":
            labels.append("ping-weekly")
        gh.add_issue(TRACKER, number=g.tracking_issue.number, title=g.title,
                     body=render_body(g, program), labels=tuple(labels), milestone="2025h2",
                     comments=(("goals-bot", LOCK_TEXT),
                               (g.point_of_contact, "TL;DR: made progress in 2025h2")))
    new = program.milestone("2026")
    assert new is not None
    for g in new.goals:
        ref = g.tracking_issue
        if ref is None or ref.number in gh.repo(TRACKER).issues:
            continue
        title = "Parallel codegen by default (draft)" if g.slug == "parallel-codegen" else g.title
        gh.add_issue(TRACKER, number=ref.number, title=title, body="To be filled in.")


def snapshot(gh: FakeGitHub) -> dict[int, dict[str, Any]]:
    """The tracker's issues as comparable data (for run-twice and resume tests)."""
    repo = gh.repo(TRACKER)
    out = {}
    for n, i in sorted(repo.issues.items()):
        out[n] = {
            "title": i.title, "body": i.body, "state": i.state, "labels": sorted(i.labels),
            "milestone": repo.milestones[i.milestone].title if i.milestone else None,
            "comments": [c.body for c in i.comments],
        }
    return out
