"""`goalkeeper goals --proposals`: goals proposed in open pull requests, checked."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from ..diagnostics import format_text
from . import console, load_program


def proposals_cmd(root: Path, teams: Path | None, milestone: str | None, as_json: bool) -> None:
    from ..season.proposals import cached_pulls, summary, target_milestones

    program = load_program(root, teams)
    pulls = cached_pulls(program)
    if pulls is None:
        raise click.ClickException("nothing synced yet: run `goalkeeper sync` (or `sync --import "
                                   "FILE`) to read the open pull requests")
    names = [milestone] if milestone else target_milestones(program)
    summaries = [summary(program, pulls, m) for m in names]
    if as_json:
        click.echo(json.dumps([s.record() for s in summaries], indent=2, ensure_ascii=False))
        return
    out = console()
    for s in summaries:
        if not s.proposals and not s.changes and len(summaries) > 1:
            continue
        table = Table(title=f"Proposed {s.milestone} goals: {s.headline()}", title_justify="left")
        for col in ("PR", "Document", "Goal", "Author", "Opened", "State", "Continuing", "Problems"):
            table.add_column(col, overflow="fold")
        for p in (*s.proposals, *s.changes):
            state = ("merged" if p.state == "MERGED" else "draft" if p.draft else "open")
            state += "" if p.new else ", change"
            problems = f"{p.errors} error{'s' * (p.errors != 1)}" if p.errors else ""
            warns = len(p.diagnostics) - p.errors
            if warns:
                problems += (", " if problems else "") + f"{warns} warning{'s' * (warns != 1)}"
            table.add_row(f"#{p.pull}", Text(p.path), Text(p.title), Text(f"@{p.author}"), p.opened,
                          state, p.continuing_from, problems)
        out.print(table)
        for p in (*s.proposals, *s.changes):
            for d in p.diagnostics:
                click.echo(f"#{p.pull} " + format_text(d), err=True)
