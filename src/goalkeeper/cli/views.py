"""Commands for the feedback and RFC phases: teams, team, champions, capacity, roadmaps; and
the calendar.

Each command imports what it uses when it runs (rich only to print a table), so a command
pays for its own modules only. Written without click: their click commands are in
`view_commands.py`, and `goalkeeper.entry` runs them directly when their arguments are plain.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import did_you_mean
from ..model import Milestone, Program
from . import UsageProblem, console, echo, load_program, md_cell, setup_milestone

if TYPE_CHECKING:
    from .tables import Printer


def teams_cmd(root: Path, teams: Path | None, milestone: str | None, as_json: bool, as_csv: bool) -> None:
    """For every team, the goals that ask it for something."""
    from ..views.teams import asks_by_team

    program, m = setup_milestone(root, teams, milestone)
    data = asks_by_team(program, m)
    headers = ["team", "goal", "slug", "level", "ask_type", "champion", "notes"]
    rows = [
        [r.team, r.goal.title, r.goal.slug, r.level, r.ask_type,
         r.champion or ("MISSING" if r.missing_champion else ""), r.notes]
        for t in data for r in t.rows
    ]
    if as_json:
        import json

        echo(json.dumps(
            [{"team": t.team, "counts": dict(t.counts()),
              "asks": [dict(zip(headers[1:], row[1:], strict=True)) for row in rows if row[0] == t.team]}
             for t in data], indent=2, ensure_ascii=False))
        return
    if as_csv:
        from ..render.tables import csv_text

        echo(csv_text(headers, rows), nl=False)
        return
    from .tables import Printer, Table

    out = Printer(console)
    for t in data:
        counts = ", ".join(f"{n} {lvl}" for lvl, n in t.counts().items())
        team = program.teams.get(t.team)
        gone = ""
        if team is not None and team.archived:
            gone = "; archived" + (f", merged into {team.subteam_of}" if team.subteam_of else "")
        table = Table(title=(f"{t.team} ({counts}{gone})", ""))
        for col in ("Goal", "Level", "Champion", "Notes"):
            table.add_column(col)
        for r in t.rows:
            champ = (md_cell(r.champion) if r.champion else
                     ("missing", "bold red") if r.missing_champion else ("n/a", "dim"))
            table.add_row(md_cell(r.goal.short_title + (f" ↳ {r.subgoal}" if r.subgoal else "")),
                          md_cell(r.level or r.ask_type), champ, md_cell(r.notes))
        out.table(table)


def team_cmd(team: str, root: Path, teams: Path | None, milestone: str | None) -> None:
    """One team's review summary, as markdown to paste into a meeting doc."""
    from ..render.team_review import team_review
    from ..views.teams import asks_by_team

    program, m = setup_milestone(root, teams, milestone)
    asked = sorted({t.team for t in asks_by_team(program, m)})
    known = set(asked) | set(program.teams)
    if team not in known:
        lower = {k.lower(): k for k in known}
        hint = (f"did you mean `{lower[team.lower()]}`?" if team.lower() in lower
                else did_you_mean(team, asked) or did_you_mean(team, known))
        raise UsageProblem(
            f"no team {team!r} in {m.name}; "
            + (hint if hint else f"teams asked for support in {m.name}: {', '.join(asked) or 'none'}")
        )
    echo(team_review(program, m, team), nl=False)


def champions_cmd(root: Path, teams: Path | None, milestone: str | None, as_json: bool, as_csv: bool,
                  layout: str) -> None:
    """Champions: `!` for an ask that needs a champion and has none, `n/a` when its level needs
    none, `-` for no ask. Wide programs (many teams) are shown per team."""
    from ..views.teams import champion_matrix

    program, m = setup_milestone(root, teams, milestone)
    mx = champion_matrix(program, m)
    rows = [[g.title, *[mx.cells[(g.key, t)] for t in mx.teams]] for g in mx.goals]
    if as_csv:
        from ..render.tables import csv_text

        echo(csv_text(["Goal", *mx.teams], rows), nl=False)
        return
    if as_json:
        import json

        echo(json.dumps({
            "teams": mx.teams,
            "goals": [{"slug": g.slug, "title": g.title,
                       "cells": {t: mx.cells[(g.key, t)] for t in mx.teams}} for g in mx.goals],
            "people": [{"login": p, "goals": n, "slugs": [g.slug for g in gs]}
                       for p, n, gs in mx.per_person],
        }, indent=2, ensure_ascii=False))
        return
    from .tables import Printer, Table

    out = Printer(console)
    if layout == "auto":  # a goal column of ~32 plus ~7 per team must fit
        layout = "goal" if 32 + 7 * len(mx.teams) <= out.width else "team"
    if layout == "team":
        _champions_by_team(out, program, m, mx)
        return
    if layout == "person":
        _champions_by_person(out, m, mx)
        return
    table = Table(title=f"Champions, {m.name}")
    table.add_column("Goal")
    for t in mx.teams:
        table.add_column(t)
    for row in rows:
        table.add_row(md_cell(row[0]), *[_champion_cell(c) for c in row[1:]])
    out.table(table)
    people = Table(title="Goals championed per person")
    people.add_column("Champion", overflow="ellipsis")
    people.add_column("Goals", justify="right", overflow="ellipsis")
    for p, n, _ in mx.per_person:
        people.add_row((f"@{p}", ""), str(n))
    out.table(people)


def _champion_cell(c: str) -> tuple[str, str]:
    return ("!", "bold red") if c == "!" else (c, "dim") if c in ("-", "n/a") else md_cell(c)


def _champions_by_team(out: Printer, program: Program, m: Milestone, mx: Any) -> None:
    """One row per (team, goal asked): the level and the champion; the team on its first row."""
    from .tables import Table

    table = Table(title=f"Champions by team, {m.name}")
    table.add_column("Team", max_width=22)
    table.add_column("Goal", ratio=1)
    table.add_column("Level", max_width=8, overflow="ellipsis")
    table.add_column("Champion", max_width=24)
    order = program.config.support_levels
    for t in mx.teams:
        asked = [g for g in mx.goals if mx.cells[(g.key, t)] != "-"]
        missing = sum(1 for g in asked if mx.cells[(g.key, t)] == "!")
        label = [(t, ""), (f"\n{missing} missing" if missing else "", "bold red" if missing else "")]
        for i, g in enumerate(asked):
            table.add_row(label if i == 0 else "", md_cell(g.short_title or g.title),
                          g.level_for(t, order) or "", _champion_cell(mx.cells[(g.key, t)]),
                          end_section=i == len(asked) - 1)
    out.table(table)
    gaps = sum(1 for c in mx.cells.values() if c == "!")
    out.text(f"{gaps} ask{'s' * (gaps != 1)} without the champion {'they need' if gaps != 1 else 'it needs'}"
             f"; --by person lists each champion's goals")


def _champions_by_person(out: Printer, m: Milestone, mx: Any) -> None:
    from ..render.inline import inline
    from .tables import Table

    table = Table(title=f"Goals championed per person, {m.name}")
    table.add_column("Champion", max_width=24)
    table.add_column("#", justify="right", overflow="ellipsis")
    table.add_column("Goals (team)", ratio=1)
    for p, n, gs in mx.per_person:
        items = []
        for g in gs:
            ts = [t for t in mx.teams if p.lower() in mx.cells[(g.key, t)].lower().replace("@", " ").split()]
            items.append(f"{inline(g.short_title or g.title)} ({', '.join(ts)})" if ts
                         else inline(g.short_title or g.title))
        table.add_row((f"@{p}", ""), str(n), ("; ".join(items), ""))
    out.table(table)


def capacity_cmd(root: Path, teams: Path | None, milestone: str | None, as_json: bool) -> None:
    """Per team, goals by support level against the limits in [capacity]; per person, load."""
    from ..views.teams import capacity

    program, m = setup_milestone(root, teams, milestone)
    cap = capacity(program, m)
    if as_json:
        import json

        echo(json.dumps({
            "teams": [{"team": t.team, "by_level": t.by_level, "limits": t.limits,
                       "missing_champions": t.missing_champions, "over": t.over} for t in cap.teams],
            "people": [{"login": p.login, "championed": p.championed, "point_of_contact": p.owned,
                        "task_goals": p.tasks, "over": p.over} for p in cap.people],
            "warnings": cap.warnings,
        }, indent=2, ensure_ascii=False))
        return
    from ..render.inline import inline
    from .tables import Cell, Printer, Table

    out = Printer(console)
    levels = list(program.config.support_levels)
    table = Table(title=f"Team capacity, {m.name}")
    table.add_column("Team", overflow="ellipsis")
    for lvl in levels:
        table.add_column(lvl, justify="right", overflow="ellipsis")
    table.add_column("Missing champions", justify="right", overflow="ellipsis")
    for t in cap.teams:
        cells: list[Cell] = []
        for lvl in levels:
            n = t.by_level.get(lvl, 0)
            limit = t.limits.get(lvl)
            text = f"{n}/{limit}" if limit is not None else str(n)
            cells.append((text, "bold red") if limit is not None and n > limit else text)
        miss = str(t.missing_champions)
        table.add_row((t.team, ""), *cells, (miss, "bold red") if t.missing_champions else miss)
    out.table(table)
    people = Table(title="People")
    for col in ("Person", "Champions", "Point of contact", "Owns tasks in"):
        people.add_column(col, justify="left" if col == "Person" else "right", overflow="ellipsis")
    for p in cap.people:
        people.add_row((f"@{p.login}", ""), str(p.championed), str(p.owned), str(p.tasks),
                       style="bold red" if p.over else None)
    out.table(people)
    for w in cap.warnings:
        out.text([("warning:", "yellow"), (" ", ""), (inline(w), "")])
    if not cap.warnings and not (program.config.capacity_levels or program.config.capacity_teams):
        out.text(("No limits configured: add [capacity] to goalkeeper.toml to get warnings.", ""))


def roadmaps_cmd(root: Path, teams: Path | None, milestone: str | None, as_json: bool) -> None:
    """Application area → roadmaps → goals, goals in no roadmap, and highlights."""
    from ..views.teams import roadmap_tree

    program, m = setup_milestone(root, teams, milestone)
    tree = roadmap_tree(program, m)
    if as_json:
        import json

        echo(json.dumps({
            "areas": [{"area": a.area or None, "description": a.description,
                       "roadmaps": [{"short_title": r.short_title, "title": r.title, "slug": r.slug,
                                     "point_of_contact": r.point_of_contact,
                                     "goals": [g.slug for g in gs]} for r, gs in a.roadmaps]}
                      for a in tree.areas],
            "no_roadmap": [g.slug for g in tree.unmapped],
            "highlights": {h: [g.slug for g in gs] for h, gs in tree.highlights.items()},
        }, indent=2, ensure_ascii=False))
        return
    from ..render.inline import inline
    from .tables import Printer, Tree

    root_node = Tree((f"{program.config.project_name} {m.name}", "bold"))
    for a in tree.areas:
        node = root_node.add(md_cell(a.area, style="bold") if a.area else ("(no application area)", "dim"))
        for r, gs in a.roadmaps:
            rn = node.add([md_cell(r.short_title), (" ", ""),
                           (f"({len(gs)} goals, {inline(r.point_of_contact)})", "dim")])
            for g in gs:
                rn.add(md_cell(g.short_title))
    if tree.unmapped:
        node = root_node.add(("(no roadmap)", "bold"))
        for g in tree.unmapped:
            node.add(md_cell(g.short_title))
    if tree.highlights:
        node = root_node.add(("Highlights", "bold"))
        for h, gs in tree.highlights.items():
            hn = node.add(md_cell(h))
            for g in gs:
                hn.add(md_cell(g.short_title))
    Printer(console).tree(root_node)


def calendar_cmd(root: Path, today_text: str | None, as_json: bool) -> None:
    """The phase of the program today, what is due next, and every milestone's phases."""
    import datetime as dt

    from ..calendar import PHASE_TITLES, parse_date, program_windows, today

    try:
        day = parse_date(today_text, "--today") if today_text else dt.date.today()
    except ValueError as e:
        raise UsageProblem(str(e)) from e
    program = load_program(root, None)
    where = str(program.config.path or program.root)
    wins = program_windows([m.name for m in program.milestones], program.config.calendar, where)
    now = today(wins, day)
    if as_json:
        import json

        echo(json.dumps({
            "today": day.isoformat(),
            "current": [{"milestone": w.milestone, "phase": str(w.phase), "start": w.start.isoformat(),
                         "end": w.end.isoformat()} for w in now.current],
            "next": [{"milestone": w.milestone, "phase": str(w.phase), "start": w.start.isoformat(),
                      "end": w.end.isoformat()} for w in now.upcoming],
            "phases": [{"milestone": w.milestone, "phase": str(w.phase), "start": w.start.isoformat(),
                        "end": w.end.isoformat(), "configured": w.configured} for w in wins],
        }, indent=2))
        return
    out = console()
    if now.current:
        for w in now.current:
            total = (w.end - w.start).days + 1
            done = (day - w.start).days + 1
            out.print(f"Today ({day}): [bold]{w.title}[/], day {done} of {total} "
                      f"(until {w.end}).", highlight=False)
    else:
        out.print(f"Today ({day}): no phase of a known milestone.", highlight=False)
    for w in now.upcoming:
        out.print(f"Next: {w.title}, from {w.start} (in {(w.start - day).days} days).", highlight=False)
    from rich.table import Table

    table = Table(title="Calendar", title_justify="left")
    for col in ("Milestone", "Phase", "Start", "End", ""):
        table.add_column(col)
    for w in wins:
        mark = "◀ now" if w.contains(day) else ("done" if w.end < day else "")
        table.add_row(w.milestone, PHASE_TITLES[w.phase], str(w.start), str(w.end),
                      mark + (" (configured)" if w.configured else ""),
                      style="bold" if w.contains(day) else ("dim" if w.end < day else None))
    out.print(table)
