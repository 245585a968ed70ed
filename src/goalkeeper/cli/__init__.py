"""The `goalkeeper` command: a thin face over the library. The only package that prints or exits.

Exit status: 0 fine (warnings allowed), 1 problems found, 2 usage or I/O problem.
"""

from __future__ import annotations

import gc
import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING


@contextmanager
def _no_collection() -> Iterator[None]:
    """No cycle collection while modules load: importing creates tens of thousands of objects
    (functions, classes, dataclass methods) that live as long as the process, and the collector
    would walk them again and again (10-20 ms of a `check`) for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


with _no_collection():
    import click

    from .. import __version__
    from ..batch import collect_for_batch
    from ..errors import GoalkeeperError, os_error_text
    from ..loader import load
    from ..model import Program

if TYPE_CHECKING:  # rich is imported by the commands that print tables, not by `check`
    from rich.console import Console
    from rich.text import Text

ROOT_ARG = click.argument(
    "root", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
TEAMS_OPT = click.option(
    "--teams",
    "teams",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="GOALKEEPER_TEAMS",
    help="A rust-lang/team style folder (teams/*.toml) to check team names against.",
)


#: Which module of this package defines each command. Modules are imported only when their
#: command runs (or for --help), so `goalkeeper check` does not pay for the forge client, the
#: site builder or the charts. tests/test_docs.py checks this table against the modules.
COMMANDS: dict[str, str] = {
    "check": "program", "goals": "program", "init": "program",
    "teams": "views", "team": "views", "champions": "views", "capacity": "views",
    "roadmaps": "views", "calendar": "views",
    "rfc": "documents", "fcp": "documents", "cfp": "documents", "funding": "documents",
    "help-wanted": "documents", "report": "report",
    "updates": "season", "reports": "season", "attention": "season",
    "sync": "tracking", "issues": "tracking",
    "minutes": "minutes",
    "build": "site", "serve": "site",
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            with _no_collection():
                importlib.import_module(f"{__name__}.{COMMANDS[cmd_name]}")
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GoalkeeperError as e:
            click.echo(f"goalkeeper: {e}", err=True)
            ctx.exit(2)
        except OSError as e:  # a read-only folder, a full disk, a file removed under us
            click.echo(os_error_text(e), err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="goalkeeper")
def main() -> None:
    """Run an open-source project's goals program: check, list and publish goal documents."""
    collect_for_batch()


def load_program(root: Path, teams: Path | None) -> Program:
    program = load(root, teams=teams)
    for warning in program.config.warnings:  # unknown goalkeeper.toml keys
        click.echo(f"goalkeeper: warning: {warning}", err=True)
    return program


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
