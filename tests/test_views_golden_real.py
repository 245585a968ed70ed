"""Golden text of the team views and the FCP comment on the real 2026 program (issue 10).

The documents are read from `../shared/data`; only goalkeeper's output is kept here, in
tests/golden/rust/. Regenerate with `GOALKEEPER_UPDATE_GOLDEN=1` and review the diff: each file is
what a program manager would paste or read in a terminal 100 columns wide.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from goalkeeper.cli.group import main

from .test_directives import golden

VIEWS = {
    "teams-2026.txt": ["teams", "--milestone", "2026"],
    "help-wanted-2026.txt": ["help-wanted", "--milestone", "2026"],
    "funding-2026.txt": ["funding", "--milestone", "2026"],
    "capacity-2026.txt": ["capacity", "--milestone", "2026"],
    "fcp-2026.md": ["fcp", "2026"],
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_real_2026_views_match_their_golden_text(name: str, rust_goals: Path, rust_teams: Path) -> None:
    args = VIEWS[name]
    where = [args[0], str(rust_goals), *args[1:]] if args[0] != "fcp" else [*args, str(rust_goals)]
    r = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1"}).invoke(main, [*where, "--teams", str(rust_teams)])
    assert r.exit_code == 0, r.output
    text = r.stdout
    # what the issue saw: bracketed text lost, links escaped, placeholders left empty
    assert "Reviews of  and" not in text and "(with )" not in text and "add  to" not in text
    assert "\\[" not in text
    golden(f"rust/{name}", text)
