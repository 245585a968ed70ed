"""The command line: exit codes, filters, JSON, init."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main

from .conftest import EXAMPLE


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_example_program_passes_check() -> None:
    code, out, err = run("check", str(EXAMPLE))
    assert code == 0, out
    assert "error" not in out.replace("0 errors", "") and "warning" not in out.replace("0 warn", "")
    # the summary is the last line of stdout, after the diagnostics and the acceptance notes
    assert out.splitlines()[-1] == "checked 13 goals and 3 roadmaps in 2 milestones: 0 errors, 0 warnings"
    assert "note: 2026: " in out and "by their Status row" in out
    assert err == ""


def test_broken_copy_of_the_example_fails(tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    goal = root / "src/2026/pattern-types.md"
    text = re.sub(r"\| Status( *)\| Accepted", r"| Status\1| Acepted", goal.read_text(), count=1)
    goal.write_text(text)
    code, out, _ = run("check", str(root))
    assert code == 1
    assert "src/2026/pattern-types.md:6:" in out and "error[unknown-status]" in out


def test_goals_filters_and_json() -> None:
    code, out, _ = run("goals", str(EXAMPLE), "--json", "--milestone", "2026")
    assert code == 0
    records = json.loads(out)
    program = goalkeeper.load(EXAMPLE)
    assert [r["slug"] for r in records] == [g.slug for g in program.milestone("2026").goals]
    code, out, _ = run("goals", str(EXAMPLE), "--json", "--status", "proposed")
    assert {r["status"] for r in json.loads(out)} == {"Proposed"}
    code, out, _ = run("goals", str(EXAMPLE), "--json", "--team", "infra")
    assert all("infra" in r["teams"] for r in json.loads(out)) and json.loads(out)
    code, out, _ = run("goals", str(EXAMPLE), "--json", "--roadmap", "trusted supply chain")
    slugs = {r["slug"] for r in json.loads(out)}
    want = {g.slug for g in program.goals if "Trusted supply chain" in g.roadmaps}
    assert slugs == want and slugs


def test_goals_table_lists_titles() -> None:
    code, out, _ = run("goals", str(EXAMPLE), "--milestone", "2025h2")
    assert code == 0
    assert "Sparse index" in out and "4 goals: 3 Accepted, 1 Not accepted" in out


def test_usage_problems_exit_2(tmp_path: Path) -> None:
    code, _, err = run("goals", str(EXAMPLE), "--milestone", "1999")
    assert code == 2 and "no milestone '1999'" in err
    code, _, err = run("check", str(tmp_path / "missing"))
    assert code == 2 and "no such folder" in err
    (tmp_path / "goalkeeper.toml").write_text("[project]\nname = 3\n")
    code, _, err = run("check", str(tmp_path))
    assert code == 2 and "project.name: must be a string" in err
    assert "Traceback" not in err


def test_init_scaffolds_a_program_that_passes_check(tmp_path: Path) -> None:
    target = tmp_path / "newproj"
    code, out, _ = run("init", str(target), "--name", "Newproj", "--milestone", "2027")
    assert code == 0, out
    assert (target / "goalkeeper.toml").is_file()
    assert (target / "src/2027/example-goal.md").is_file()
    code, out, err = run("check", str(target))
    assert code == 0, out
    assert "1 goal and 0 roadmaps in 1 milestone: 0 errors, 0 warnings" in out
    # never overwrites
    code, _, err = run("init", str(target))
    assert code == 2 and "already exists" in err


def test_init_with_quotes_in_the_name_still_checks(tmp_path: Path) -> None:
    target = tmp_path / "q"
    assert run("init", str(target), "--name", 'Q"uote\\ project')[0] == 0
    code, out, _ = run("check", str(target))
    assert code == 0, out
    assert goalkeeper.load(target).config.project_name == 'Q"uote\\ project'
    assert run("init", str(tmp_path / "r"), "--name", "two\nlines")[0] == 2


def test_unknown_filters_and_empty_team_folders_are_usage_errors(tmp_path: Path) -> None:
    for option in ("--team", "--status", "--roadmap"):
        code, _, err = run("goals", str(EXAMPLE), option, "nosuch")
        assert code == 2 and f"{option} 'nosuch' matches nothing" in err
    code, _, err = run("check", str(EXAMPLE), "--teams", str(tmp_path))
    assert code == 2 and "no team files" in err
