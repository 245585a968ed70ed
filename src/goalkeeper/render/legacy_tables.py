"""Goal and team-ask tables in the layouts the reference tool generated before 2025h2.

A milestone's documents say which tool made its published pages:

- "2024": goals name their owners in `Owner(s)` rows (2024h2 until late 2024). Goal tables are
  `| Goal | Owner | Team |`; team asks are grouped per team and per ask, `| Goal | Owner | Notes |`
  with an `*ask*` row followed by one `↳ [goal or subgoal](…#ownership-and-team-asks)` row per ask.
- "2025": `Point of contact` rows but no `[team] champion` rows and no `## Team asks` sections
  (2025h1, and 2024h2 as rewritten for it). Goal tables are `| Goal | Point of contact | Team |`
  while any goal is proposed, else `| Goal | Point of contact | Progress |` (rendered by
  :func:`goalkeeper.render.goal_tables.goal_table`); team asks are the same grouped layout as
  2024's with `**ask**` rows, unless the ask types have short names (the `[team_asks]` tables of
  spring 2025), which give the per-kind columns the later tool used.
- "" (anything newer): the layouts of :mod:`goalkeeper.render.goal_tables` and
  :mod:`goalkeeper.render.team_asks`.

Rows are sorted by title, as the reference tool sorted them then.
"""

from __future__ import annotations

from typing import Protocol

from ..model import Goal, Program, TeamAsk
from ..sources import legacy
from ..sources.metadata import norm_key
from .tables import md_table_raw


class Context(Protocol):
    """What these tables need of :class:`goalkeeper.render.page_context.Context`."""

    @property
    def program(self) -> Program: ...

    @property
    def page_path(self) -> str: ...

    def goals(self) -> list[Goal]: ...

    def href(self, path: str, anchor: str = "") -> str: ...

    def goal_link(self, g: Goal, *, short: bool = False, anchor: str = "") -> str: ...


def era(goals: list[Goal]) -> str:
    """"2024", "2025" or "" for the milestone whose goals these are (see the module doc)."""
    if not goals:
        return ""
    if any(owner_row(g) is not None for g in goals):
        return "2024"
    if legacy.predates_champions(goals):
        return "2025"
    return ""


def owner_row(g: Goal) -> str | None:
    """The 2024 `Owner(s)` value of a goal without a `Point of contact` row, else None."""
    owners: dict[str, str] = {}  # (the last row of each name counts)
    for r in g.metadata:
        key = norm_key(r.key)
        if key == "point of contact":
            return None
        if key in legacy.OWNER_ROWS:
            owners[key] = r.value
    return next((owners[k].strip() for k in legacy.OWNER_ROWS if k in owners), None)


def _teams(g: Goal) -> str:
    return ", ".join(f"[{t}]" for t in sorted(set(g.teams)))


def _poc(g: Goal) -> str:
    if g.status.strip().lower() == "invited" or not g.points_of_contact:
        return "![Help Wanted][]"
    return ", ".join(f"@{p}" for p in g.points_of_contact)


def goal_table_2024(ctx: Context, goals: list[Goal]) -> str:
    """`| Goal | Owner | Team |`, the owners as written in the `Owner(s)` row."""
    if not goals:
        return "*No goals in this category.*\n"
    rows = [[ctx.goal_link(g), owner_row(g) or _poc(g), _teams(g)] for g in goals]
    return md_table_raw(["Goal", "Owner", "Team"], rows)


def grouped_team_asks(ctx: Context, goals: list[Goal], which: str) -> str | None:
    """Team asks grouped per team and ask, or None when the milestone's era used columns."""
    types = ctx.program.config.ask_types
    if which == "2025" and any(t.short != t.name for t in types.values()):
        return None
    live = sorted((g for g in goals if not g.rejected), key=lambda g: g.path)
    asks = [(g, a) for g in live for a in g.asks if a.ask_type]
    out: list[str] = []
    for team in sorted({a.team for _, a in asks}):
        mine = [(g, a) for g, a in asks if a.team == team]
        rows: list[list[str]] = []
        for kind in sorted({a.ask_type for _, a in mine}):
            rows.append([f"*{kind}*" if which == "2024" else f"**{kind}**", "", ""])
            for g, a in mine:
                if a.ask_type == kind:
                    link = ctx.href(g.path, "ownership-and-team-asks")
                    rows.append([f"↳ [{a.subgoal or g.short_title}]({link})", _owners(g, a, which),
                                 " ".join(a.notes.split())])
        who = "Owner" if which == "2024" else "Point of contact"
        out.append(f"\n### {team} team\n" + md_table_raw(["Goal", who, "Notes"], rows))
    return "".join(out) if out else "*No team asks.*\n"


def _owners(g: Goal, a: TeamAsk, which: str) -> str:
    if which == "2024":
        if a.subgoal:  # a `↳` ask: the owners of the row it sits under, else the goal's
            parent = next((w for w in g.work_items if w.task == a.subgoal and not w.subgoal), None)
            if parent is not None and parent.owners:
                return ", ".join(parent.owners)
        return owner_row(g) or _poc(g)
    # 2025: the point of contact as written, whatever the status
    row = next((r for r in g.metadata if r.key.strip().lower() == "point of contact"), None)
    return row.value.strip() if row is not None and row.value.strip() else _poc(g)


def _page_goal(ctx: Context) -> Goal | None:
    return next((g for g in ctx.goals() if g.path == ctx.page_path), None)


def teams_with_asks(ctx: Context, _arg: str) -> str:
    """2025's `<!-- TEAMS WITH ASKS -->` placeholder in a goal's metadata table."""
    g = _page_goal(ctx)
    return ", ".join(f"[{t}][]" for t in sorted(set(g.teams))) if g else ""


def task_owners(ctx: Context, _arg: str) -> str:
    """2025's `<!-- TASK OWNERS -->` placeholder in a goal's metadata table."""
    g = _page_goal(ctx)
    return ", ".join(g.task_owners) if g else ""
