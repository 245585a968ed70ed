"""tests/corpus/broken gives exactly the expected diagnostics, in order.

Each entry was reviewed against the document it points at; when a rule changes, update the
list here and say why in the commit.
"""

from __future__ import annotations

from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main

from .conftest import BROKEN

EXPECTED = [
    ("src/2025h2/old-format.md", 24, "unknown-ask-type"),  # "Bless the plan"
    ("src/2025h2/old-format.md", 25, "unknown-ask-type"),  # "Nobody to ask"
    ("src/2025h2/old-format.md", 25, "unknown-team"),  # ![Team][] with no team
    ("src/2026/README.md", 5, "unknown-directive"),  # (((GOLAS))); the one in `code` is fine
    ("src/2026/README.md", 13, "unknown-directive-theme"),  # ROADMAP GOALS: Nowhere
    ("src/2026/accepted.md", 5, "inconsistent-username"),  # @Alice vs @alice
    ("src/2026/accepted.md", 6, "missing-tracking-issue"),  # Accepted, no row
    ("src/2026/elsewhere.md", 1, "duplicate-short-title"),  # "Speed up" twice
    ("src/2026/elsewhere.md", 8, "tracking-issue-repo"),  # other/repo#7
    ("src/2026/elsewhere.md", 10, "duplicate-champion-row"),
    ("src/2026/elsewhere.md", 26, "multiple-tables"),
    ("src/2026/empty.md", 0, "empty-file"),
    ("src/2026/everything.md", 5, "invalid-point-of-contact"),
    ("src/2026/everything.md", 6, "unknown-status"),
    ("src/2026/everything.md", 7, "invalid-tracking-issue"),
    ("src/2026/everything.md", 8, "unknown-roadmap"),
    ("src/2026/everything.md", 9, "unknown-highlight"),
    ("src/2026/everything.md", 11, "invalid-champion-row"),  # `lang champion`
    ("src/2026/everything.md", 12, "champion-without-ask"),
    ("src/2026/everything.md", 12, "unknown-team"),  # [infra]
    ("src/2026/everything.md", 13, "unknown-metadata-row"),  # Colour
    ("src/2026/everything.md", 14, "unknown-metadata-row"),  # column 3
    ("src/2026/everything.md", 14, "malformed-table"),  # column 18: the third cell
    ("src/2026/everything.md", 24, "unknown-support-level"),  # Huge
    ("src/2026/everything.md", 25, "missing-champion"),  # Large, error by configuration
    ("src/2026/everything.md", 26, "unknown-team"),  # [docs]
    ("src/2026/everything.md", 27, "missing-section"),  # no Motivation
    ("src/2026/misplaced.md", 7, "misplaced-metadata"),
    ("src/2026/same-issue.md", 17, "no-team-involvement"),
    ("src/2026/same-issue.md", 22, "raw-html"),
    ("src/2026/same-issue.md", 24, "malformed-table"),  # delimiter row too short
    ("src/2026/untitled.md", 1, "duplicate-tracking-issue"),
    ("src/2026/untitled.md", 1, "missing-title"),
    ("src/2026/untitled.md", 14, "missing-team-asks"),
    ("src/notes/stray-goal.md", 3, "goal-outside-milestone"),
]


def test_exact_diagnostics() -> None:
    program = goalkeeper.load(BROKEN)
    got = [(d.span.path, d.span.line, d.code) for d in program.diagnostics]
    assert got == EXPECTED


def test_missing_champion_is_an_error_only_where_configured() -> None:
    program = goalkeeper.load(BROKEN)
    (d,) = [d for d in program.diagnostics if d.code == "missing-champion"]
    assert d.severity == "error"  # [program] missing_champion = "error"


def test_compiler_style_text_output() -> None:
    result = CliRunner().invoke(main, ["check", str(BROKEN)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "src/2026/everything.md:6:22: error[unknown-status]: status `Accpted` is not one of " \
        "Proposed, Invited, Accepted, Proposed for mentorship, Not accepted" in lines
    i = lines.index(next(ln for ln in lines if "error[unknown-status]" in ln))
    assert lines[i + 1] == "  = hint: did you mean `Accepted`?"
    assert lines[-1].endswith("25 errors, 10 warnings") and result.stderr == ""  # summary last, on stdout


def test_github_annotations() -> None:
    result = CliRunner().invoke(main, ["check", str(BROKEN), "--format", "github"])
    assert result.exit_code == 1
    assert (
        "::error file=src/2026/everything.md,line=6,col=22,title=unknown-status::status `Accpted`"
        in result.stdout
    )
    assert result.stdout.count("::warning ") == 10


def test_quiet_hides_warnings() -> None:
    result = CliRunner().invoke(main, ["check", str(BROKEN), "-q", "--format", "github"])
    assert "::warning" not in result.stdout and result.stdout.count("::error") == 25
