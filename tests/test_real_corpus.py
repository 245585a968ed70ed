"""The public rust-lang goals repository passes its own check, with the right counts.

Counts are compared with an independent reading: plain line matching on the raw files, not
goalkeeper's parser.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main


def independent_counts(root: Path) -> Counter[tuple[str, str]]:
    """(milestone, status) for every file whose first table, under the title, is `| Metadata |`."""
    counts: Counter[tuple[str, str]] = Counter()
    for f in sorted((root / "src").glob("*/*.md")):
        if not re.fullmatch(r"\d{4}(h[12])?", f.parent.name) or f.name.startswith("roadmap-"):
            continue
        lines = f.read_text(encoding="utf-8").splitlines()
        first_pipe = next((i for i, ln in enumerate(lines) if ln.startswith("|")), None)
        if first_pipe is None or not re.match(r"\|\s*Metadata\s*\|", lines[first_pipe]):
            continue
        if any(ln.startswith("## ") for ln in lines[:first_pipe]):
            continue
        status = next(
            ln.split("|")[2].strip() for ln in lines[first_pipe:] if re.match(r"\|\s*Status\s*\|", ln)
        )
        counts[(f.parent.name, status)] += 1
    return counts


def test_known_counts(rust_goals: Path) -> None:
    # from ../shared/data/README.md
    program = goalkeeper.load(rust_goals)
    by = Counter((g.milestone, g.status) for g in program.goals)
    assert by == {
        ("2025h2", "Proposed"): 41,
        ("2025h2", "Not accepted"): 1,
        ("2026", "Accepted"): 73,
        ("2026", "Proposed"): 2,
        ("2026", "Not accepted"): 1,
    }
    assert len(program.milestone("2026").roadmaps) == 9
    assert program.milestone("2025h2").roadmaps == ()


def test_check_passes_and_goals_json_counts_match(rust_goals: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(rust_goals), "--format", "json"])
    assert result.exit_code == 0, result.output
    diags = json.loads(result.stdout)
    assert [d for d in diags if d["severity"] == "error"] == []

    result = runner.invoke(main, ["goals", str(rust_goals), "--json"])
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert Counter((r["milestone"], r["status"]) for r in records) == independent_counts(rust_goals)


def test_check_with_team_data_has_no_errors(rust_goals: Path, rust_teams: Path) -> None:
    program = goalkeeper.load(rust_goals, teams=rust_teams)
    assert program.teams_checked
    assert [str(d.span) + " " + d.code for d in program.errors] == []
    codes = Counter(d.code for d in program.warnings)
    assert "unchecked-teams" not in codes
    assert codes["archived-team"] > 0  # libs-api, merged into libs, is still asked


def test_without_team_data_teams_come_from_documents_with_a_warning(rust_goals: Path) -> None:
    program = goalkeeper.load(rust_goals)
    assert not program.teams_checked
    assert {"lang", "compiler", "types", "libs-api"} <= set(program.teams)
    assert [d.code for d in program.warnings].count("unchecked-teams") == 1


def test_known_gaps_are_warnings(rust_goals: Path) -> None:
    """Medium asks without champions exist in real accepted goals: warnings, not errors."""
    program = goalkeeper.load(rust_goals)
    missing = {d.span.path for d in program.warnings if d.code == "missing-champion"}
    assert missing == {"src/2026/interop-f80-f128.md", "src/2026/mir-move-elimination.md"}


def test_real_goal_details(rust_goals: Path) -> None:
    m = goalkeeper.load(rust_goals).milestone("2026")
    g = m.goal("const-generics")
    assert g.roadmaps == ("Constify all the things", "Rust for Linux")
    assert [s.title for s in g.subgoals] == ["ADT const params", "Min generic const arguments"]
    assert {a.team: a.level for a in g.asks} == {"lang": "Large", "types": "Large"}
    assert g.funding_contact.startswith("[Hexcat]")
    rfl = next(r for r in m.roadmaps if r.slug == "rust-for-linux")
    assert rfl.short_title == "Rust for Linux" and rfl.point_of_contact == "@tomassedovic"
    old = goalkeeper.load(rust_goals).milestone("2025h2").goal("cargo-script")
    assert old.roadmaps == ("Higher-level Rust",)
    assert ("lang-docs", "Review/revise Reference PR") in {(a.team, a.ask_type) for a in old.asks}
