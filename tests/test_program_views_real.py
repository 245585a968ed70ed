"""Smaller things seen on the real Rust program: cfp, the champions layout, funding, team names."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main
from goalkeeper.views.teams import champion_matrix


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    r = CliRunner(env=env).invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_cfp_files_the_milestone_under_its_own_summary_part(tmp_path: Path, rust_goals: Path) -> None:
    root = tmp_path / "rpg"
    shutil.copytree(rust_goals, root)
    code, out, err = run("cfp", "2027", str(root))
    assert code == 0, err
    summary = (root / "src/SUMMARY.md").read_text()
    # a part of its own, in the style of the newest one, above it; not inside 2026's part
    part = summary.split("# ⏳ 2027 goal process\n", 1)[1].split("\n# ", 1)[0]
    assert part.strip().splitlines() == ["- [Overview](./2027/README.md)", "- [Goals](./2027/goals.md)",
                                         "- [Goals not accepted](./2027/not_accepted.md)"]
    assert summary.index("# ⏳ 2027 goal process") < summary.index("# ⏳ 2026 goal process")
    part_2026 = summary.split("# ⏳ 2026 goal process\n", 1)[1].split("\n# ", 1)[0]
    assert "2027" not in part_2026
    readme = (root / "src/README.md").read_text()
    assert "## Next goal period (2027)" in readme and "[Click here](./2027/goals.md)" in readme
    assert readme.index("## Next goal period") < readme.index("## About the process")
    code, out, _ = run("cfp", "2027", str(root))  # idempotent
    assert code == 0 and set(re.findall(r"^\s*(\w+)", out, re.M)) == {"unchanged"}
    assert goalkeeper.load(root).milestone("2027") is not None


def test_cfp_for_an_older_milestone_goes_below_the_newer_parts(tmp_path: Path, rust_goals: Path) -> None:
    root = tmp_path / "rpg"
    shutil.copytree(rust_goals, root)
    before = (root / "src/SUMMARY.md").read_text()
    assert run("cfp", "2025h1", str(root))[0] == 0  # already listed (archived): left alone
    assert (root / "src/SUMMARY.md").read_text() == before
    assert run("cfp", "2024h1", str(root))[0] == 0
    summary = (root / "src/SUMMARY.md").read_text()
    assert summary.index("# ⚙️ 2025H2 goal process") < summary.index("# ⚙️ 2024H1 goal process") \
        < summary.index("# 📖 Learn about")


def test_team_typo_suggests_the_team(rust_goals: Path, rust_teams: Path) -> None:
    code, _, err = run("team", "langg", str(rust_goals), "--teams", str(rust_teams))
    assert code == 2 and "did you mean `lang`?" in err
    assert len(err) < 300  # not the 250 names of the team data
    code, _, err = run("team", "zzzzqq", str(rust_goals), "--teams", str(rust_teams))
    assert code == 2 and "teams asked for support in 2026: book, bootstrap, cargo" in err
    assert "alumni" not in err  # a team nobody asked is not offered


def test_funding_does_not_list_funded_goals_as_seeking(rust_goals: Path) -> None:
    records = json.loads(run("funding", str(rust_goals), "--json")[1])
    funded = [r["title"] for r in records if r["status"] == "Funded"]
    assert funded and all(not r["seeking_funding"] for r in records if r["status"] == "Funded")
    code, out, _ = run("funding", str(rust_goals), env={"COLUMNS": "200"})
    assert code == 0
    table, tail = out.split("goals seeking funding", 1)
    for title in funded:
        assert title.replace("`", "") not in table.replace("`", "")
    seeking = sum(1 for r in records if r["seeking_funding"])
    assert f"{seeking} goals seeking funding" in out and f"Fully funded ({len(funded)}): " in tail


def test_champions_fit_100_columns_and_small_asks_need_none(rust_goals: Path, rust_teams: Path) -> None:
    program = goalkeeper.load(rust_goals, teams=rust_teams)
    m = program.milestone("2026")
    assert m is not None
    mx = champion_matrix(program, m)
    small = [(g, t) for g in mx.goals for t in mx.teams
             if mx.cells[(g.key, t)] in ("!", "n/a") and g.level_for(t) == "Small"]
    assert small and all(mx.cells[(g.key, t)] == "n/a" for g, t in small)
    gaps = [(g.slug, t) for g in mx.goals for t in mx.teams if mx.cells[(g.key, t)] == "!"]
    assert gaps and all(g.level_for(t) in ("Medium", "Large") for g in mx.goals for t in mx.teams
                        if mx.cells[(g.key, t)] == "!")
    for layout in ("auto", "team", "person"):
        code, out, _ = run("champions", str(rust_goals), "--teams", str(rust_teams), "--by", layout,
                           env={"COLUMNS": "100"})
        assert code == 0
        assert max(len(line) for line in out.splitlines()) <= 100, layout
    out = run("champions", str(rust_goals), "--teams", str(rust_teams), env={"COLUMNS": "100"})[1]
    assert out.startswith("Champions by team, 2026")  # 28 teams do not fit as columns
    assert re.search(r"│ lang\s+│", out) and "@tmandry" in out
