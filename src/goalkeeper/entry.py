"""The `goalkeeper` command's entry point (the installed script and `python -m goalkeeper`).

`goalkeeper check` with plain arguments (a folder, `-q`/`--quiet`, `--format`, `--teams`) runs
here without click: importing click and setting up its commands is a tenth of a check of a real
repository. So do `goalkeeper rfc` and `goalkeeper fcp` (a milestone, a folder, `--teams`) for a
milestone that has what they need. Anything else (another command, `--help`, an argument click
would reject or read in some other way, the `GOALKEEPER_TEAMS` variable, a terminal that is not
UTF-8, an unknown milestone) goes to :mod:`goalkeeper.cli`, which decides as always. Either way
the command prints the same lines and exits with the same status (tests/test_entry.py); this
module is part of the command line, kept out of the `goalkeeper.cli` package only because that
package imports click.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn


def main() -> None:
    """Run the command line. A plain `check` ends the process itself (see `_end`)."""
    # No cycle collection while the command's modules load (see cli._no_collection); the
    # command turns the collector back on, with its batch settings, before it reads anything.
    gc.disable()
    args = sys.argv[1:]
    if args[:1] == ["check"] and _text_streams_are_utf8():
        plain = plain_check_args(args[1:])
        if plain is not None:
            _check(*plain)  # exits
    if args[:1] in (["rfc"], ["fcp"]) and _text_streams_are_utf8():
        document = plain_document_args(args[1:])
        if document is not None:
            _document(args[0], *document)  # exits, unless click is to say what is wrong
    from .cli import main as cli_main

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

    if "GOALKEEPER_TEAMS" in os.environ:
        return None
    root: str | None = None
    teams: str | None = None
    fmt: str | None = None
    quiet = False
    rest = iter(args)
    for arg in rest:
        if arg in ("-q", "--quiet"):
            quiet = True
        elif arg.startswith(("--format", "--teams")):
            name, eq, value = arg.partition("=")
            if not eq:
                value = next(rest, "-")
            if value.startswith("-") or not value:
                return None
            if name == "--format" and fmt is None and value in FORMATS:
                fmt = value
            elif name == "--teams" and teams is None and _readable_dir(value):
                teams = value
            else:
                return None
        elif arg.startswith("-") or not arg or root is not None:
            return None
        else:
            root = arg
    root = root or "."
    if os.path.exists(root) and not _readable_dir(root):  # click reports these
        return None
    return root, teams, fmt or "text", quiet


def plain_document_args(args: list[str]) -> tuple[str, str, str | None] | None:
    """(milestone, root, teams folder) when `args` (after `rfc` or `fcp`) are ones this module
    reads exactly as click would and accepts; None for anything else, for click to handle."""
    if "GOALKEEPER_TEAMS" in os.environ:
        return None
    positional: list[str] = []
    teams: str | None = None
    rest = iter(args)
    for arg in rest:
        if arg.startswith("--teams"):
            name, eq, value = arg.partition("=")
            if not eq:
                value = next(rest, "-")
            if name != "--teams" or teams is not None or value.startswith("-") or not value \
                    or not _readable_dir(value):
                return None
            teams = value
        elif arg.startswith("-") or not arg:
            return None
        else:
            positional.append(arg)
    if not 1 <= len(positional) <= 2:
        return None
    root = positional[1] if len(positional) == 2 else "."
    if os.path.exists(root) and not _readable_dir(root):  # click reports these
        return None
    return positional[0], root, teams


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
    from .errors import GoalkeeperError, os_error_text
    from .loader import load

    collect_for_batch()  # as the command group does
    try:
        try:
            program = load(Path(root), teams=Path(teams) if teams is not None else None)
            for warning in program.config.warnings:
                _echo(f"goalkeeper: warning: {warning}", err=True)
            for line in check_lines(program, fmt, quiet):
                _echo(line)
        except GoalkeeperError as e:
            _echo(f"goalkeeper: {e}", err=True)
            sys.exit(2)
        except OSError as e:
            _echo(os_error_text(e), err=True)
            sys.exit(2)
    except (EOFError, KeyboardInterrupt):  # what click's standalone mode prints
        _echo("", err=True)
        _echo("Aborted!", err=True)
        sys.exit(1)
    _end(1 if program.errors else 0)


def _document(command: str, milestone: str, root: str, teams: str | None) -> None:
    """`goalkeeper rfc` or `goalkeeper fcp`, as goalkeeper.cli.documents runs them, for a
    milestone that has what the command needs; returns, having printed nothing, otherwise (an
    unknown milestone, no README), for click to report it as it does."""
    from pathlib import Path

    from .batch import collect_for_batch
    from .errors import GoalkeeperError, os_error_text
    from .loader import load

    collect_for_batch()  # as the command group does
    try:
        try:
            program = load(Path(root), teams=Path(teams) if teams is not None else None)
            m = program.milestone(milestone)
            if m is None or (command == "rfc"
                             and not (program.root / m.path / "README.md").is_file()):
                return
            for warning in program.config.warnings:
                _echo(f"goalkeeper: warning: {warning}", err=True)
            if command == "rfc":
                from .render.rfc import rfc_notes, rfc_text

                text = rfc_text(program, m)
                _echo(text, nl=False)
                for line in rfc_notes(program, text):
                    _echo(line, err=True)
            else:
                from .render.fcp import fcp_comment

                fcp = fcp_comment(program, m)
                _echo(fcp.text, nl=False)
                for hint in fcp.hints:
                    _echo(f"hint: {hint}", err=True)
        except GoalkeeperError as e:
            _echo(f"goalkeeper: {e}", err=True)
            sys.exit(2)
        except OSError as e:
            _echo(os_error_text(e), err=True)
            sys.exit(2)
    except (EOFError, KeyboardInterrupt):  # what click's standalone mode prints
        _echo("", err=True)
        _echo("Aborted!", err=True)
        sys.exit(1)
    _end(0)


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


def _echo(line: str, *, err: bool = False, nl: bool = True) -> None:
    """`click.echo(line, err=err, nl=nl)`: the line, a newline, a flush; click strips ANSI
    escape sequences from what goes to a stream that is not a terminal, so such a line is left
    to it."""
    if "\x1b" in line:
        import click

        click.echo(line, err=err, nl=nl)
        return
    out = sys.stderr if err else sys.stdout
    out.write(line + "\n" if nl else line)
    out.flush()
