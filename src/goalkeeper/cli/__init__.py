"""The `goalkeeper` command: a thin face over the library. The only package that prints or exits.

Exit status: 0 fine (warnings allowed), 1 problems found, 2 usage or I/O problem.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from .. import __version__
from ..errors import GoalkeeperError
from ..loader import load
from ..model import Program

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


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GoalkeeperError as e:
            click.echo(f"goalkeeper: {e}", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="goalkeeper")
def main() -> None:
    """Run an open-source project's goals program: check, list and publish goal documents."""


def load_program(root: Path, teams: Path | None) -> Program:
    return load(root, teams=teams)


def console() -> Console:
    """A rich console; piped output is not folded at 80 columns."""
    c = Console()
    if not c.is_terminal:
        c.width = 160
    return c


# Commands register themselves on `main` when their modules are imported.
from . import documents as _documents  # noqa: E402,F401
from . import minutes as _minutes  # noqa: E402,F401
from . import program as _program  # noqa: E402,F401
from . import season as _season  # noqa: E402,F401
from . import tracking as _tracking  # noqa: E402,F401
from . import views as _views  # noqa: E402,F401


