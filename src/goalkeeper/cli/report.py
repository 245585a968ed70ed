"""`goalkeeper report`: the program manager's monthly update, drafted from the program's data."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import load_program
from .group import ROOT_ARG, TEAMS_OPT, main


@main.command("report")
@ROOT_ARG
@TEAMS_OPT
@click.option("--month", required=True, help="The month to report on, as YYYY-MM.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the draft to this file (atomically) instead of printing it.")
@click.option("--json", "as_json", is_flag=True, help="Print the draft's facts as JSON instead.")
@click.option("--since", "since", metavar="YYYY-MM-DD",
              help="Worth a look: posts from this day (default: the previous update's date in "
                   "[report] posts, else the month's first day).")
@click.option("--until", "until", metavar="YYYY-MM-DD",
              help="Worth a look: posts before this day (default: this month's update's date, "
                   "else today).")
@click.option("--person", "person", multiple=True,
              help="Count the meetings this person attended (repeatable; instead of [report] "
                   "person; [minutes.people] gives the other spellings).")
@click.option("--offline", is_flag=True, help="Do not fetch feeds given by URL.")
def report_cmd(root: Path, teams: Path | None, month: str, output: Path | None, as_json: bool,
               since: str | None, until: str | None, person: tuple[str, ...], offline: bool) -> None:
    """Draft the program manager's monthly update for --month: the program's phase and links,
    proposals, one section per initiative (meetings, topics, action items, tracking-issue
    updates, watched items), Worth a look, the configured sections and the Stats."""
    import datetime as dt

    from ..config import raw_config
    from ..render.report import (
        ReportInputs,
        build_draft,
        month_bounds,
        render_draft,
        report_config,
        status_changes,
    )
    from ..render.report_data import draft_json
    from ..sources.feeds import feed_specs, read_feeds
    from ..sources.minutes.config import load_minutes_config
    from ..sources.minutes.folders import read_minutes
    from ..sources.posts import read_posts, update_window

    try:
        start, end = month_bounds(month)
        day_since = dt.date.fromisoformat(since) if since else None
        day_until = dt.date.fromisoformat(until) if until else None
    except ValueError as e:
        raise click.UsageError(f"{e} (use YYYY-MM for --month, YYYY-MM-DD for --since/--until)") from e
    program = load_program(root, teams)
    raw = raw_config(program.config)
    where = str(program.config.path or program.root)
    cfg = report_config(raw, where)
    if person:
        cfg = dataclasses.replace(cfg, person=person)
    mcfg = load_minutes_config(program.root)
    minutes = read_minutes(mcfg)
    posts = read_posts(program.root / cfg.posts) if cfg.posts else []
    if cfg.posts and not (program.root / cfg.posts).is_dir():
        click.echo(f"warning: [report] posts = {cfg.posts!r}: no such folder", err=True)
    w_since, w_until = update_window(posts, month, dt.date.today(), start, end)
    w_since, w_until = day_since or w_since, day_until or w_until
    feeds = read_feeds(feed_specs(raw, where), program.root, start=w_since, end=w_until,
                       offline=offline, max_bytes=program.config.max_file_bytes)
    for problem in feeds.problems:
        click.echo(f"warning: {problem}", err=True)
    inputs = ReportInputs(
        meetings=minutes.meetings, series=mcfg.series, people=mcfg.people, feeds=feeds,
        worth_since=w_since, worth_until=w_until,
        changes=tuple(status_changes(program, start, end, created=True)),
        notes=feeds.problems,
    )
    from ..season.store import Store

    cache = Store.default_path(program.root)
    if cache.is_file():
        from ..season.progress import progress_for
        from ..season.proposals import report_summary, stored_pulls

        with Store.open(cache, readonly=True) as store:
            inputs = dataclasses.replace(inputs, progress=progress_for(program, store),
                                         watched=_snapshot(store),
                                         proposals=report_summary(program, stored_pulls(store),
                                                                  start, end))
    draft = build_draft(program, month, cfg, inputs)
    from .season import write_output

    if as_json:
        text = json.dumps(draft_json(draft), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_draft(draft)
    write_output(text, output)


def _snapshot(store: Any) -> Callable[[str, int], Any]:
    """Look-ups of synced issues that work after the store is closed."""
    found: dict[tuple[str, int], Any] = {}
    for issue in store.issues():
        found[(issue.repo.lower(), issue.number)] = issue
    return lambda repo, number: found.get((repo.lower(), number))
