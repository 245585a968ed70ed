"""Goals proposed in pull requests: synced from the stand-in (pages, head documents, merges and
closes between syncs), imported from a file, checked, and counted once in goals, dashboard and
report; watched pull requests with rfcbot's FCP comments."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalkeeper.cli.tracking as cli_tracking
from goalkeeper.cli.group import main
from goalkeeper.model import Program

from .conftest import EXAMPLE
from .fakegithub import FakeGitHub
from .fakegithub.pulls import add_pull, merge, push
from .fakegithub.seed import TOKEN, TRACKER, client, copy_ferrite, seed_ferrite

GOAL = (EXAMPLE / "src" / "2026" / "fallible-alloc.md").read_text()


def goal_doc(title: str) -> str:
    return GOAL.replace("# Fallible allocation for collections", f"# {title}", 1).replace(
        "| Tracking issue   | [ferrite-lang/goals#206]                      |",
        "| Tracking issue   |                                               |").replace(
        "| Status           | Accepted ", "| Status           | Proposed ")


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as server:
        yield server


@pytest.fixture
def root(gh: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_ferrite(EXAMPLE, tmp_path / "ferrite", gh.url)
    seed_ferrite(gh, root)

    def make_client(program: Program) -> cli_tracking.GitHubClient:
        return client(gh)

    monkeypatch.setattr(cli_tracking, "make_client", make_client)
    return root


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def proposals_json(root: Path, milestone: str = "2027") -> dict[str, object]:
    code, out, err = run("goals", str(root), "--proposals", "--json", "--milestone", milestone)
    assert code == 0, err
    data = json.loads(out)
    assert len(data) == 1
    return dict(data[0])


def test_merged_or_closed_between_syncs_is_neither_lost_nor_counted_twice(
        gh: FakeGitHub, root: Path) -> None:
    a = add_pull(gh, TRACKER, title="Propose GPUs", files={"src/2027/gpu.md": goal_doc("GPUs")},
                 head_repo="freya-l/goals")
    b = add_pull(gh, TRACKER, title="Propose mirrors", files={"src/2027/mirrors.md": goal_doc("Mirrors")})
    add_pull(gh, TRACKER, title="Fix a typo", files={"README.md": "typo"})
    add_pull(gh, TRACKER, title="Broken", files={"src/2027/broken.md": "no table here\n"})
    code, out, err = run("sync", str(root))
    assert code == 0, err
    assert "pull requests of ferrite-lang/goals: 4 changed since the last sync" in out
    first = proposals_json(root)
    assert first["proposed"] == 3 and first["with_errors"] == 1
    paths = sorted(p["path"] for p in first["proposals"])  # type: ignore[attr-defined]
    assert paths == ["src/2027/broken.md", "src/2027/gpu.md", "src/2027/mirrors.md"]

    # between the syncs: a merged, b closed, a new head commit on the broken one
    merge(gh, TRACKER, a.number)
    gh.set_state(TRACKER, b.number, "closed")
    broken = next(i for i in gh.repo(TRACKER).issues.values() if i.title == "Broken")
    push(gh, TRACKER, broken.number, {"src/2027/broken.md": goal_doc("Now a goal")})
    code, out, err = run("sync", str(root))
    assert code == 0, err
    assert "3 changed since the last sync" in out
    second = proposals_json(root)
    states = {p["path"]: p["state"] for p in second["proposals"]}  # type: ignore[attr-defined]
    assert states == {"src/2027/gpu.md": "MERGED", "src/2027/broken.md": "OPEN"}  # b dropped
    assert second["proposed"] == 2 and second["with_errors"] == 0

    # once the merged document is in the checkout it is a goal, no longer a proposal
    (root / "src" / "2027").mkdir()
    (root / "src" / "2027" / "gpu.md").write_text(goal_doc("GPUs"))
    third = proposals_json(root)
    assert [p["path"] for p in third["proposals"]] == ["src/2027/broken.md"]  # type: ignore[attr-defined]
    code, out, _ = run("goals", str(root), "--milestone", "2027", "--json")
    assert [g["title"] for g in json.loads(out)] == ["GPUs"]


def test_three_hundred_pull_requests_are_paged_and_read_in_batches(gh: FakeGitHub, root: Path) -> None:
    for i in range(300):
        add_pull(gh, TRACKER, title=f"Goal {i}", files={f"src/2027/goal-{i:03}.md": goal_doc(f"Goal {i}")},
                 author=f"user{i % 7}")
    gh.reset_log()
    code, _, err = run("sync", str(root))
    assert code == 0, err
    ops = [r.operation for r in gh.graphql_requests()]
    assert ops.count("PullsPage") == 6 and ops.count("GoalDocuments") == 6
    data = proposals_json(root)
    assert data["proposed"] == 300 and data["with_errors"] == 0
    gh.reset_log()
    code, _, err = run("sync", str(root))  # nothing changed: one page, no documents
    assert code == 0, err
    ops = [r.operation for r in gh.graphql_requests()]
    assert ops.count("PullsPage") == 1 and "GoalDocuments" not in ops
    assert proposals_json(root)["proposed"] == 300


def test_watched_pull_requests_and_fcp_from_the_stand_in(gh: FakeGitHub, root: Path) -> None:
    from datetime import datetime

    gh.add_repo("ferrite-lang/ferrite")
    pr = gh.add_issue("ferrite-lang/ferrite", number=4410, title="smelt: frontmatter on stable",
                      is_pr=True)
    rfc = gh.add_issue("ferrite-lang/rfcs", number=3502, title="RFC: single-file smelt scripts",
                       is_pr=True, labels=("final-comment-period", "disposition-merge"))
    for when, body in (("2026-11-02", "Team member @hana-s has proposed to merge this."),
                       ("2026-11-12", ":bell: **This is now entering its final comment period**, "
                                      "as per the [review above](https://x). :bell:")):
        c = gh.add_comment("ferrite-lang/rfcs", 3502, "rfcbot", body, author_type="Bot")
        c.created_at = c.updated_at = datetime.fromisoformat(f"{when}T10:00:00+00:00")
    merge(gh, "ferrite-lang/ferrite", 4410)
    pr.closed_at = pr.updated_at = datetime.fromisoformat("2026-11-24T16:00:00+00:00")
    pr.created_at = datetime.fromisoformat("2026-11-06T10:00:00+00:00")
    assert rfc.number == 3502
    code, out, err = run("sync", str(root))
    assert code == 0, err
    assert "watched issues and pull requests of [[report.initiatives]]: 2 read" in out
    code, out, err = run("report", str(root), "--month", "2026-11", "--json")
    assert code == 0, err
    smelt = next(s for s in json.loads(out)["initiatives"] if s["name"] == "Single-file smelt scripts")
    got = {w["ref"]: [(e["what"], e["disposition"]) for e in w["events"]] for w in smelt["watched"]}
    assert got == {"ferrite-lang/ferrite#4410": [("opened", ""), ("merged", "")],
                   "ferrite-lang/rfcs#3502": [("FCP proposed", "merge"), ("FCP started", "merge")]}


def test_example_import_proposals_in_goals_dashboard_and_report(tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    for dump in ("ferrite-lang-goals.json", "ferrite-lang-watched.json"):
        code, out, err = run("sync", str(root), "--import", str(root / "tracking" / dump))
        assert code == 0, err
    assert out.endswith(", and 5 pull requests\n")
    data = proposals_json(root)
    assert (data["proposed"], data["continuing"], data["continuing_from"], data["with_errors"]) == (
        3, 1, "2026", 1)
    broken = next(p for p in data["proposals"] if p["path"] == "src/2027/hurry.md")  # type: ignore[attr-defined]
    assert [d["code"] for d in broken["diagnostics"]] == ["proposal-not-a-goal"]
    changes = proposals_json(root, "2026")
    assert changes["proposed"] == 0 and changes["changes"] == 1  # a change, not a new goal
    code, out, err = run("goals", str(root), "--proposals")
    assert code == 0 and "3 proposals under review, 1 with errors" in out
    assert "proposal-not-a-goal" in err
    code, out, _ = run("report", str(root), "--month", "2026-11")
    assert "- 3 goals proposed for 2027 (3 new this month, 1 continuing from 2026); 1 with errors." in out
    code, _, err = run("build", str(root), "--out", str(tmp_path / "site"))
    assert code == 0, err
    html = (tmp_path / "site" / "dashboard.html").read_text()
    assert "proposals under review for 2027, 1 with errors" in html


def test_proposals_before_any_sync_is_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    code, _, err = run("goals", str(root), "--proposals")
    assert code == 1 and "nothing synced yet" in err


def test_a_bad_pulls_entry_in_an_import_file_is_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    bad = tmp_path / "bad.json"
    for pulls, expect in (('[{"repo": "a/b"}]', "pull request 1 lacks or mistypes"),
                          ('{"x": 1}', '"pulls" must be a list')):
        bad.write_text(f'{{"issues": [], "pulls": {pulls}}}')
        code, _, err = run("sync", str(root), "--import", str(bad))
        assert code != 0 and expect in err and "Traceback" not in err
