"""The program calendar: default cycles, overrides, boundaries and strict dates."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from goalkeeper.calendar import Phase, default_windows, next_milestone, parse_date, today, windows
from goalkeeper.cli.group import main
from goalkeeper.errors import ConfigError

from .conftest import EXAMPLE

D = dt.date


def spans(milestone: str) -> dict[str, tuple[D, D]]:
    return {str(w.phase): (w.start, w.end) for w in default_windows(milestone)}


def test_annual_cycle() -> None:
    assert spans("2026") == {
        "proposals": (D(2026, 1, 1), D(2026, 1, 31)),
        "feedback": (D(2026, 2, 1), D(2026, 2, 28)),
        "rfc": (D(2026, 3, 1), D(2026, 3, 31)),
        "implementation": (D(2026, 4, 1), D(2026, 12, 31)),
        "retrospective": (D(2027, 1, 1), D(2027, 1, 31)),
    }
    assert spans("2028")["feedback"] == (D(2028, 2, 1), D(2028, 2, 29))  # leap year


def test_half_year_cycles() -> None:
    h1 = spans("2025h1")
    assert h1["proposals"] == (D(2024, 11, 1), D(2024, 11, 30))
    assert h1["rfc"] == (D(2025, 1, 1), D(2025, 1, 31))
    assert h1["implementation"] == (D(2025, 2, 1), D(2025, 6, 30))
    h2 = spans("2025h2")
    assert h2["implementation"] == (D(2025, 8, 1), D(2025, 12, 31))
    assert h2["retrospective"] == (D(2026, 1, 1), D(2026, 1, 31))
    assert [next_milestone(x) for x in ("2025h1", "2025h2", "2026")] == ["2025h2", "2026h1", "2027"]


def test_boundaries_are_inclusive() -> None:
    wins = default_windows("2026")
    assert [str(w.phase) for w in today(wins, D(2026, 3, 31)).current] == ["rfc"]
    assert [str(w.phase) for w in today(wins, D(2026, 4, 1)).current] == ["implementation"]
    assert today(wins, D(2026, 12, 31)).upcoming[0].phase is Phase.RETROSPECTIVE


def test_overrides_and_bad_overrides() -> None:
    wins = windows("2026", {"rfc": {"start": D(2026, 2, 16), "end": "2026-03-22"}}, "gk.toml")
    rfc = next(w for w in wins if w.phase is Phase.RFC)
    assert (rfc.start, rfc.end, rfc.configured) == (D(2026, 2, 16), D(2026, 3, 22), True)
    with pytest.raises(ConfigError, match="'party' is not a phase"):
        windows("2026", {"party": {"start": D(2026, 1, 1), "end": D(2026, 1, 2)}}, "gk.toml")
    with pytest.raises(ConfigError, match="ends before it starts"):
        windows("2026", {"rfc": {"start": D(2026, 3, 2), "end": D(2026, 3, 1)}}, "gk.toml")
    with pytest.raises(ConfigError, match="not a valid date"):
        windows("2026", {"rfc": {"start": "2026-02-30", "end": D(2026, 3, 1)}}, "gk.toml")


def test_strict_dates() -> None:
    assert parse_date("2026-02-28") == D(2026, 2, 28)
    for bad in ("2026-13-01", "2026-2-1", "26-01-01", "2026-02-30", "yesterday"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_calendar_command(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["calendar", str(EXAMPLE), "--today", "2026-11-25", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [(c["milestone"], c["phase"]) for c in data["current"]] == [("2026", "implementation")]
    assert [(c["milestone"], c["phase"]) for c in data["next"]][:2] == [
        ("2026", "retrospective"), ("2027", "proposals")]
    r = CliRunner().invoke(main, ["calendar", str(EXAMPLE), "--today", "2026-13-01"])
    assert r.exit_code == 2 and "not a valid date" in r.stderr
    root = tmp_path / "f"
    shutil.copytree(EXAMPLE, root)
    with (root / "goalkeeper.toml").open("a") as f:
        f.write('\n[calendar."2026"]\nimplementation = { start = 2026-05-13, end = 2026-12-31 }\n')
    r = CliRunner().invoke(main, ["calendar", str(root), "--today", "2026-05-01", "--json"])
    assert [c["phase"] for c in json.loads(r.stdout)["current"]] == []
