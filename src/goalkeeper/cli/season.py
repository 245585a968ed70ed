"""Implementation-season commands: updates (monthly post), reports (per team), attention."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from ..calendar import parse_date
from ..config import raw_config
from ..fsutil import write_atomic
from ..model import Program
from ..season.health import HealthRules, health_for, health_rules
from . import console, load_program, md, setup_milestone
from .group import ROOT_ARG, TEAMS_OPT, main


def _dates(start: str, end: str | None) -> tuple[dt.date, dt.date]:
    try:
        a = parse_date(start, "--from")
        b = parse_date(end, "--to") if end else dt.date(a.year + (a.month == 12), a.month % 12 + 1, 1)
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    if b <= a:
        raise click.UsageError(f"--to {b} must be after --from {a}")
    return a, b


def _today(text: str | None) -> dt.date:
    try:
        return parse_date(text, "--today") if text else dt.datetime.now(dt.UTC).date()
    except ValueError as e:
        raise click.UsageError(str(e)) from e


def _season(program: Program) -> tuple[Any, HealthRules, dict[str, Any]]:
    from ..season.progress import cached_progress

    raw = raw_config(program.config)
    rules = health_rules(raw, str(program.config.path or program.root))
    progress = cached_progress(program)
    return progress, rules, raw


def _windowed(program: Program, start: dt.date, end: dt.date) -> Any:
    """Progress whose updates, TL;DR and help requests are those of [start, end) only."""
    from ..season.progress import progress_for
    from ..season.store import Store

    path = Store.default_path(program.root)
    if not path.is_file():
        return None
    with Store.open(path, readonly=True) as store:
        return progress_for(program, store, since=start.isoformat(), until=end.isoformat())


def write_output(text: str, output: Path | None) -> None:
    """Print `text`, or write it atomically to `output` (exit 2 with one sentence if we can't)."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(output, text)
    except OSError as e:
        raise click.UsageError(f"cannot write {output}: {e.strerror or e}") from e
    click.echo(f"wrote {output}", err=True)


_output = write_output


def _check_team(program: Program, m: Any, team: str | None) -> None:
    if team and not any(c.team == team for g in m.goals for c in g.champions):
        known = sorted({c.team for g in m.goals for c in g.champions})
        raise click.UsageError(f"no goal of {m.name} has a champion from team {team!r}; "
                               f"teams with champions: {', '.join(known) or 'none'}")


@main.command("updates")
@click.argument("milestone")
@ROOT_ARG
@TEAMS_OPT
@click.option("--from", "start", required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "end", help="Day after the period (YYYY-MM-DD; default: a month later).")
@click.option("--team", "team", help="Only goals with a champion from this team.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the post to this file instead of printing it.")
def updates_cmd(milestone: str, root: Path, teams: Path | None, start: str, end: str | None,
                team: str | None, output: Path | None) -> None:
    """Write the monthly "Project goals update" post from the synced updates of a period."""
    from ..render.report import report_config
    from ..render.updates_post import PostOptions, updates_post

    a, b = _dates(start, end)
    program = load_program(root, teams)
    m = program.milestone(milestone)
    if m is None:
        raise click.UsageError(f"no milestone {milestone!r}; milestones: "
                               + ", ".join(x.name for x in program.milestones))
    _check_team(program, m, team)
    progress, rules, raw = _season(program)
    if progress is None:
        click.echo("warning: nothing synced yet (run `goalkeeper sync`); every goal is listed "
                   "without updates", err=True)
    health = health_for(program, progress, rules, b - dt.timedelta(days=1), milestone)
    cfg = report_config(raw, str(program.config.path or program.root))
    text = updates_post(program, m, _windowed(program, a, b) or {}, health,
                        PostOptions(a, b, team or "", cfg.authors, cfg.team, cfg.team_url))
    _output(text, output)


@main.command("reports")
@ROOT_ARG
@TEAMS_OPT
@click.option("--team", "team", required=True, help="The team whose champions' goals to report.")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660),
              help="How many days back the report's updates reach.")
@click.option("--milestone", "-m", help="Milestone (default: the newest).")
@click.option("--today", "today_text", help="Pretend today is this date (YYYY-MM-DD).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of printing it.")
def reports_cmd(root: Path, teams: Path | None, team: str, days: int, milestone: str | None,
                today_text: str | None, output: Path | None) -> None:
    """The per-team champion report: every goal the team champions, newest updates first."""
    from ..render.report import report_config
    from ..render.updates_post import PostOptions, updates_post

    today = _today(today_text)
    program, m = setup_milestone(root, teams, milestone)
    _check_team(program, m, team)
    progress, rules, raw = _season(program)
    health = health_for(program, progress, rules, today, m.name)
    cfg = report_config(raw, str(program.config.path or program.root))
    start = today - dt.timedelta(days=days)
    window = _windowed(program, start, today + dt.timedelta(days=1))
    text = updates_post(program, m, window or {}, health,
                        PostOptions(start, today + dt.timedelta(days=1), team, cfg.authors,
                                    cfg.team, cfg.team_url, newest_first=True))
    _output(text, output)


@main.command("attention")
@ROOT_ARG
@TEAMS_OPT
@click.option("--milestone", "-m", help="Milestone (default: the newest).")
@click.option("--today", "today_text", help="Pretend today is this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (items and each goal's health).")
@click.option("--draft-reminders", is_flag=True, help="Print the reminder comments it would post.")
@click.option("--commit", is_flag=True, help="With --draft-reminders: post them (never twice).")
def attention_cmd(root: Path, teams: Path | None, milestone: str | None, today_text: str | None,
                  as_json: bool, draft_reminders: bool, commit: bool) -> None:
    """What needs the program manager's action today, most urgent first."""
    from ..season.attention import already_posted, attention, read_ledger, record_posted
    from ..season.attention import draft_reminders as drafts
    from ..season.store import Store
    from ..sources.minutes.config import load_minutes_config
    from ..sources.minutes.folders import read_minutes
    from ..sources.minutes.stats import series_status

    today = _today(today_text)
    program, m = setup_milestone(root, teams, milestone)
    progress, rules, _raw = _season(program)
    health = health_for(program, progress, rules, today, m.name)
    all_issues = []
    path = Store.default_path(program.root)
    if path.is_file():
        with Store.open(path, readonly=True) as store:
            all_issues = store.issues()
    issues = [i for i in all_issues if i.milestone == m.name or not i.milestone]
    mcfg = load_minutes_config(program.root)
    series = series_status(mcfg.series, read_minutes(mcfg).meetings, today) if mcfg.series else []
    items = attention(program, health, milestone=m.name, issues=issues, series=series,
                      progress=progress)
    if commit and not draft_reminders:
        raise click.UsageError("--commit posts reminders: use it with --draft-reminders")
    if draft_reminders:
        reminders = drafts(program, health, progress or {}, rules, today)
        ledger = read_ledger(program.root)
        by_issue = {(i.repo.lower(), i.number): i for i in all_issues}
        todo = [r for r in reminders
                if not already_posted(r, by_issue.get((r.repo.lower(), r.number)), ledger)]
        for r in reminders:
            state = "to post" if r in todo else "already posted"
            click.echo(f"--- {r.repo}#{r.number} ({r.goal}, {state})\n{r.body}\n")
        if commit and todo:
            from .tracking import make_client

            posted: set[str] = set()
            with make_client(program) as client:
                try:
                    for r in todo:
                        client.add_comment(r.repo, r.number, r.body)
                        posted.add(r.marker)
                        click.echo(f"posted a reminder on {r.repo}#{r.number}", err=True)
                finally:
                    record_posted(program.root, posted)
        elif not commit and todo:
            click.echo(f"{len(todo)} reminder(s) drafted; add --commit to post them", err=True)
        return
    if as_json:
        click.echo(json.dumps({
            "today": today.isoformat(), "milestone": m.name,
            "items": [{"kind": i.kind, "subject": i.subject, "reason": i.reason, "link": i.link}
                      for i in items],
            "health": {k: h.to_json() for k, h in sorted(health.items())},
        }, indent=2, ensure_ascii=False))
        return
    out = console()
    if not items:
        out.print(f"Nothing needs attention in {m.name} today ({today}).", highlight=False)
        return
    table = Table(title=f"Needs attention, {m.name}, {today}", title_justify="left")
    for col in ("#", "What", "Goal / subject", "Why", "Link"):
        table.add_column(col, overflow="fold")
    for n, i in enumerate(items, 1):
        table.add_row(str(n), i.kind, md(i.subject), md(i.reason), Text(i.link))
    out.print(table)
