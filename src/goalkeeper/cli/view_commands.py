"""The click commands of the team views (`views.py`) and the RFC-phase documents
(`documents.py`), which are written without click. `goalkeeper.entry` reads the plain forms of
these commands' arguments itself (its table, `FAST`, is checked against these declarations by
tests/test_entry.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from . import documents, views
from .group import ROOT_ARG, TEAMS_OPT, main

MILESTONE_OPT = click.option("--milestone", "-m", help="Milestone (default: the newest).")
JSON_OPT = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
CSV_OPT = click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
MILESTONE_ARG = click.argument("milestone")

Decorator = Callable[[Any], Any]


def _command(name: str, fn: Callable[..., None], *params: Decorator) -> click.Command:
    """`@main.command(name)` and `params` (in the order they would be written above `fn`)."""
    for param in reversed(params):
        fn = param(fn)
    return main.command(name)(fn)


teams = _command("teams", views.teams_cmd, ROOT_ARG, TEAMS_OPT, MILESTONE_OPT, JSON_OPT, CSV_OPT)
team = _command("team", views.team_cmd, click.argument("team"), ROOT_ARG, TEAMS_OPT, MILESTONE_OPT)
champions = _command(
    "champions", views.champions_cmd, ROOT_ARG, TEAMS_OPT, MILESTONE_OPT, JSON_OPT, CSV_OPT,
    click.option("--by", "layout", type=click.Choice(["auto", "goal", "team", "person"]),
                 default="auto", show_default=True,
                 help="goal: the goal × team matrix; team: each team's asks and champions; "
                 "person: each champion's goals; auto: the matrix when it fits the terminal."))
capacity = _command("capacity", views.capacity_cmd, ROOT_ARG, TEAMS_OPT, MILESTONE_OPT, JSON_OPT)
roadmaps = _command("roadmaps", views.roadmaps_cmd, ROOT_ARG, TEAMS_OPT, MILESTONE_OPT, JSON_OPT)
calendar = _command(
    "calendar", views.calendar_cmd, ROOT_ARG,
    click.option("--today", "today_text", help="Pretend today is this date (YYYY-MM-DD)."),
    JSON_OPT)

rfc = _command("rfc", documents.rfc_cmd, MILESTONE_ARG, ROOT_ARG, TEAMS_OPT)
fcp = _command("fcp", documents.fcp_cmd, MILESTONE_ARG, ROOT_ARG, TEAMS_OPT)
cfp = _command(
    "cfp", documents.cfp_cmd, MILESTONE_ARG, ROOT_ARG,
    click.option("--dry-run", is_flag=True, help="Show what would change and write nothing."),
    click.option("--force", is_flag=True, help="Overwrite milestone pages that differ."))
funding = _command("funding", documents.funding_cmd, ROOT_ARG, TEAMS_OPT, MILESTONE_OPT, JSON_OPT)
help_wanted = _command("help-wanted", documents.help_wanted_cmd, ROOT_ARG, TEAMS_OPT,
                       MILESTONE_OPT, JSON_OPT)
