"""Implementation season: health rules at their boundaries, attention, reminders, monthly posts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalkeeper
import goalkeeper.cli.tracking as cli_tracking
from goalkeeper.cli.group import main
from goalkeeper.model import Program
from goalkeeper.season.attention import ledger_path
from goalkeeper.season.health import Health, HealthRules, goal_health, health_rules
from goalkeeper.season.progress import GoalProgress, Progress, Update

from .conftest import EXAMPLE, SHARED
from .fakegithub import FakeGitHub
from .fakegithub.seed import TOKEN, client, copy_ferrite, seed_ferrite
from .test_directives import golden

DUMP = EXAMPLE / "tracking" / "ferrite-lang-goals.json"


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def synced(tmp_path: Path) -> Path:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    code, out, err = run("sync", str(root), "--import", str(DUMP))
    assert code == 0, err
    assert out == f"imported 8 issues and 15 comments from {DUMP}\n"
    return root


# -- health rules -------------------------------------------------------------------------


def _gp(key: str, *dates: str, roles: tuple[str, ...] = ("point of contact",),
        progress: Progress | None = None, body: str = "update") -> GoalProgress:
    ups = tuple(Update("dara-o", body, f"{d}T23:30:00Z", f"https://x/{i}", roles)
                for i, d in enumerate(dates))
    return GoalProgress(key, None, True, progress or Progress.binary(False), state="open",
                        updates=ups)


def _program() -> tuple[Program, goalkeeper.Goal]:
    program = goalkeeper.load(EXAMPLE)
    goal = program.milestone("2026").goal("pattern-types")
    assert goal is not None
    return program, goal


def test_health_boundaries() -> None:
    program, goal = _program()
    rules = HealthRules()  # at risk after 42 days, stalled after 84
    gp = _gp(goal.key, "2026-09-01")
    day = dt.date(2026, 9, 1)
    assert goal_health(program, goal, gp, rules, day + dt.timedelta(42)).health is Health.ON_TRACK
    assert goal_health(program, goal, gp, rules, day + dt.timedelta(43)).health is Health.AT_RISK
    assert goal_health(program, goal, gp, rules, day + dt.timedelta(84)).health is Health.AT_RISK
    assert goal_health(program, goal, gp, rules, day + dt.timedelta(85)).health is Health.STALLED
    # the update's time (23:30 UTC) does not move it to the next day
    assert goal_health(program, goal, gp, rules, day).days_since_update == 0


def test_escalation_counts_missed_windows() -> None:
    program, goal = _program()
    rules = HealthRules()
    gp = _gp(goal.key, "2026-09-01")
    day = dt.date(2026, 9, 1)
    got = [goal_health(program, goal, gp, rules, day + dt.timedelta(d)).escalation
           for d in (27, 28, 56, 84, 200)]
    assert got == ["", "reminder", "louder reminder and call for contributors",
                   "at risk of pausing", "at risk of pausing"]


def test_short_updates_count_and_only_the_goals_people_count() -> None:
    program, goal = _program()
    day = dt.date(2026, 11, 25)
    short = _gp(goal.key, "2026-11-20", body="No progress this month, I was away.")
    assert goal_health(program, goal, short, HealthRules(), day).health is Health.ON_TRACK
    stranger = _gp(goal.key, "2026-11-20", roles=())
    assert goal_health(program, goal, stranger, HealthRules(), day).last_update is None


def test_behind_schedule_and_no_data() -> None:
    program, goal = _program()
    behind = _gp(goal.key, "2026-11-20", progress=Progress.tracked(1, 10))
    h = goal_health(program, goal, behind, HealthRules(), dt.date(2026, 11, 25))
    assert h.health is Health.AT_RISK and "10% of tasks done" in h.reasons[0]
    no_issue = dataclasses.replace(goal, tracking_issue=None)
    h = goal_health(program, no_issue, None, HealthRules(), dt.date(2026, 11, 25))
    assert (h.health, h.reasons) == (Health.NO_DATA, ("no tracking issue",))


def test_rules_from_configuration() -> None:
    rules = health_rules({"health": {"update_every_days": 14, "at_risk_after_days": 20,
                                     "stalled_after_days": 40},
                          "escalation": {"1": "nudge", "2": "call"}}, "gk.toml")
    assert (rules.update_every_days, rules.escalation) == (14, {1: "nudge", 2: "call"})
    with pytest.raises(goalkeeper.ConfigError, match="update_every_days <= at_risk_after_days"):
        health_rules({"health": {"at_risk_after_days": 10}}, "gk.toml")


# -- commands on the example's month of updates --------------------------------------------


def test_monthly_post_golden(synced: Path) -> None:
    code, out, err = run("updates", "2026", str(synced), "--from", "2026-11-01", "--to", "2026-12-01")
    assert code == 0, err
    golden("ferrite/updates-2026-11.md", out)


def test_monthly_post_structure_matches_published_posts(synced: Path) -> None:
    ours = run("updates", "2026", str(synced), "--from", "2026-11-01")[1]
    post = SHARED / "blog" / "project-goals-updates" / "project-goals-2025-december-update.md"
    if not post.is_file():
        pytest.skip("../shared/data/blog is absent")
    published = post.read_text()
    for text in (published, ours):
        assert text.startswith("+++\npath = ") and 'title = "Project goals update — ' in text
        assert re.search(r"^## (Flagship|Roadmap) goals$", text, re.M)
        assert re.search(r'^### "', text, re.M)  # themes
        assert '<div class="goal-card"' in text and "<progress value=" in text
        assert re.search(r"Comment by @[-\w]+ .*posted on \d{4}-\d{2}-\d{2}:", text)
        assert re.search(r"\d+ detailed updates? available\.", text)
    # the sections of the published posts, in their order, and every accepted goal has a card
    heads = [h for h in re.findall(r"^## .*$", ours, re.M)]
    assert heads == ["## Roadmap goals", "## Goals looking for help", "## Other goal updates"]
    program = goalkeeper.load(synced)
    cards = re.findall(r'font-weight: bold;">\n(.+?) <a href', ours)
    assert set(cards) == {g.title for g in program.milestone("2026").goals if g.accepted}
    assert "No detailed updates available." in ours  # a goal without an update keeps its card


def test_post_escapes_and_sanitizes_comments(synced: Path) -> None:
    from goalkeeper.render.updates_post import comment_html

    html = comment_html('<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img onerror="a" src="a.png">'
                        ' <a href="data:text/html,x">y</a>\n\n<details><summary>More</summary>\n\n*more*\n\n'
                        '</details>\n\n- [x] done\n- [ ] not yet <input type="text" value="typed">'
                        ' <INPUT TYPE=CHECKBOX>')
    assert "<script" not in html and "alert(1)</" not in html and "javascript" not in html
    assert "onerror" not in html and "data:" not in html and '<img src="a.png">' in html
    assert "<details><summary>More</summary>\n<p><em>more</em></p>\n</details>" in html  # as on GitHub
    boxes = re.findall(r"<input[^>]*>", html)
    assert len(boxes) == 4 and all('type="checkbox"' in b and 'disabled=""' in b for b in boxes)
    assert sum("checked" in b for b in boxes) == 1 and "typed" not in html


def test_team_filter_and_reports(synced: Path) -> None:
    code, out, _ = run("updates", "2026", str(synced), "--from", "2026-11-01", "--team", "infra")
    assert code == 0
    titles = re.findall(r'font-weight: bold;">\n(.+?) <a href', out)
    assert titles and all(t in {"Verified registry mirrors", "Reproducible toolchain builds"}
                          for t in titles)
    code, out, _ = run("reports", str(synced), "--team", "lang", "--days", "90", "--today", "2026-11-25")
    assert code == 0 and "(lang team)" in out
    code, _, err = run("reports", str(synced), "--team", "nosuch")
    assert code == 2 and "no goal of 2026 has a champion from team 'nosuch'" in err


def test_strict_dates_exit_2(synced: Path) -> None:
    assert run("updates", "2026", str(synced), "--from", "2026-13-01")[0] == 2
    code, _, err = run("updates", "2026", str(synced), "--from", "2026-11-10", "--to", "2026-11-01")
    assert code == 2 and "must be after" in err


def test_attention_lists_the_most_urgent_first(synced: Path) -> None:
    code, out, err = run("attention", str(synced), "--today", "2026-11-25", "--json")
    assert code == 0, err
    data = json.loads(out)
    kinds = [(i["kind"], i["subject"]) for i in data["items"]]
    assert kinds[:2] == [("stalled", "2026/parallel-codegen"), ("stalled", "2026/reproducible-builds")]
    assert ("at risk", "2026/registry-mirroring") in kinds
    assert data["health"]["2026/fallible-alloc"]["health"] == "on track"  # a short update counts


# -- reminders through the forge stand-in ----------------------------------------------------


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as server:
        yield server


def test_reminders_are_never_posted_twice(gh: FakeGitHub, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_ferrite(EXAMPLE, tmp_path / "ferrite", gh.url)
    seed_ferrite(gh, root)
    monkeypatch.setattr(cli_tracking, "make_client", lambda program: client(gh))
    assert run("sync", str(root))[0] == 0
    code, out, err = run("attention", str(root), "--today", "2026-12-20", "--draft-reminders")
    assert code == 0, err
    drafted = out.count("--- ferrite-lang/goals#")
    assert drafted > 0 and "add --commit" in err
    code, _, err = run("attention", str(root), "--today", "2026-12-20", "--draft-reminders", "--commit")
    assert code == 0 and err.count("posted a reminder") == drafted
    code, out, err = run("attention", str(root), "--today", "2026-12-20", "--draft-reminders", "--commit")
    assert "posted a reminder" not in err and out.count("already posted") == drafted
    # the next day is the same gap: still nothing new to post
    code, out, err = run("attention", str(root), "--today", "2026-12-21", "--draft-reminders", "--commit")
    assert "posted a reminder" not in err, out
    # even without the local ledger, the synced comments carry the markers
    ledger_path(root).unlink()
    assert run("sync", str(root))[0] == 0
    code, out, err = run("attention", str(root), "--today", "2026-12-20", "--draft-reminders", "--commit")
    assert "posted a reminder" not in err
    # a new missed window is a new gap: one more reminder each, with a marker dated in the past
    code, out, err = run("attention", str(root), "--today", "2027-01-20", "--draft-reminders", "--commit")
    markers = re.findall(r"goalkeeper-reminder \S+ (\d{4}-\d{2}-\d{2})", out)
    assert markers and all(m <= "2027-01-20" for m in markers)


def test_goals_shows_health_after_a_sync(synced: Path) -> None:
    code, out, _ = run("goals", str(synced), "--milestone", "2026", "--today", "2026-11-25", "--json")
    assert code == 0
    health = {r["slug"]: r["health"]["health"] for r in json.loads(out)}
    assert health["parallel-codegen"] == "stalled" and health["pattern-types"] == "on track"
    assert health["python-extensions"] == "no data"  # proposed: not tracked
    code, out, _ = run("goals", str(synced), "--milestone", "2026", "--today", "2026-11-25")
    assert "Health" in out and "stalled" in out
    assert run("goals", str(synced), "--today", "2026-02-30")[0] == 2


def test_monthly_post_from_a_month_in_the_forge_stand_in(gh: FakeGitHub, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same month of updates, served by the local stand-in for GitHub and synced for real,
    gives the post the golden file holds: sections, order and links exactly as expected."""
    from datetime import datetime

    root = copy_ferrite(EXAMPLE, tmp_path / "ferrite", gh.url)
    data = json.loads(DUMP.read_text())
    for issue in data["issues"]:
        fake = gh.add_issue(issue["repo"], number=issue["number"], title=issue["title"],
                            body=issue["body"], labels=tuple(issue["labels"]),
                            milestone=issue["milestone"], state=issue["state"].lower())
        for c in issue["comments"]:
            added = gh.add_comment(issue["repo"], issue["number"], c["author"], c["body"],
                                   author_type=c.get("author_type", "User"))
            added.created_at = added.updated_at = datetime.fromisoformat(
                c["created_at"].replace("Z", "+00:00"))
        assert fake.number == issue["number"]
    monkeypatch.setattr(cli_tracking, "make_client", lambda program: client(gh))
    code, _, err = run("sync", str(root))
    assert code == 0, err
    code, out, err = run("updates", "2026", str(root), "--from", "2026-11-01")
    assert code == 0, err
    golden("ferrite/updates-2026-11-forge.md", out)
    # the same cards, in the same order, as the post built from the example's tracking file
    from_file = (Path(__file__).parent / "golden" / "ferrite" / "updates-2026-11.md").read_text()
    titles = re.compile(r'font-weight: bold;">\n(.+?) <a href')
    assert titles.findall(out) == titles.findall(from_file)
    heads = re.compile(r"^##.*$", re.M)
    assert heads.findall(out) == heads.findall(from_file)


def test_post_shows_only_the_periods_tldr_and_help_requests(synced: Path) -> None:
    code, out, _ = run("updates", "2026", str(synced), "--from", "2026-06-01")
    assert code == 0
    assert "the RFC was accepted" not in out  # the TL;DR of 2026-11-06
    assert "private mirrors" not in out  # a help request of 2026-11-03


def test_untrusted_text_in_the_post_is_escaped(synced: Path) -> None:
    data = json.loads(DUMP.read_text())
    issue = next(i for i in data["issues"] if i["number"] == 202)
    issue["comments"][0]["body"] = "Help wanted: <img src=x onerror=alert(1)> testers"
    evil = synced / "evil.json"
    evil.write_text(json.dumps(data))
    goal = synced / "src/2026/parallel-codegen.md"
    goal.write_text(goal.read_text().replace("# Parallel code generation by default",
                                             "# Parallel <script>alert(2)</script> codegen", 1))
    assert run("sync", str(synced), "--import", str(evil))[0] == 0
    code, out, _ = run("updates", "2026", str(synced), "--from", "2026-11-01")
    assert code == 0
    assert "onerror" not in out and "<script" not in out  # the title is escaped, the comment cleaned
    assert 'Help wanted: <img src="x"> testers' in out  # allowed HTML, sanitized, as GitHub shows it


def test_import_keeps_comments_of_issues_with_the_same_number_in_two_repositories(
        tmp_path: Path) -> None:
    from goalkeeper.forge.dump import read_dump
    from goalkeeper.season.store import Store

    dump = tmp_path / "two.json"
    dump.write_text(json.dumps({"issues": [
        {"repo": r, "number": 201, "title": "t", "updated_at": "2026-11-01T00:00:00Z",
         "comments": [{"author": "a", "body": f"from {r}", "created_at": "2026-11-01T00:00:00Z"}]}
        for r in ("ferrite-lang/goals", "ferrite-lang/ferrite")]}))
    with Store.open(tmp_path / "db.sqlite3") as store:
        store.save_batch(read_dump(dump))
        bodies = sorted(c.body for i in store.issues() for c in i.comments)
    assert bodies == ["from ferrite-lang/ferrite", "from ferrite-lang/goals"]
