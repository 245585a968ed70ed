"""`goalkeeper issues`: the plan, applying it, reruns, failures half-way and write-back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import goalkeeper
from goalkeeper.errors import ForgeError, ProgramNotFound
from goalkeeper.forge.names import CONTINUING_PREFIX, LOCK_TEXT, continuing_text, forge_milestone
from goalkeeper.model import IssueRef
from goalkeeper.season.issue_body import goal_document_key, render_body
from goalkeeper.season.store import Store
from goalkeeper.season.sync import sync
from goalkeeper.season.tracking import Applied, apply_plan, format_plan, plan_issues
from goalkeeper.season.writeback import set_tracking_issue, write_back

from .conftest import EXAMPLE
from .fakegithub import FakeGitHub
from .fakegithub.seed import TOKEN, TRACKER, client, copy_ferrite, make_tbd, seed_ferrite, snapshot


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as server:
        yield server


@pytest.fixture
def root(gh: FakeGitHub, tmp_path: Path) -> Path:
    """The example program, with 2026/fallible-alloc still waiting for its tracking issue."""
    root = copy_ferrite(EXAMPLE, tmp_path / "ferrite", gh.url)
    make_tbd(root, "src/2026/fallible-alloc.md")
    seed_ferrite(gh, root)
    return root


def run_issues(gh: FakeGitHub, root: Path, *, commit: bool, fail: str | None = None) -> Applied:
    """What `goalkeeper issues 2026 --commit` does: sync, plan, apply (and write back)."""
    program = goalkeeper.load(root)
    applied = Applied()
    with Store.open(Store.default_path(root)) as store, client(gh) as c:
        sync(program, c, store)
        plan = plan_issues(program, "2026", store)
        if commit:
            if fail:
                gh.inject("status", status=403, match=fail)
            apply_plan(plan, c, applied=applied)
    return applied


def test_the_plan_covers_every_accepted_goal_and_touches_nothing(gh: FakeGitHub, root: Path) -> None:
    program = goalkeeper.load(root)
    before = snapshot(gh)
    with Store.open(Store.default_path(root)) as store, client(gh) as c:
        sync(program, c, store)
        gh.reset_log()
        plan = plan_issues(program, "2026", store)
    assert gh.log == []  # planning reads the cache only
    assert snapshot(gh) == before
    accepted = [g.key for g in program.milestone("2026").goals if g.status == "Accepted"]
    assert sorted(p.goal for p in plan.issues) == sorted(accepted)
    assert plan.forge_milestone == forge_milestone("2026") == "2026"
    assert plan.create_milestone and [lb.name for lb in plan.create_labels] == ["Roadmap Goal"]
    assert [lb.color for lb in plan.create_labels] == ["5319E7"]
    by_goal = {p.goal: p for p in plan.issues}

    new = by_goal["2026/fallible-alloc"]
    assert new.create and new.write_back and new.comments == (LOCK_TEXT,)
    assert new.labels == ("C-tracking-issue", "Roadmap Goal", "T-libs", "T-compiler")

    renamed = by_goal["2026/parallel-codegen"]
    assert renamed.rename and renamed.current_title == "Parallel codegen by default (draft)"
    assert renamed.add_labels == ("C-tracking-issue", "T-compiler", "T-infra")  # no roadmap

    cont = by_goal["2026/smelt-script"]
    assert (cont.continuing_from, cont.milestone, cont.current_milestone) == ("2025h2", "2026", "2025h2")
    assert cont.comments == (continuing_text("2026"),)
    assert cont.comments[0].startswith(CONTINUING_PREFIX)
    assert cont.body is not None and goal_document_key(cont.body) == "2026/smelt-script"
    assert "<summary>Earlier body of this issue (2025h2)</summary>" in cont.body
    assert gh.issue(TRACKER, 118).body.rstrip() in cont.body

    text = "\n".join(format_plan(plan))
    assert "+ milestone '2026' in ferrite-lang/goals" in text
    assert ("  - title: Parallel codegen by default (draft)\n"
            "  + title: Parallel code generation by default") in text
    assert "  ~ milestone: 2025h2 -> 2026" in text
    assert "    --- ferrite-lang/goals#118 (now)\n    +++ ferrite-lang/goals#118 (planned)" in text
    assert "  ~ src/2026/fallible-alloc.md: `Tracking issue` row -> the new issue" in text


def test_commit_applies_the_plan_and_a_second_run_changes_nothing(gh: FakeGitHub, root: Path) -> None:
    applied = run_issues(gh, root, commit=True)
    assert set(applied.created) == {"2026/fallible-alloc"}
    new = applied.created["2026/fallible-alloc"]
    after = snapshot(gh)
    created = after[new.number]
    assert created["milestone"] == "2026" and created["comments"] == [LOCK_TEXT]
    assert created["labels"] == ["C-tracking-issue", "Roadmap Goal", "T-compiler", "T-libs"]
    assert gh.repo(TRACKER).labels["Roadmap Goal"] == "5319E7"
    smelt = after[118]
    assert smelt["title"] == "Stabilize single-file smelt scripts" and smelt["milestone"] == "2026"
    assert "ping-weekly" in smelt["labels"] and "Flagship Goal" in smelt["labels"]  # kept
    assert smelt["comments"][-1] == continuing_text("2026")
    assert after[205]["title"] == "Parallel code generation by default"
    assert after[205]["comments"] == [LOCK_TEXT]
    assert [m.title for m in gh.repo(TRACKER).milestones.values()] == ["2025h2", "2026"]

    gh.reset_log()
    again = run_issues(gh, root, commit=True)
    assert again.created == {} and again.steps == 0
    assert gh.writes() == [] and snapshot(gh) == after


def test_a_failure_half_way_then_a_rerun_ends_with_the_same_issues(
    gh: FakeGitHub, root: Path, tmp_path: Path
) -> None:
    # The same start, applied in one go, for comparison.
    with FakeGitHub(token=TOKEN) as clean:
        other = copy_ferrite(EXAMPLE, tmp_path / "clean", clean.url)
        make_tbd(other, "src/2026/fallible-alloc.md")
        seed_ferrite(clean, other)
        run_issues(clean, other, commit=True)
        want = snapshot(clean)

    with pytest.raises(ForgeError, match="commenting on ferrite-lang/goals#204: GitHub answered 403"):
        run_issues(gh, root, commit=True, fail="POST /repos/ferrite-lang/goals/issues/204/comments")
    half = snapshot(gh)
    assert half != want and half[208]["comments"] == [LOCK_TEXT]  # the new issue came before
    run_issues(gh, root, commit=True)
    assert snapshot(gh) == want  # #208 made once, every step done once


def test_an_issue_created_whose_answer_was_lost_is_found_again_not_duplicated(
    gh: FakeGitHub, root: Path
) -> None:
    gh.inject("drop", match="POST /repos/ferrite-lang/goals/issues")
    with pytest.raises(ForgeError, match="may or may not have been made"):
        run_issues(gh, root, commit=True)
    titles = [i.title for i in gh.repo(TRACKER).issues.values()]
    assert "Fallible allocation for collections" not in titles
    # The forge did not see it; now make the forge create it but lose the answer.
    program = goalkeeper.load(root)
    lost = program.milestone("2026").goal("fallible-alloc")
    assert lost is not None
    gh.add_issue(TRACKER, title=lost.title, body=render_body(lost, program), labels=("C-tracking-issue",),
                 milestone="2026")
    applied = run_issues(gh, root, commit=True)
    assert applied.created == {}
    assert applied.issues["2026/fallible-alloc"] == IssueRef("ferrite-lang", "goals", 208)
    assert sum(i.title == lost.title for i in gh.repo(TRACKER).issues.values()) == 1
    assert gh.issue(TRACKER, 208).comments[0].body == LOCK_TEXT


def test_the_earlier_milestone_is_left_alone_once_a_goal_continues(gh: FakeGitHub, root: Path) -> None:
    run_issues(gh, root, commit=True)
    program = goalkeeper.load(root)
    with Store.open(Store.default_path(root)) as store, client(gh) as c:
        sync(program, c, store)
        plan = plan_issues(program, "2025h2", store)
    assert [p.goal for p in plan.issues if p.goal.endswith("smelt-script")] == []
    assert "2025h2/smelt-script: ferrite-lang/goals#118 continues in 2026; left as it is" in plan.notes


def test_unknown_milestone(gh: FakeGitHub, root: Path) -> None:
    program = goalkeeper.load(root)
    with Store.open(Store.default_path(root)) as store, pytest.raises(ProgramNotFound, match="'2030'"):
        plan_issues(program, "2030", store)


# -- write-back ---------------------------------------------------------------------------


def test_write_back_changes_only_the_tracking_issue_cell(gh: FakeGitHub, root: Path) -> None:
    path = root / "src/2026/fallible-alloc.md"
    before = path.read_text()
    applied = run_issues(gh, root, commit=True)
    program = goalkeeper.load(root)
    done = write_back(program, applied.created)
    assert [(w.path, str(w.ref), w.written) for w in done] == [
        ("src/2026/fallible-alloc.md", "ferrite-lang/goals#208", True)
    ]
    after = path.read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [(
        "| Tracking issue   | TBD                      |",
        "| Tracking issue   | [ferrite-lang/goals#208] |",
    )]
    assert goalkeeper.load(root).milestone("2026").goal("fallible-alloc").tracking_issue == IssueRef(
        "ferrite-lang", "goals", 208)
    assert write_back(goalkeeper.load(root), applied.created) == []  # already there


def test_write_back_adds_a_missing_row_after_status_and_keeps_crlf() -> None:
    text = "# G\r\n\r\n| Metadata | |\r\n| --- | --- |\r\n| Status | Accepted |\r\n| Other | x |\r\n"
    from goalkeeper.diagnostics import Span
    from goalkeeper.model import Goal, MetadataRow

    goal = Goal("2026", "g", "src/2026/g.md", "G", "G", "Accepted",
                metadata=(MetadataRow("Status", "Accepted", Span("src/2026/g.md", 5, 1)),))
    new = set_tracking_issue(text, goal, IssueRef("o", "r", 9))
    assert new == ("# G\r\n\r\n| Metadata | |\r\n| --- | --- |\r\n| Status | Accepted |\r\n"
                   "| Tracking issue | [o/r#9]  |\r\n| Other | x |\r\n")
    wide = "| Tracking issue | TBD |\n"
    goal2 = Goal("2026", "g", "p", "G", "G", "Accepted",
                 metadata=(MetadataRow("Tracking issue", "TBD", Span("p", 1, 1)),))
    assert set_tracking_issue(wide, goal2, IssueRef("o", "r", 12345)) == "| Tracking issue | [o/r#12345] |\n"
    assert set_tracking_issue("moved\n", goal2, IssueRef("o", "r", 1)) is None


def test_lock_locks_only_new_issues(gh: FakeGitHub, root: Path) -> None:
    program = goalkeeper.load(root)
    with Store.open(Store.default_path(root)) as store, client(gh) as c:
        sync(program, c, store)
        done = apply_plan(plan_issues(program, "2026", store), c, lock=True)
    locked = {n for n, i in gh.repo(TRACKER).issues.items() if i.locked}
    assert locked == {r.number for r in done.created.values()} == {208}


def test_write_back_keeps_crlf_line_endings_and_everything_else(tmp_path: Path) -> None:
    import shutil

    import goalkeeper
    from goalkeeper.model import IssueRef
    from goalkeeper.season.writeback import write_back

    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    goal = root / "src/2026/fallible-alloc.md"
    text = goal.read_text().replace("[ferrite-lang/goals#206]", "TBD     ").replace("\n", "\r\n")
    goal.write_bytes(text.encode())
    program = goalkeeper.load(root)
    (done,) = write_back(program, {"2026/fallible-alloc": IssueRef("ferrite-lang", "goals", 299)})
    assert done.written
    after = goal.read_bytes().decode()
    changed = [(a, b) for a, b in zip(text.split("\r\n"), after.split("\r\n"), strict=True) if a != b]
    assert len(changed) == 1 and "[ferrite-lang/goals#299]" in changed[0][1]
    assert after.count("\r\n") == text.count("\r\n")


def test_labels_that_differ_only_in_case_are_not_added_again(gh: FakeGitHub, root: Path) -> None:
    # GitHub compares label names without case: a tracker whose labels are spelled
    # `c-tracking-issue` and `t-compiler` already has what the plan wants.
    repo = gh.repo(TRACKER)
    for name in ("C-tracking-issue", "T-infra"):
        repo.labels[name.lower()] = repo.labels.pop(name)
    for issue in repo.issues.values():
        issue.labels = [lb.lower() if lb in ("C-tracking-issue", "T-infra") else lb for lb in issue.labels]
    run_issues(gh, root, commit=True)
    gh.reset_log()
    again = run_issues(gh, root, commit=True)
    assert again.steps == 0 and gh.writes() == []
    assert "C-tracking-issue" not in repo.labels and "c-tracking-issue" in repo.labels
    program = goalkeeper.load(root)
    with Store.open(Store.default_path(root)) as store:
        plan = plan_issues(program, "2026", store)
    assert all(lb.name.lower() != "c-tracking-issue" for lb in plan.create_labels)
    assert not any(p.add_labels for p in plan.issues)
