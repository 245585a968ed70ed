"""The `goalkeeper` command group: click's side of the command line.

Every command is a click command of this group, defined in the module :data:`COMMANDS` names
and imported when it runs. The team views and the RFC-phase documents (`views.py`,
`documents.py`) are written without click, so that `goalkeeper.entry` can run them without
loading it (a tenth of such a command); their click commands are in `view_commands.py`.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
    from ..loader import load as _load  # noqa: F401 (every command loads it: with the collector off)
    from . import COMMANDS, UsageProblem

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


class _Command(click.Command):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageProblem as e:  # said by code written without click
            raise click.UsageError(str(e), ctx=ctx) from e


class _Group(click.Group):
    command_class = _Command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            with _no_collection():
                importlib.import_module(f"{__package__}.{COMMANDS[cmd_name]}")
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
