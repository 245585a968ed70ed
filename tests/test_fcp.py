"""The FCP comment: leads required and pinged, members optional and not pinged, archived teams
named with where their asks go, one hint without team data."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from click.testing import CliRunner

from goalkeeper.cli.group import main

from .conftest import GOAL_2026, write_tree


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^### (\S+) team\b[^\n]*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_2026_fcp_pings_only_the_leads_of_every_team_asked(rust_goals: Path, rust_teams: Path) -> None:
    r = CliRunner().invoke(main, ["fcp", "2026", str(rust_goals), "--teams", str(rust_teams)])
    assert r.exit_code == 0, r.output
    sections = _sections(r.stdout)
    mentioned = set(re.findall(r"@([\w-]+)", r.stdout)) - {"rfcbot"}
    assert 0 < len(mentioned) <= 50  # GitHub notifies at most 50 people per comment
    expected: set[str] = set()
    for team, body in sections.items():
        f = rust_teams / "teams" / f"{team}.toml"
        if not f.is_file():  # archived: named, no checkboxes, where its asks go
            assert (rust_teams / "teams" / "archive" / f"{team}.toml").is_file()
            assert "[ ]" not in body and "no longer exists" in body
            continue
        people = tomllib.loads(f.read_text())["people"]
        leads = people.get("leads", [])
        members = [m if isinstance(m, str) else m["github"] for m in people.get("members", [])]
        expected.update(leads)
        for lead in leads:
            assert f"* [ ] @{lead} (lead)\n" in body, (team, lead)
        for member in set(members) - set(leads):
            assert re.search(rf"^\* \[ \] (.+ \()?{re.escape(member)}\)?$", body, re.M), (team, member)
    assert mentioned == expected
    # libs-api was merged into libs: its section says so, and libs answers for it
    assert "Its asks go to the libs team" in sections["libs-api"]
    assert "incorporated into Library" in sections["libs-api"]
    assert "also answers for the asks of libs-api" in sections["libs"]


def test_without_team_data_one_hint_and_no_line_per_team(rust_goals: Path) -> None:
    r = CliRunner().invoke(main, ["fcp", "2026", str(rust_goals)])
    assert r.exit_code == 0
    assert r.stderr.count("--teams") == 1
    assert "no lead" not in r.stdout and re.findall(r"@[\w-]+", r.stdout) == ["@rfcbot"]
    assert len(_sections(r.stdout)) > 20


def test_archived_team_with_nowhere_to_go_and_a_team_without_leads(tmp_path: Path) -> None:
    goal = GOAL_2026.replace("| [compiler] | small ", "| [old]      | Small ")
    root = write_tree(tmp_path, {
        "src/2026/README.md": "# 2026\n",
        "src/2026/widgets.md": goal,
        "team/teams/lang.toml": 'name = "lang"\n[people]\nleads = []\nmembers = ["bob"]\n',
        "team/teams/archive/old.toml": '# Gone for good.\nname = "old"\n[people]\nleads = []\n'
                                       "members = []\n",
    })
    r = CliRunner().invoke(main, ["fcp", "2026", str(root), "--teams", str(root / "team")])
    assert r.exit_code == 0, r.output
    sections = _sections(r.stdout)
    assert "no lead in the team data" in sections["lang"] and "* [ ] bob" in sections["lang"]
    assert "Gone for good." in sections["old"] and "No live team takes its asks" in sections["old"]
    assert "[ ]" not in sections["old"]
