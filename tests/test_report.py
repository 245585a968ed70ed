"""The program manager's monthly update: golden draft, structure of the published posts, feeds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from goalkeeper.cli.group import main
from goalkeeper.render.report import month_bounds
from goalkeeper.sources.feeds import FeedSpec, read_feeds

from .conftest import EXAMPLE, SHARED
from .test_directives import golden


def test_example_report_golden(tmp_path: Path) -> None:
    """The example's November update with every section: tracking issues and watched items
    imported, as the demo does."""
    import shutil

    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    for dump in ("ferrite-lang-goals.json", "ferrite-lang-watched.json"):
        r = CliRunner().invoke(main, ["sync", str(root), "--import", str(root / "tracking" / dump)])
        assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["report", str(root), "--month", "2026-11"])
    assert r.exit_code == 0, r.output
    golden("ferrite/report-2026-11.md", r.stdout)
    for section in ("Project goals", "Ferrite for Kernels", "Ferrite in CPython",
                    "Single-file smelt scripts", "Registry mirroring", "Hiring", "Announcements",
                    "Worth a look", "Stats"):
        assert f"\n## {section}\n" in r.stdout


def test_report_has_the_shape_of_the_published_updates() -> None:
    published = sorted((SHARED / "blog" / "program-management-updates").glob("*-20??-??.md"))
    if not published:
        pytest.skip("../shared/data/blog is absent")
    ours = CliRunner().invoke(main, ["report", str(EXAMPLE), "--month", "2026-11"]).stdout
    for text in (published[-1].read_text(), ours):
        front = text.split("+++")[1]
        for key in ("path =", "title = \"Program management update — ", "authors = [", "[extra]",
                    "team = ", "team_url = "):
            assert key in front
        assert re.search(r"^# Program management update — \w+ \d{4}$", text, re.M)
        stats = text.split("## Stats")[1]
        assert re.search(r"^Total words of meeting minutes written: [\d.]+k? \(", stats, re.M)
        assert re.search(r"^Meetings attended: \d+$", stats, re.M)
        assert "Average (mean) word count per team meeting:" in stats
    assert "## Worth a look" in ours


def test_sections_without_data_are_left_out(tmp_path: Path) -> None:
    (tmp_path / "src" / "2026").mkdir(parents=True)
    r = CliRunner().invoke(main, ["report", str(tmp_path), "--month", "2026-11"])
    assert r.exit_code == 0, r.output
    assert "## Stats" not in r.stdout and "## Worth a look" not in r.stdout


def test_bad_months_are_usage_errors() -> None:
    for bad in ("2026-13", "2026-1", "November"):
        r = CliRunner().invoke(main, ["report", str(EXAMPLE), "--month", bad])
        assert r.exit_code == 2 and "YYYY-MM" in r.stderr
    assert month_bounds("2026-12") == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))


def test_feeds_in_the_month_only_and_bad_feeds_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.xml").write_text("not a feed at all <<<")
    res = read_feeds(
        [FeedSpec("Blog", path="feeds/ferrite-blog.xml"), FeedSpec("Bad", path="../bad.xml"),
         FeedSpec("Gone", path="feeds/nope.xml"), FeedSpec("Web", url="https://example.invalid/x")],
        EXAMPLE, start=dt.date(2026, 10, 1), end=dt.date(2026, 11, 1), offline=True)
    assert [i.title for i in res.items] == ["Project goals update: October 2026"]
    assert len(res.problems) == 3


def test_attendees_label_followed_by_a_list() -> None:
    from goalkeeper.sources.minutes.folders import load_minutes

    meetings = {(m.team, m.date.isoformat()): m for m in load_minutes(EXAMPLE).meetings}
    assert meetings[("lang", "2026-09-03")].attendees == ("Ana K", "Borislav", "Chen Wei", "Dara O")
    assert meetings[("kernel-sync", "2026-10-28")].attendees == ("Rosa M", "Ana K", "Nils H")


def test_feed_entries_are_escaped_and_unsafe_links_dropped(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "f"
    shutil.copytree(EXAMPLE, root)
    (root / "feeds" / "ferrite-blog.xml").write_text("""<?xml version="1.0"?>
<rss version="2.0"><channel><title>x</title>
<item><title><![CDATA[<img src=x onerror=alert(3)>Hello]]></title><link>https://ok.example/x</link>
<pubDate>Tue, 10 Nov 2026 15:00:00 GMT</pubDate></item>
<item><title>Grants</title><link>javascript:alert(1)</link>
<pubDate>Wed, 11 Nov 2026 15:00:00 GMT</pubDate></item>
</channel></rss>""")
    r = CliRunner().invoke(main, ["report", str(root), "--month", "2026-11"])
    assert r.exit_code == 0, r.output
    assert "<img" not in r.stdout and "javascript:" not in r.stdout
    assert "* [&lt;img src=x onerror=alert(3)&gt;Hello](https://ok.example/x)" in r.stdout
    assert "* Grants" in r.stdout


def test_status_changes_come_from_git_history_within_the_month(tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess

    import goalkeeper
    from goalkeeper.render.report import status_changes

    root = tmp_path / "f"
    shutil.copytree(EXAMPLE, root)

    def commit(day: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00",
               "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
               "GIT_COMMITTER_EMAIL": "t@x"}
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", str(root), "commit", "-qm", day], check=True, env=env)

    subprocess.run(["git", "init", "-q", str(root)], check=True)
    commit("2026-09-15")
    goal = root / "src/2026/python-extensions.md"
    goal.write_text(goal.read_text().replace("| Proposed", "| Accepted", 1))
    commit("2026-11-15")
    program = goalkeeper.load(root)
    oct_start, oct_end = month_bounds("2026-10")
    nov_start, nov_end = month_bounds("2026-11")
    assert status_changes(program, oct_start, oct_end) == []
    assert status_changes(program, nov_start, nov_end) == [
        ("2026/python-extensions", "Proposed", "Accepted")]
