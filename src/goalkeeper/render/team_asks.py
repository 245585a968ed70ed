"""Who is asked for what: `(((TEAM ASKS)))` per team with long notes as footnotes,
`(((VALID TEAM ASKS)))`, and `(((CHAMPIONS)))` (each champion's goals)."""

from __future__ import annotations

from collections import defaultdict

from ..model import Goal
from . import legacy_tables
from .page_context import Context
from .tables import md_table_raw

FOOTNOTE_LIMIT = 22  # notes longer than this become footnotes, as in the reference tool


def champions(ctx: Context, _arg: str) -> str:
    """One row per champion: count and the goals, in the published RFC's layout."""
    by: dict[str, list[Goal]] = defaultdict(list)
    for g in ctx.goals():  # the reference lists champions of every goal, whatever its status
        for c in g.champions:
            for login in c.logins:
                if g not in by[f"@{login}"]:
                    by[f"@{login}"].append(g)
    if not by:
        return "No champions found.\n"
    rows = []
    for champ in sorted(by):
        links = sorted(ctx.goal_link(g) for g in by[champ])
        if ctx.current_format:  # one row per goal; champion and count on the first
            rows += [[champ if i == 0 else "", str(len(links)) if i == 0 else "", link]
                     for i, link in enumerate(links)]
        else:
            rows.append([champ, str(len(links)), "<br>".join(f"° {x}" for x in links)])
    return md_table_raw(["Champion", "#", "Goal" if ctx.current_format else "Goals"], rows)


class _Footnotes:
    def __init__(self) -> None:
        self.items: list[str] = []

    def cell(self, text: str, link: str) -> str:
        text = " ".join(text.split())
        if len(text) <= FOOTNOTE_LIMIT:
            return text.replace("|", "\\|")
        self.items.append(f"\\*{len(self.items) + 1}: {text} ([from here]({link}))")
        return f"\\*{len(self.items)}"

    def render(self) -> str:
        return "".join(f"\n\n{x}\n" for x in self.items)


def team_asks(ctx: Context, _arg: str) -> str:
    grouped = legacy_tables.grouped_team_asks(ctx, ctx.goals(), ctx.era) if ctx.era else None
    if grouped is not None:
        return grouped
    live = sorted(ctx.live(), key=lambda g: (g.short_title, g.path))
    # each team's goals, in that order: those asking it for a level, those with an ask type
    by_level: dict[str, list[Goal]] = defaultdict(list)
    by_type: dict[str, list[Goal]] = defaultdict(list)
    for g in live:
        for a in g.asks:
            for by, asked in ((by_level, a.level), (by_type, a.ask_type)):
                goals = by[a.team]
                if asked and (not goals or goals[-1] is not g):
                    goals.append(g)
    teams = sorted({a.team for g in live for a in g.asks})
    config = ctx.program.config
    rank = {lvl.lower(): i for i, lvl in enumerate(config.support_levels)}
    out: list[str] = []
    for team in teams:
        notes = _Footnotes()
        out.append(f"\n{'####' if ctx.current_format else '###'} {team} team\n")
        new_rows: list[list[str]] = []
        asking = by_level.get(team, [])
        levels = config.support_levels
        for g in sorted(asking, key=lambda g: (-rank.get(g.level_for(team, levels).lower(), -1),
                                               g.short_title.lower(), g.path)):
            asks = [a for a in g.asks if a.team == team and a.level]
            for i, a in enumerate(asks):
                champ = g.champion_for(team)
                name = ctx.goal_link(g, short=True) if i == 0 else ""
                if a.subgoal:
                    name = (name + " " if name else "") + f"↳ {a.subgoal}"
                new_rows.append([name, a.level,
                                 champ.value if champ and champ.logins else "",
                                 notes.cell(a.notes, ctx.href(g.path))])
        old = by_type.get(team, [])
        if old:
            kinds = [k for k, t in config.ask_types.items()
                     if not t.elide and any(a.team == team and a.ask_type == k for g in old for a in g.asks)]
            unknown = sorted({a.ask_type for g in old for a in g.asks
                              if a.team == team and a.ask_type and a.ask_type not in config.ask_types})
            kinds += unknown
            headers = ["Goal", *[
                f"[{config.ask_types[k].short}][valid_team_asks]" if k in config.ask_types else k
                for k in kinds]]
            rows: list[list[str]] = []
            for g in old:
                mine = [a for a in g.asks if a.team == team and a.ask_type]
                subgoals = list(dict.fromkeys(a.subgoal for a in mine if a.subgoal))
                for sub in ["", *subgoals]:
                    cells = []
                    for k in kinds:
                        # two asks of one kind for one team: both notes, as the reference
                        hit = [a for a in mine if a.ask_type == k and a.subgoal == sub]
                        cells.append(" ".join(notes.cell(a.notes, ctx.href(g.path)) or "✅"
                                              for a in hit))
                    rows.append([ctx.goal_link(g, short=True) if not sub else f"↳ {sub}", *cells])
            out.append(md_table_raw(headers, rows))
        if new_rows:
            out.append(md_table_raw(["Goal", "Level", "Champion", "Notes"], new_rows))
        out.append(notes.render())
    return "".join(out) if out else "*No team asks.*\n"


def valid_team_asks(ctx: Context, _arg: str) -> str:
    rows = [[f'"{k}"', t.short, t.about] for k, t in ctx.program.config.ask_types.items()]
    return md_table_raw(["Ask", "aka", "Description"], rows)
