"""Who is asked for what: `(((TEAM ASKS)))` per team with long notes as footnotes,
`(((VALID TEAM ASKS)))`, and `(((CHAMPIONS)))` (each champion's goals)."""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter

from ..model import Goal, TeamAsk, level_ranks
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
                goals = by[f"@{login}"]
                if not goals or goals[-1] is not g:  # (a champion of two of its teams)
                    goals.append(g)
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
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.items: list[str] = []

    def cell(self, text: str, g: Goal) -> str:
        """Goal `g`'s note `text` for a table cell: itself if short, else a footnote's number."""
        text = " ".join(text.split())
        if len(text) <= FOOTNOTE_LIMIT:
            return text.replace("|", "\\|")
        self.items.append(f"\\*{len(self.items) + 1}: {text} ([from here]({self.ctx.href(g.path)}))")
        return f"\\*{len(self.items)}"

    def render(self) -> str:
        return "".join(f"\n\n{x}\n" for x in self.items)


def team_asks(ctx: Context, _arg: str) -> str:
    grouped = legacy_tables.grouped_team_asks(ctx, ctx.goals(), ctx.era) if ctx.era else None
    if grouped is not None:
        return grouped
    live = sorted(ctx.live(), key=lambda g: (g.short_title, g.path))
    # each team's goals in that order, with the goal's asks of the team
    by_team: dict[str, list[tuple[Goal, list[TeamAsk]]]] = defaultdict(list)
    for g in live:
        its: dict[str, list[TeamAsk]] = defaultdict(list)
        for a in g.asks:
            its[a.team].append(a)
        for team, asks in its.items():
            by_team[team].append((g, asks))
    config = ctx.program.config
    rank = level_ranks(config.support_levels)
    out: list[str] = []
    for team in sorted(by_team):
        notes = _Footnotes(ctx)
        out.append(f"\n{'####' if ctx.current_format else '###'} {team} team\n")
        # the goals asking the team for a level (largest first), then those with an ask type
        asking: list[tuple[tuple[int, str, str], Goal, list[TeamAsk]]] = []
        for g, asks in by_team[team]:
            sized = [a for a in asks if a.level]
            if sized:
                largest = max([rank.get(a.level.lower(), -1) for a in sized])
                asking.append(((-largest, g.short_title.lower(), g.path), g, sized))
        asking.sort(key=itemgetter(0))
        new_rows: list[list[str]] = []
        for _, g, asks in asking:
            champ = g.champion_for(team)
            for i, a in enumerate(asks):
                name = ctx.goal_link(g, short=True) if i == 0 else ""
                if a.subgoal:
                    name = (name + " " if name else "") + f"↳ {a.subgoal}"
                new_rows.append([name, a.level,
                                 champ.value if champ and champ.logins else "",
                                 notes.cell(a.notes, g)])
        old = [(g, mine) for g, asks in by_team[team] if (mine := [a for a in asks if a.ask_type])]
        if old:
            asked = {a.ask_type for _, mine in old for a in mine}
            kinds = [k for k, t in config.ask_types.items() if not t.elide and k in asked]
            kinds += sorted(asked - config.ask_types.keys())
            headers = ["Goal", *[
                f"[{config.ask_types[k].short}][valid_team_asks]" if k in config.ask_types else k
                for k in kinds]]
            rows: list[list[str]] = []
            for g, mine in old:
                # a row for the goal, then one per subgoal; a cell per kind of ask, with the
                # notes of each such ask (two asks of one kind: both notes, as the reference)
                cell_asks: dict[tuple[str, str], list[TeamAsk]] = defaultdict(list)
                for a in mine:
                    cell_asks[(a.subgoal, a.ask_type)].append(a)
                for sub in ["", *dict.fromkeys(a.subgoal for a in mine if a.subgoal)]:
                    cells = [" ".join([notes.cell(a.notes, g) or "✅" for a in cell_asks[(sub, k)]])
                             for k in kinds]
                    rows.append([ctx.goal_link(g, short=True) if not sub else f"↳ {sub}", *cells])
            out.append(md_table_raw(headers, rows))
        if new_rows:
            out.append(md_table_raw(["Goal", "Level", "Champion", "Notes"], new_rows))
        out.append(notes.render())
    return "".join(out) if out else "*No team asks.*\n"


def valid_team_asks(ctx: Context, _arg: str) -> str:
    rows = [[f'"{k}"', t.short, t.about] for k, t in ctx.program.config.ask_types.items()]
    return md_table_raw(["Ask", "aka", "Description"], rows)
