"""`goalkeeper minutes stats|import|add`: statistics over meeting minutes, and writing them."""

from __future__ import annotations

import calendar
import datetime
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click
from rich.table import Table

from ..diagnostics import format_text
from ..fsutil import write_atomic
from ..model import Meeting
from ..sources.minutes.files import add_minutes, import_minutes
from ..sources.minutes.folders import load_minutes
from ..sources.minutes.stats import (
    SeriesRow,
    filter_meetings,
    per_month,
    per_team,
    series_status,
    short_number,
    spellings,
    stats_record,
    total_words,
)
from . import console
from .group import ROOT_ARG, main

_DateCallback = Callable[[click.Context, click.Parameter, str | None], datetime.date | None]


def _day(first: bool, month_ok: bool = True) -> _DateCallback:
    """A click callback reading YYYY-MM-DD, or YYYY-MM as the month's first (or last) day."""

    def convert(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime.date | None:
        if value is None:
            return None
        try:
            if month_ok and len(value) == 7:
                y, m = (int(x) for x in value.split("-"))
                return datetime.date(y, m, 1 if first else calendar.monthrange(y, m)[1])
            return datetime.date.fromisoformat(value)
        except ValueError:
            forms = "YYYY-MM-DD or YYYY-MM" if month_ok else "YYYY-MM-DD"
            raise click.BadParameter(f"{value!r} is not a date: use {forms}") from None

    return convert


@main.group()
def minutes() -> None:
    """Meeting minutes: statistics, and adding or importing minutes files.

    Minutes are markdown files, one per meeting, in `minutes/<team>/` and in the folders named
    by `[[minutes.folders]]` in goalkeeper.toml.
    """


@minutes.command()
@ROOT_ARG
@click.option("--from", "start", callback=_day(True), metavar="DATE",
              help="First day counted: YYYY-MM-DD, or YYYY-MM for the whole month.")
@click.option("--to", "end", callback=_day(False), metavar="DATE",
              help="Last day counted: YYYY-MM-DD, or YYYY-MM for the whole month.")
@click.option("--team", "teams", multiple=True, help="Only this team's meetings (repeatable).")
@click.option("--person", multiple=True,
              help="Only meetings this person attended or took minutes of (repeatable; the "
                   "spellings in [minutes.people] and [people] count too; accents and case "
                   "are ignored).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path),
              help="Also draw the statistics as a chart: PATH.png or PATH.svg.")
@click.option("--quiet", "-q", is_flag=True, help="Report skipped files with errors only.")
def stats(
    root: Path,
    start: datetime.date | None,
    end: datetime.date | None,
    teams: tuple[str, ...],
    person: tuple[str, ...],
    as_json: bool,
    chart: Path | None,
    quiet: bool,
) -> None:
    """Words and meetings: total, per month, per team, and attended by a person.

    Files that cannot be counted are reported on stderr and skipped. Exits 1 when any of them
    is an error (no date, conflicting dates, unreadable file), else 0.
    """
    fmt = chart.suffix.lower().lstrip(".") if chart else ""
    if chart and fmt not in ("png", "svg"):
        raise click.BadParameter("the chart file must end in .png or .svg", param_hint="--chart")
    result = load_minutes(root)
    for d in result.diagnostics:
        if not (quiet and d.severity == "warning"):
            click.echo(format_text(d), err=True)
    who = spellings(person, result.config.people) if person else ()
    selected = filter_meetings(result.meetings, start=start, end=end, teams=teams, person=who)
    series = series_status(result.config.series, result.meetings, datetime.date.today())
    filters: dict[str, object] = {
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
        "teams": list(teams),
        "person": list(person),
        "spellings": list(who),
    }
    if as_json:
        click.echo(json.dumps(stats_record(selected, series=series, filters=filters),
                              indent=2, ensure_ascii=False))
    else:
        _print_tables(selected, series, person)
    if chart:
        from ..sources.minutes.chart import minutes_chart

        chart.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(chart, minutes_chart(selected, fmt))
        click.echo(f"chart: {chart}", err=True)
    click.echo(
        f"read {result.files} minutes files: {len(result.meetings)} meetings, "
        f"{result.skipped} skipped ({len(result.errors)} errors, {len(result.warnings)} warnings)",
        err=True,
    )
    sys.exit(1 if result.errors else 0)


def _print_tables(
    selected: Sequence[Meeting], series: Sequence[SeriesRow], person: tuple[str, ...]
) -> None:
    out = console()
    if person:
        who = " / ".join(person)
        out.print(f"Meetings attended by {who}: {len(selected)}", highlight=False)
    if not selected:
        out.print("no meetings match", highlight=False)
    else:
        first, last = selected[0].date, selected[-1].date
        out.print(
            f"{len(selected)} meetings, {total_words(selected):,} words of minutes "
            f"({short_number(total_words(selected))}), {first} to {last}",
            highlight=False,
        )
        t = Table(title="Per team", title_justify="left")
        for col in ("Team", "Meetings", "Words", "Average words per meeting"):
            t.add_column(col, justify="left" if col == "Team" else "right")
        for r in per_team(selected):
            t.add_row(r.team, str(r.meetings), f"{r.words:,}", f"{r.average_words:,.0f}")
        out.print(t)
        t = Table(title="Per month", title_justify="left")
        for col in ("Month", "Meetings", "Words"):
            t.add_column(col, justify="left" if col == "Month" else "right")
        for mr in per_month(selected):
            t.add_row(mr.month, str(mr.meetings), f"{mr.words:,}")
        out.print(t)
        if person:
            t = Table(title="Meetings", title_justify="left")
            for col in ("Date", "Team", "Title"):
                t.add_column(col, overflow="fold")
            for m in selected:
                t.add_row(m.date.isoformat(), m.team, m.title)
            out.print(t)
    if series:
        t = Table(title="Series", title_justify="left")
        for col in ("Series", "Team", "Cadence (days)", "Meetings", "Last minutes", "Status"):
            t.add_column(col)
        for s in series:
            when = f"{s.last} ({s.days_since} days ago)" if s.last else "none"
            t.add_row(s.name, s.team, str(s.cadence_days), str(s.meetings), when,
                      "OVERDUE" if s.overdue else "ok")
        out.print(t)


@minutes.command("import")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@ROOT_ARG
@click.option("--team", required=True, help="The team these minutes belong to.")
def import_cmd(source: Path, root: Path, team: str) -> None:
    """Copy the minutes in SOURCE into ROOT's minutes folder as <dir>/<team>/<date>-<slug>.md.

    Files that cannot be counted are reported and not copied. A file already there with the same
    content is left as it is; with different content it is left alone and reported as a
    conflict. Exits 1 when anything was skipped with an error or conflicted.
    """
    result = import_minutes(source, team, root)
    for d in result.diagnostics:
        click.echo(format_text(d), err=True)
    for a in result.actions:
        if a.status == "conflict":
            click.echo(f"conflict  {a.target} (from {a.source}): exists with different content; "
                       "left alone", err=True)
        else:
            click.echo(f"{a.status:<9} {a.target}")
    errors = sum(1 for d in result.diagnostics if d.severity == "error")
    click.echo(
        f"imported {len(result.actions)} of {result.files} files: {result.count('created')} created, "
        f"{result.count('unchanged')} unchanged, {result.count('conflict')} conflicts; "
        f"{result.skipped} skipped",
        err=True,
    )
    sys.exit(1 if errors or result.count("conflict") else 0)


@minutes.command()
@ROOT_ARG
@click.option("--team", required=True, help="The team that met.")
@click.option("--date", "date", required=True, callback=_day(True, month_ok=False), metavar="YYYY-MM-DD",
              help="The meeting's date.")
@click.option("--title", required=True, help="The meeting's title, e.g. \"Lang triage\".")
@click.option("--author", default="", help="Who takes the minutes.")
@click.option("--attendee", "attendees", multiple=True, help="Someone who attended (repeatable).")
def add(root: Path, team: str, date: datetime.date, title: str, author: str,
        attendees: tuple[str, ...]) -> None:
    """Create a minutes file for a meeting from a small template (never overwrites a file)."""
    path = add_minutes(root, team=team, date=date, title=title, author=author, attendees=attendees)
    click.echo(f"created {path}")
