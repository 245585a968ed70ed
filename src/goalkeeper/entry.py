"""The `goalkeeper` command's entry point (the installed script and `python -m goalkeeper`).

`goalkeeper check` with plain arguments (a folder, `-q`/`--quiet`, `--format`, `--teams`) runs
here without click: importing click and setting up its commands is a tenth of a check of a real
repository. So do the team views and the RFC-phase documents of :data:`FAST`, which are written
without click (goalkeeper/cli/views.py and documents.py). Anything else (another command,
`--help`, an argument click would reject or read in some other way, the `GOALKEEPER_TEAMS`
variable, a terminal that is not UTF-8, a usage problem such as an unknown milestone) goes to
the click command group (:mod:`goalkeeper.cli.group`), which decides as always. Either way a
command prints the same lines and exits with the same status (tests/test_entry.py). This
module is part of the command line; it stands apart from the `goalkeeper.cli` package so that
the installed script loads nothing but what the command needs.
"""
from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any, NoReturn


def main() -> None:
    """Run the command line. A plain `check` ends the process itself (see `_end`)."""
    # No cycle collection while the command's modules load (see cli.group._no_collection); the
    # command turns the collector back on, with its batch settings, before it reads anything.
    gc.disable()
    args = sys.argv[1:]
    if args[:1] == ["check"] and _text_streams_are_utf8():
        plain = plain_check_args(args[1:])
        if plain is not None:
            _check(*plain)  # exits
    elif args and args[0] in FAST and _text_streams_are_utf8():
        given = plain_args(args[0], args[1:])
        if given is not None:
            _view(args[0], given)  # exits, unless click is to say a usage problem
    from .cli.group import main as cli_main

    if args[:1] and args[0] in _PRINTING:
        try:
            cli_main()
        except SystemExit as e:
            if e.code is None or isinstance(e.code, int):
                _end(e.code or 0)
            raise
    cli_main()


#: Commands that read the program and print, and write nothing else (no files, threads or
#: connections that the interpreter's teardown would finish): like a plain `check`, they end
#: the process without that teardown (see `_end`).
_PRINTING = frozenset({"check", "goals", "teams", "team", "champions", "capacity", "roadmaps",
                       "calendar", "rfc", "fcp", "funding", "help-wanted"})


def plain_check_args(args: list[str]) -> tuple[str, str | None, str, bool] | None:
    """(root, teams folder, format, quiet) when `args` (after `check`) are ones this module
    reads exactly as click would and accepts; None for anything else, for click to handle."""
    from .check_report import FORMATS

    spec = Fast("program:check", ("root",), {"--teams": "teams", "--format": "fmt"},
                {"-q": "quiet", "--quiet": "quiet"}, {"fmt": FORMATS})
    given = _plain(spec, args)
    if given is None:
        return None
    teams = given["teams"]
    return str(given["root"]), teams if isinstance(teams, str) else None, str(given["fmt"]), \
        given["quiet"] is True


_NONE: Mapping[str, Any] = MappingProxyType({})


class Fast:
    """How a command of goalkeeper.cli written without click reads its plain arguments. (A
    plain class: a NamedTuple costs the import 0.8 M instructions to make.)"""

    __slots__ = ("choices", "flags", "function", "positional", "values")

    def __init__(self, function: str, positional: tuple[str, ...], values: Mapping[str, str],
                 flags: Mapping[str, str] = _NONE,
                 choices: Mapping[str, tuple[str, ...]] = _NONE) -> None:
        self.function = function  # module:function of goalkeeper.cli
        self.positional = positional  # in order; all required but `root` (default ".")
        self.values = values  # option (long or short) -> parameter, for options with a value
        self.flags = flags  # flag -> parameter
        self.choices = choices  # parameter -> its choices, the first the default


_VIEW = {"--teams": "teams", "--milestone": "milestone", "-m": "milestone"}
_JSON = {"--json": "as_json"}

#: The commands run here without click when their arguments are plain, as their click
#: commands (goalkeeper/cli/view_commands.py) declare them: tests/test_entry.py compares the two.
FAST: dict[str, Fast] = {
    "teams": Fast("views:teams_cmd", ("root",), _VIEW, {**_JSON, "--csv": "as_csv"}),
    "team": Fast("views:team_cmd", ("team", "root"), _VIEW),
    "champions": Fast("views:champions_cmd", ("root",), {**_VIEW, "--by": "layout"},
                      {**_JSON, "--csv": "as_csv"},
                      {"layout": ("auto", "goal", "team", "person")}),
    "capacity": Fast("views:capacity_cmd", ("root",), _VIEW, _JSON),
    "roadmaps": Fast("views:roadmaps_cmd", ("root",), _VIEW, _JSON),
    "funding": Fast("documents:funding_cmd", ("root",), _VIEW, _JSON),
    "help-wanted": Fast("documents:help_wanted_cmd", ("root",), _VIEW, _JSON),
    "rfc": Fast("documents:rfc_cmd", ("milestone", "root"), {"--teams": "teams"}),
    "fcp": Fast("documents:fcp_cmd", ("milestone", "root"), {"--teams": "teams"}),
}


def plain_args(command: str, args: list[str]) -> dict[str, object] | None:
    """The parameters of `command` (one of :data:`FAST`) for `args`, when they are ones this
    module reads exactly as click would and accepts; None for anything else, for click."""
    from pathlib import Path

    given = _plain(FAST[command], args)
    if given is None:
        return None
    if "root" in given:
        given["root"] = Path(str(given["root"]))
    if isinstance(given.get("teams"), str):
        given["teams"] = Path(str(given["teams"]))
    return given


def _plain(spec: Fast, args: list[str]) -> dict[str, object] | None:
    """`plain_args` for the command `spec` describes, folders given as they were written."""
    if "GOALKEEPER_TEAMS" in os.environ and "teams" in spec.values.values():
        return None
    given: dict[str, object] = {}
    positional: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg in spec.flags:
            given[spec.flags[arg]] = True
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in spec.values:
            if not eq:
                value = next(rest, "-")
            param = spec.values[name]
            if value.startswith("-") or not value or param in given:
                return None
            given[param] = value
        elif arg.startswith("-") or not arg:
            return None
        else:
            positional.append(arg)
    required = [p for p in spec.positional if p != "root"]
    if not len(required) <= len(positional) <= len(spec.positional):
        return None
    given.update(zip(spec.positional, positional, strict=False))
    for param, choices in spec.choices.items():
        if given.setdefault(param, choices[0]) not in choices:
            return None
    teams = given.get("teams")
    if isinstance(teams, str) and not _readable_dir(teams):
        return None  # click reports it
    root = str(given.get("root", "."))
    if "root" in spec.positional and os.path.exists(root) and not _readable_dir(root):
        return None
    for param in (*spec.positional, *spec.values.values()):
        given.setdefault(param, None)
    for param in spec.flags.values():
        given.setdefault(param, False)
    if "root" in given:
        given["root"] = root
    return given


def _view(command: str, given: dict[str, object]) -> None:
    """A command of :data:`FAST`, as the command group runs it; returns (to let click run the
    command again and say it) only on a usage problem, before anything was printed but
    configuration warnings (which are not printed twice)."""
    import importlib

    from .batch import collect_for_batch
    from .cli import UsageProblem
    from .loader import load  # noqa: F401 (loaded with the collector off, as for click)

    module, function = FAST[command].function.split(":")
    run = getattr(importlib.import_module(f"goalkeeper.cli.{module}"), function)
    collect_for_batch()  # as the command group does
    with _reported():
        try:
            run(**given)
        except UsageProblem:
            return
    _end(0)


@contextmanager
def _reported() -> Iterator[None]:
    """Errors said as the command group says them: goalkeeper's own and I/O errors with exit
    status 2, an interrupt as click's standalone mode does (status 1)."""
    from .cli import echo
    from .errors import GoalkeeperError, os_error_text

    try:
        try:
            yield
        except GoalkeeperError as e:
            echo(f"goalkeeper: {e}", err=True)
            sys.exit(2)
        except OSError as e:
            echo(os_error_text(e), err=True)
            sys.exit(2)
    except (EOFError, KeyboardInterrupt):  # what click's standalone mode prints
        echo("", err=True)
        echo("Aborted!", err=True)
        sys.exit(1)


def _readable_dir(path: str) -> bool:
    return os.path.isdir(path) and os.access(path, os.R_OK)


def _text_streams_are_utf8() -> bool:
    """click writes to these streams as they are only when they are not misconfigured (ASCII)."""
    import codecs

    try:
        return all(codecs.lookup(s.encoding).name == "utf-8" for s in (sys.stdout, sys.stderr))
    except (AttributeError, LookupError, TypeError):  # no stream, or a strange one
        return False


def _check(root: str, teams: str | None, fmt: str, quiet: bool) -> None:
    """`goalkeeper check`, as goalkeeper.cli.program.check and the command group run it."""
    from pathlib import Path

    from .batch import collect_for_batch
    from .check_report import check_lines
    from .cli import echo, load_program
    from .loader import load  # noqa: F401 (loaded with the collector off, as for click)

    collect_for_batch()  # as the command group does
    with _reported():
        program = load_program(Path(root), Path(teams) if teams is not None else None)
        for line in check_lines(program, fmt, quiet):
            echo(line)
    _end(1 if program.errors else 0)


def _end(status: int) -> NoReturn:
    """`sys.exit(status)` without tearing the interpreter down: freeing the loaded program and
    every module object by object costs a check some 5 ms, for a process that is ending. The
    atexit handlers run and the output is flushed first, as at a normal exit."""
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: let the normal exit report it as it would
        sys.exit(status)
    os._exit(status)
