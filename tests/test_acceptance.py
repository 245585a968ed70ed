"""A milestone whose RFC was accepted makes its proposed goals accepted, and `check` says why."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import goalkeeper
from goalkeeper.acceptance import readme_banner
from goalkeeper.cli.group import main
from goalkeeper.season.health import period_name

from .conftest import write_tree


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_the_status_banner_decides_not_prose() -> None:
    accepted = ("> ![Status: Accepted](https://img.shields.io/badge/Status-Accepted-green) "
                "[RFC #3849] has been **accepted**, establishing 41 goals.\n\n# Summary\n")
    assert readme_banner(accepted) == (1, "says RFC #3849 was accepted")
    titled = "# Goals for 2024H2\n\n> *![Status: Accepted](x) This slate has been accepted as [RFC #3672].*\n"
    assert readme_banner(titled) == (3, "says RFC #3672 was accepted")
    pending = ("> *![Status: RFC pending](https://img.shields.io/badge/Status-RFC%20pending-yellow) "
               "This set of goals has proposed as [RFC #3764].*\n\n## Summary\n")
    assert readme_banner(pending) is None
    rfc_text = "- Feature Name: `project_goals_2026`\n\n# Summary\n\nOnce the Goals RFC is accepted, ...\n"
    assert readme_banner(rfc_text) is None
    later = "# Goals\n\nSome intro.\n\n> ![Status: Accepted](x) has been accepted\n"
    assert readme_banner(later) is None
    assert readme_banner("> The RFC has not been accepted yet.\n") is None


GOAL = """# {title}

| Metadata         |             |
| ---------------- | ----------- |
| Point of contact | @ana        |
| Status           | {status}    |
| Tracking issue   | [o/goals#{n}] |

## Summary

Work.

## Motivation

Why.

## Ownership and team asks

| Task          | Owner(s) or team(s) | Notes |
| ------------- | ------------------- | ----- |
| Implement     | @ana                |       |
| Design meeting | ![Team][] [lang]   |       |
"""


def _tree(tmp_path: Path, banner: str) -> Path:
    files = {
        "goalkeeper.toml": '[program]\nname = "P"\n[teams.lang]\n',
        "src/2025h2/README.md": banner + "\n# Summary\n\nThe slate.\n",
    }
    for n, (slug, status) in enumerate([("a", "Proposed"), ("b", "Not accepted"),
                                       ("c", "Proposed for mentorship"), ("d", "Accepted")], 1):
        files[f"src/2025h2/{slug}.md"] = GOAL.format(title=f"Goal {slug}", status=status, n=n)
    return write_tree(tmp_path, files)


def test_accepted_rfc_accepts_proposed_goals_for_every_command(tmp_path: Path) -> None:
    root = _tree(tmp_path, "> ![Status: Accepted](x) [RFC #1] has been **accepted**.")
    program = goalkeeper.load(root)
    m = program.milestone("2025h2")
    assert m is not None and m.accepted_by == "src/2025h2/README.md:1 says RFC #1 was accepted"
    accepted = {g.slug: (g.status, g.accepted, g.accepted_by) for g in m.goals}
    assert accepted["a"] == ("Proposed", True, m.accepted_by)  # the row is kept as written
    assert accepted["b"][1:] == (False, "")  # not accepted stays out
    assert accepted["c"][1] is True and m.goal("c").is_help_wanted  # type: ignore[union-attr]
    assert accepted["d"] == ("Accepted", True, "")  # its own row decided
    code, out, _ = run("check", str(root))
    assert code == 0, out
    assert ("note: 2025h2: 3 goals accepted: 1 by their Status row; 2 marked Proposed, Proposed "
            "for mentorship, accepted because src/2025h2/README.md:1 says RFC #1 was accepted") in out
    assert "(2 of them accepted with their milestone's RFC)" in run("goals", str(root))[1]
    records = json.loads(run("goals", str(root), "--json")[1])
    assert {r["slug"]: r["accepted"] for r in records} == {"a": True, "b": False, "c": True, "d": True}
    # the season commands take the same goals: the post lists every accepted goal
    code, post, _ = run("updates", "2025h2", str(root), "--from", "2025-09-01")
    assert code == 0
    assert "Goal a" in post and "Goal c" in post and "Goal d" in post and "Goal b" not in post
    card_c = post.split("Goal c", 1)[1].split("</table>", 1)[0]
    assert 'alt="Help wanted" /> @ana' in card_c  # mentorship: the badge with its contact
    assert 'alt="Help wanted"' not in post.split("Goal a", 1)[1].split("</table>", 1)[0]
    wanted = json.loads(run("help-wanted", str(root), "--json")[1])
    assert [(w["slug"], w["source"]) for w in wanted] == [("c", "status Proposed for mentorship")]
    code, att, _ = run("attention", str(root), "--json", "--today", "2025-10-01")
    health = json.loads(att)["health"]
    assert code == 0 and health["2025h2/b"]["reasons"] == ["status is Not accepted"]
    assert health["2025h2/a"]["reasons"] == ["tracking issue not synced"]


def test_pending_rfc_leaves_proposed_goals_proposed(tmp_path: Path) -> None:
    root = _tree(tmp_path, "> ![Status: RFC pending](x) proposed as [RFC #1].")
    m = goalkeeper.load(root).milestone("2025h2")
    assert m is not None and m.accepted_by == ""
    assert [g.slug for g in m.goals if g.accepted] == ["d"]
    out = run("check", str(root))[1]
    assert "note: 2025h2: 1 goal accepted: 1 by their Status row" in out


def test_health_names_the_milestones_own_length() -> None:
    assert period_name("2026") == "the year"
    assert period_name("2025h2") == "the half-year"
    assert period_name("2026q3") == "the 2026q3 period"


def test_real_2025h2_slate_is_accepted(rust_goals: Path) -> None:
    program = goalkeeper.load(rust_goals)
    h2 = program.milestone("2025h2")
    assert h2 is not None and "README.md:1 says RFC #3849 was accepted" in h2.accepted_by
    assert sum(g.accepted for g in h2.goals) == 41  # all but the one `Not accepted`
    y26 = program.milestone("2026")
    assert y26 is not None and y26.accepted_by == ""  # the 2026 README is the RFC text
    assert sum(g.accepted for g in y26.goals) == 73  # its 2 Proposed goals stay proposed


def test_post_takes_the_goals_whose_issue_is_in_the_trackers_milestone(tmp_path: Path) -> None:
    # the README says nothing, but the tracker's milestone holds the issues (the reference's rule)
    root = _tree(tmp_path, "> ![Status: RFC pending](x) proposed as [RFC #1].")
    dump = tmp_path / "issues.json"
    dump.write_text(json.dumps({"issues": [
        {"repo": "o/goals", "number": n, "title": f"Goal {s}", "updated_at": "2025-09-02T00:00:00Z",
         "milestone": "2025h2-goals" if n < 3 else "", "comments": []}
        for n, s in ((1, "a"), (2, "b"), (3, "c"))]}))
    assert run("sync", str(root), "--import", str(dump))[0] == 0
    code, post, _ = run("updates", "2025h2", str(root), "--from", "2025-09-01")
    assert code == 0
    assert "Goal a" in post  # Proposed, its issue in the milestone
    assert "Goal b" not in post  # Not accepted stays out even so
    assert "Goal c" not in post  # Proposed for mentorship, its issue in no milestone
    assert "Goal d" in post  # Accepted by its row


def test_dashboard_counts_the_slate_as_accepted(rust_goals: Path) -> None:
    from goalkeeper.views.overview import status_counts

    counts = dict(status_counts(goalkeeper.load(rust_goals)))
    assert (counts["2025h2"]["Accepted"], counts["2025h2"]["Proposed"]) == (41, 0)
    assert (counts["2026"]["Accepted"], counts["2026"]["Proposed"]) == (73, 2)
