"""Commands over the program documents: check, goals, init."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..check_report import FORMATS, check_lines
from ..model import Program

if TYPE_CHECKING:
    from ..season.health import GoalHealth
from . import console, load_program, md
from .group import ROOT_ARG, TEAMS_OPT, main


@main.command()
@ROOT_ARG
@TEAMS_OPT
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text",
    show_default=True, help="text for people, json for scripts, github for workflow annotations.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, not warnings.")
def check(root: Path, teams: Path | None, fmt: str, quiet: bool) -> None:
    """Validate a goals repository (ROOT defaults to the current folder).

    Exits 0 when there are no errors (warnings allowed), 1 when there are errors, 2 on a usage
    or I/O problem. Every diagnostic code is documented in docs/diagnostics.md.
    """
    program = load_program(root, teams)
    for line in check_lines(program, fmt, quiet):
        click.echo(line)
    sys.exit(1 if program.errors else 0)


@main.command()
@ROOT_ARG
@TEAMS_OPT
@click.option("--milestone", "-m", help="Only this milestone (e.g. 2026).")
@click.option("--status", "-s", help="Only goals with this status (case-insensitive).")
@click.option("--team", "-t", help="Only goals that ask this team for something.")
@click.option("--roadmap", "-r", help="Only goals in this roadmap (short title).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON records instead of a table.")
@click.option("--today", "today_text", help="Judge health as of this date (YYYY-MM-DD).")
@click.option("--proposals", "show_proposals", is_flag=True,
              help="List the goals proposed in open pull requests instead (after a sync), checked "
                   "as `check` does.")
def goals(
    root: Path,
    teams: Path | None,
    milestone: str | None,
    status: str | None,
    team: str | None,
    roadmap: str | None,
    as_json: bool,
    today_text: str | None,
    show_proposals: bool = False,
) -> None:
    """List goals as a table (or JSON with --json); after a sync, with progress and health."""
    if show_proposals:
        from .proposals import proposals_cmd

        proposals_cmd(root, teams, milestone, as_json)
        return
    from ..calendar import parse_date
    from ..views.goals import filter_goals, goal_record

    try:
        today = parse_date(today_text, "--today") if today_text else dt.datetime.now(dt.UTC).date()
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    program = load_program(root, teams)
    if milestone and program.milestone(milestone) is None:
        names = ", ".join(m.name for m in program.milestones) or "none"
        raise click.UsageError(f"no milestone {milestone!r}; milestones: {names}")
    _check_filters(program, status, team, roadmap)
    selected = filter_goals(
        program, milestone=milestone, status=status, team=team, roadmap=roadmap
    )
    from ..season.progress import cached_progress

    progress = cached_progress(program)  # None until `goalkeeper sync` has run
    health = goals_health(program, progress, today)
    if as_json:
        records = [goal_record(g, progress or {}) for g in selected]
        for g, r in zip(selected, records, strict=True):
            r["health"] = health[g.key].to_json() if g.key in health else None
        import json

        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    from rich.table import Table
    from rich.text import Text

    out = console()
    table = Table(title=f"{program.config.project_name} goals", title_justify="left")
    for col in ("Milestone", "Goal", "Status", "Point of contact", "Teams", "Roadmaps", "Issue"):
        table.add_column(col, overflow="fold")
    if progress is not None:
        table.add_column("Progress", overflow="fold")
        table.add_column("Health", overflow="fold")
    for g in selected:
        table.add_row(
            Text(g.milestone),
            md(g.short_title),
            g.stage + (" (accepted with the RFC)" if g.accepted_by else ""),
            Text(g.point_of_contact and f"@{g.point_of_contact}"),
            Text(", ".join(g.teams)),
            md(", ".join(g.roadmaps)),
            f"#{g.tracking_issue.number}" if g.tracking_issue else "",
            *([str(progress[g.key].progress) if g.key in progress else "",
               _health_cell(health.get(g.key))] if progress is not None else []),
        )
    out.print(table)
    counts = Counter(g.status for g in selected)
    by_rfc = sum(1 for g in selected if g.accepted_by)
    out.print(
        f"{len(selected)} goals: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        + (f" ({by_rfc} of them accepted with their milestone's RFC)" if by_rfc else ""),
        highlight=False,
    )


def _check_filters(program: Program, status: str | None, team: str | None,
                   roadmap: str | None) -> None:
    """An unknown filter value is a usage error naming the known ones, not an empty table."""
    from ..model import all_roadmaps

    checks = [
        ("--status", status, {*program.config.statuses, *(g.status for g in program.goals)}),
        ("--team", team, {*program.teams, *(t for g in program.goals for t in g.teams)}),
        ("--roadmap", roadmap, {*(r.short_title for r in program.roadmaps),
                                *(t for g in program.goals for t in all_roadmaps(g))}),
    ]
    for option, value, known in checks:
        if value and value.strip().lower() not in {k.lower() for k in known}:
            raise click.UsageError(f"{option} {value!r} matches nothing; known: "
                                   + (", ".join(sorted(known, key=str.lower)) or "none"))


def goals_health(program: Program, progress: Any, today: dt.date) -> dict[str, GoalHealth]:
    from ..season.health import health_for, health_rules_for

    if progress is None:
        return {}
    return health_for(program, progress, health_rules_for(program.config), today)


HEALTH_STYLE = {"on track": "green", "at risk": "yellow", "stalled": "bold red", "no data": "dim"}


def _health_cell(h: GoalHealth | None) -> str:
    if h is None:
        return ""
    return f"[{HEALTH_STYLE[str(h.health)]}]{h.health}[/]"


@main.command()
@click.argument("directory", required=False, default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="", help="The project's name (default: the folder's name).")
@click.option("--tracker", default="", help="Repository of tracking issues, as owner/repo.")
@click.option("--milestone", default="", help="First milestone (default: this year).")
def init(directory: Path, name: str, tracker: str, milestone: str) -> None:
    """Scaffold a new goals program in DIRECTORY: config, a milestone, a template, one goal."""
    from ..scaffold import ScaffoldError, scaffold

    try:
        written = scaffold(directory, name=name, tracker=tracker, milestone=milestone)
    except ScaffoldError as e:
        click.echo(f"goalkeeper: {e}", err=True)
        sys.exit(2)
    for p in written:
        click.echo(f"created {p}")
    click.echo(f"next: goalkeeper check {directory}")
