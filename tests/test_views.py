"""Team views agree with independent computations on the example and the real repository."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main
from goalkeeper.views.teams import asks_by_team, capacity, champion_matrix, roadmap_tree

from .conftest import EXAMPLE


def raw_team_asks(folder: Path) -> Counter[str]:
    """Count `| [team] | Level |` rows under `## Team asks` in non-rejected goals, by raw text."""
    counts: Counter[str] = Counter()
    for f in sorted(folder.glob("*.md")):
        text = f.read_text()
        if re.search(r"^\|\s*Status\s*\|\s*Not accepted", text, re.M):
            continue
        m = re.search(r"^## Team asks\n(.*?)(?=^## )", text + "\n## End\n", re.M | re.S)
        if not m:
            continue
        for team, level in re.findall(r"^\|\s*\[([-\w.]+)\]\s*\|\s*(\w+)\s*\|", m[1], re.M):
            if level.lower() in ("vibes", "small", "medium", "large"):
                counts[team] += 1
    return counts


def raw_champions(folder: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for f in sorted(folder.glob("*.md")):
        text = f.read_text()
        if re.search(r"^\|\s*Status\s*\|\s*Not accepted", text, re.M):
            continue
        for login in set(re.findall(r"^\|\s*\[[-\w.]+\] champion\s*\|\s*@([-\w]+)", text, re.M)):
            counts[login.lower()] += 1
    return counts


def test_team_and_champion_counts_match_an_independent_count(rust_goals: Path) -> None:
    program = goalkeeper.load(rust_goals)
    m = program.milestone("2026")
    got = Counter({t.team: len(t.rows) for t in asks_by_team(program, m)})
    assert got == raw_team_asks(rust_goals / "src" / "2026")
    mx = champion_matrix(program, m)
    assert Counter({p.lower(): n for p, n, _ in mx.per_person}) == raw_champions(rust_goals / "src" / "2026")


def test_example_views() -> None:
    program = goalkeeper.load(EXAMPLE)
    m = program.milestone("2026")
    by_team = {t.team: t for t in asks_by_team(program, m)}
    assert sorted(by_team) == ["build", "compiler", "infra", "lang", "libs"]
    # Large first, then Medium, Small, Vibes
    assert [r.level for r in by_team["lang"].rows] == ["Large", "Medium", "Medium", "Small", "Vibes"]
    mx = champion_matrix(program, m)
    assert mx.cells[("2026/pattern-types", "lang")] == "@ana-k"
    assert mx.cells[("2026/pattern-types", "compiler")] == "n/a"  # Small: no champion needed
    assert mx.cells[("2026/pattern-types", "infra")] == "-"
    tree = roadmap_tree(program, m)
    assert [a.area for a in tree.areas] == ["Safety-critical & regulated", "Interop & platforms"]
    assert [g.slug for g in tree.unmapped] == ["parallel-codegen", "smelt-script"]
    cap = capacity(program, m)
    compiler = next(t for t in cap.teams if t.team == "compiler")
    assert compiler.by_level == {"Large": 2, "Small": 5} and compiler.limits["Large"] == 3


def test_capacity_warns_over_limits(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "f"
    shutil.copytree(EXAMPLE, root)
    cfg = root / "goalkeeper.toml"
    cfg.write_text(cfg.read_text().replace("[capacity.teams.compiler]\nLarge = 3",
                                           "[capacity.teams.compiler]\nLarge = 1"))
    r = CliRunner().invoke(main, ["capacity", str(root), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["warnings"] == ["team compiler: 2 Large asks, limit 1"]


def test_champions_csv_and_team_review() -> None:
    r = CliRunner().invoke(main, ["champions", str(EXAMPLE), "--csv"])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "Goal,build,compiler,infra,lang,libs"
    assert "Stabilize pattern types,-,n/a,-,@ana-k,-" in lines
    r = CliRunner().invoke(main, ["team", "lang", str(EXAMPLE)])
    assert r.exit_code == 0
    assert r.stdout.startswith("# Language team: 2026 goals review\n")
    assert "## Asks still lacking a champion\n\nNone." in r.stdout
    r = CliRunner().invoke(main, ["team", "nosuch", str(EXAMPLE)])
    assert r.exit_code == 2 and "no team 'nosuch'" in r.stderr
    r = CliRunner().invoke(main, ["teams", str(EXAMPLE), "--milestone", "1999"])
    assert r.exit_code == 2 and "no milestone '1999'" in r.stderr
