"""The `goalkeeper` command: a thin face over the library. The only package that prints or exits.

Exit status: 0 fine (warnings allowed), 1 problems found, 2 usage or I/O problem.

This module loads without click: the click group is `goalkeeper.cli.group.main`, and what
commands share here (printing a line, loading the program, a usage problem) works with or
without click.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported by the commands that print tables, not by `check`
    from rich.console import Console
    from rich.text import Text

    from ..model import Milestone, Program

#: Which module of this package defines each command. Modules are imported only when their
#: command runs (or for --help), so `goalkeeper check` does not pay for the forge client, the
#: site builder or the charts. tests/test_docs.py checks this table against the modules.
COMMANDS: dict[str, str] = {
    "check": "program", "goals": "program", "init": "program",
    "teams": "view_commands", "team": "view_commands", "champions": "view_commands",
    "capacity": "view_commands", "roadmaps": "view_commands", "calendar": "view_commands",
    "rfc": "view_commands", "fcp": "view_commands", "cfp": "view_commands",
    "funding": "view_commands", "help-wanted": "view_commands", "report": "report",
    "updates": "season", "reports": "season", "attention": "season",
    "sync": "tracking", "issues": "tracking",
    "minutes": "minutes",
    "build": "site", "serve": "site",
}


class UsageProblem(Exception):
    """A command was given something it cannot use (an unknown milestone or team): said as
    click says a usage error (the command's usage line, then the message; exit status 2)."""


def echo(text: str, *, nl: bool = True, err: bool = False) -> None:
    """`click.echo(text, nl=nl, err=err)`, without loading click when it is not loaded: the text,
    a newline, a flush. (click also strips ANSI escape sequences from what goes to a stream that
    is not a terminal: such a text is left to it.)"""
    if "click" in sys.modules or "\x1b" in text:
        import click

        click.echo(text, nl=nl, err=err)
        return
    out = sys.stderr if err else sys.stdout
    out.write(text + "\n" if nl else text)
    out.flush()


_warned: set[Path] = set()  # programs whose configuration warnings were printed


def load_program(root: Path, teams: Path | None) -> Program:
    from ..loader import load

    program = load(root, teams=teams)
    if root not in _warned:  # (a command run again by click after a usage problem: once)
        _warned.add(root)
        for warning in program.config.warnings:  # unknown goalkeeper.toml keys
            echo(f"goalkeeper: warning: {warning}", err=True)
    return program


def setup_milestone(root: Path, teams: Path | None, milestone: str | None) -> tuple[Program, Milestone]:
    """The program and the milestone `--milestone` names (default: the newest one)."""
    program = load_program(root, teams)
    if milestone:
        m = program.milestone(milestone)
        if m is None:
            names = ", ".join(x.name for x in program.milestones) or "none"
            raise UsageProblem(f"no milestone {milestone!r}; milestones: {names}")
        return program, m
    if not program.milestones:
        raise UsageProblem("the program has no milestones")
    return program, program.milestones[-1]


def console() -> Console:
    """A rich console; piped output is not folded at 80 columns (unless COLUMNS says so)."""
    from rich.console import Console

    c = Console()
    if not c.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
        c.width = 160
    return c


def md_cell(text: str, *, urls: bool = True, style: str = "") -> tuple[str, str]:
    """A cell's markdown as a table cell (cli.tables): what `md` shows, and its style."""
    from ..render.inline import inline

    return (inline(text, urls=urls), style)


def md(text: str, *, urls: bool = True, style: str = "") -> Text:
    """A cell's markdown as terminal text: links, references and badges keep their text (the URL
    of an inline link follows unless `urls` is false), and nothing is read as rich markup."""
    from rich.text import Text

    from ..render.inline import inline

    return Text(inline(text, urls=urls), style=style)
