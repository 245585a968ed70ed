"""Commands for the website: build (write the static site) and serve (live preview)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click
import jinja2

from ..site.build import SiteBuilder
from ..site.output import SiteWriter
from . import load_program
from .group import ROOT_ARG, TEAMS_OPT, main


@main.command()
@ROOT_ARG
@TEAMS_OPT
@click.option("--out", "-o", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the site into (default: ROOT/site).")
def build(root: Path, teams: Path | None, out: Path | None) -> None:
    """Build the program's static website (relative links: works from file:// and any host).

    Writes only the files whose bytes changed, and removes files an earlier build wrote that
    are gone. Broken links (and navigation entries naming absent documents) are listed as
    warnings; the exit status is 0 unless the site cannot be written.
    """
    program = load_program(root, teams)
    target = out if out is not None else root / "site"
    writer = SiteWriter(target)  # refuses a folder it must not write into, before any work
    try:
        # each file is written as soon as it is made: a large site is never held in memory
        site = SiteBuilder().build(program, sink=writer.write, stager=writer)
        report = writer.finish()
    except jinja2.TemplateError as e:  # a template override in ROOT/templates/ is broken
        writer.abandon()
        where = f" ({e.filename}, line {e.lineno})" if isinstance(e, jinja2.TemplateSyntaxError) else ""
        click.echo(f"goalkeeper: a site template{where} failed: {e}; fix or remove the override "
                   "in ROOT/templates/", err=True)
        sys.exit(2)
    except OSError as e:
        writer.abandon()
        what = f"{e.filename}: " if e.filename else ""
        click.echo(f"goalkeeper: cannot build the site into {target}: {what}{e.strerror or e}",
                   err=True)
        sys.exit(2)
    except BaseException:
        writer.abandon()
        raise
    for p in site.problems:
        click.echo(f"warning: {p}", err=True)
    pages = sum(1 for f in writer.urls if f.endswith(".html"))
    click.echo(
        f"built {pages} pages ({len(writer.urls)} files) in {target}: {report.written} written, "
        f"{report.unchanged} unchanged, {report.removed} removed; "
        f"{len(site.problems)} broken link{'s' * (len(site.problems) != 1)}"
    )
    click.echo(f"open {(target / 'index.html').resolve().as_uri()}")


@main.command()
@ROOT_ARG
@TEAMS_OPT
@click.option("--port", "-p", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default keeps the preview private to this machine.")
def serve(root: Path, teams: Path | None, port: int, host: str) -> None:
    """Preview the website: build in memory, reload open pages when a file is saved.

    Also answers a read-only JSON API under /api/ (described at /api/openapi.json).
    Stop with Ctrl-C.
    """
    from ..site.serve import Preview  # the server and its API: not imported by `build`

    if not root.is_dir():
        load_program(root, teams)  # raises the usual "no such folder" error
    try:
        preview = Preview(root, teams=teams, host=host, port=port,
                          log=lambda msg: click.echo(msg, err=True))
    except OSError as e:
        click.echo(f"goalkeeper: cannot listen on {host}:{port}: {e.strerror or e}", err=True)
        sys.exit(2)
    problems = preview.state.program.diagnostics if preview.state.program else ()
    click.echo(f"serving {root} at {preview.address} (Ctrl-C to stop)")
    if problems:
        click.echo(f"{len(problems)} diagnostics; pages show theirs at the top", err=True)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl-C
    try:
        preview.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
