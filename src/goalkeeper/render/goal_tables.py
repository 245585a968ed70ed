"""Goal tables: `(((GOALS)))`, the roadmap/other/not-accepted selections, counts, and the
per-size tables (`(((LARGE GOALS)))`…), in the layout of the milestone's era."""

from __future__ import annotations

from ..model import Goal, all_roadmaps, level_ranks
from . import legacy_tables
from .page_context import Context, Handler
from .tables import md_table_raw

#: Statuses that meant "invited" (no owner yet) in the legacy format, and those that count as
#: still proposed there (the reference of 2025h1 left `Not accepted` goals in progress mode).
LEGACY_INVITED = ("invited", "proposed for mentorship")
LEGACY_PROPOSED = ("proposed", "proposed for flagship", "proposed for mentorship")


def help_wanted_poc(g: Goal, legacy: bool = False) -> str:
    """The point-of-contact cell: the Help Wanted badge for a goal looking for people (a
    `## Help wanted` section or `Needs | Contributor` since 2025h2, an invited status always),
    else `@poc`."""
    if legacy:
        wanted = g.status.strip().lower() in LEGACY_INVITED
        return "![Help Wanted][]" if wanted or not g.point_of_contact else \
            ", ".join(f"@{p}" for p in g.points_of_contact)
    wanted = g.is_help_wanted or g.status.strip().lower() in LEGACY_INVITED
    return "![Help Wanted][]" if wanted or not g.point_of_contact else f"@{g.point_of_contact}"


def teams_and_champions(g: Goal) -> str:
    parts = []
    for team in sorted(set(g.teams)):
        c = g.champion_for(team)
        parts.append(f"[{team}] ({c.value})" if c and c.logins else f"[{team}]")
    return ", ".join(parts)


def owners_and_champions(g: Goal) -> str:
    """Task owners not already the point of contact, then `@c ([team])` per champion."""
    poc = {p.lower() for p in g.points_of_contact}
    owners = [o for o in g.task_owners if o.lstrip("@").lower() not in poc]
    champs = [f"{c.value} ([{c.team}])" for c in sorted(g.champions, key=lambda c: c.team)
              if c.logins]
    return ", ".join([*owners, *champs])


def goal_table(ctx: Context, goals: list[Goal]) -> str:
    """The reference's goal table, in the layout of the milestone's era: progress mode once no
    goal is still proposed, else champion mode, whose third column is "Task Owners and
    Champions" (2026 format), "Team(s) and Champion(s)" (2025h2) or "Team" (before; a
    `Not accepted` goal did not switch those tables to champion mode)."""
    if ctx.era == "2024":
        return legacy_tables.goal_table_2024(ctx, goals)
    if not goals:
        return "*No goals in this category.*\n"
    legacy = ctx.legacy_format
    statuses = {g.status.strip().lower() for g in goals}
    if legacy:
        champion_mode = bool(statuses & set(LEGACY_PROPOSED))
    else:
        champion_mode = bool(statuses & {"proposed", "not accepted", "invited",
                                         "proposed for mentorship", "proposed for flagship"})
    if champion_mode and ctx.current_format:
        rows = [[ctx.goal_link(g), help_wanted_poc(g), owners_and_champions(g)] for g in goals]
        return md_table_raw(["Goal", "Point of contact", "Task Owners and Champions"], rows)
    if champion_mode and legacy:
        rows = [[ctx.goal_link(g), help_wanted_poc(g, True),
                 ", ".join(f"[{t}]" for t in sorted(set(g.teams)))] for g in goals]
        return md_table_raw(["Goal", "Point of contact", "Team"], rows)
    if champion_mode:
        rows = [[ctx.goal_link(g), help_wanted_poc(g), teams_and_champions(g)] for g in goals]
        return md_table_raw(["Goal", "Point of contact", "Team(s) and Champion(s)"], rows)
    rows = []
    for g in goals:
        t = g.tracking_issue
        if t is None:
            issue = "(no tracking issue)"
        elif legacy:  # the reference's placeholder that its script filled with a progress bar
            where = f"{ctx.milestone.name if ctx.milestone else ''}:{t.owner}:{t.repo}:{t.number}"
            issue = (f"<a href='{t.url}' alt='Tracking issue'><div class='tracking-issue-progress' "
                     f"id='{where}'></div></a>")
        else:
            issue = f"[{t}]({t.url})"
        rows.append([ctx.goal_link(g), help_wanted_poc(g, legacy), issue])
    return md_table_raw(["Goal", "Point of contact", "Progress"], rows)


def all_goals(ctx: Context, _arg: str) -> str:
    return goal_table(ctx, ctx.live())


def roadmap_goals(ctx: Context, theme: str) -> str:
    if theme:
        want = theme.strip().lower()
        goals = [g for g in ctx.live() if want in {t.strip().lower() for t in all_roadmaps(g)}]
    else:
        goals = [g for g in ctx.live() if all_roadmaps(g)]
    return goal_table(ctx, goals)


def other_goals(ctx: Context, _arg: str) -> str:
    return goal_table(ctx, [g for g in ctx.live() if not all_roadmaps(g)])


def not_accepted(ctx: Context, _arg: str) -> str:
    return goal_table(ctx, ctx.order(g for g in ctx.goals() if g.rejected))


def count_goals(ctx: Context, _arg: str) -> str:
    return str(len(ctx.live()))


def count_roadmap_goals(ctx: Context, _arg: str) -> str:
    return str(sum(1 for g in ctx.live() if all_roadmaps(g)))


def sized(level: str) -> Handler:
    def render(ctx: Context, _arg: str) -> str:
        config = ctx.program.config
        levels = config.support_levels
        rank = level_ranks(levels)
        goals = ctx.by_size.get(level.lower())
        if not goals:
            return "*No goals in this category.*\n"
        rows: list[list[str]] = []
        needs = {lvl.lower() for lvl in config.champion_levels}
        for g in goals:
            asks = sorted(g.team_levels(levels).items(),
                          # by the `[team][]` text, as the reference: `[libs-api]` before `[libs]`
                          key=lambda ta: (-rank.get(ta[1].lower(), -1), f"[{ta[0]}][]"))
            for i, (team, lvl) in enumerate(asks):
                c = g.champion_for(team)
                if c and c.logins:
                    champ = c.value
                elif lvl.lower() in needs:
                    champ = "![TBD][]"
                else:
                    champ = "*n/a*"
                team_cell = f"**[{team}][]**" if lvl.lower() == "large" else f"[{team}][]"
                rows.append([ctx.goal_link(g, short=True) if i == 0 else "",
                             help_wanted_poc(g) if i == 0 else "", team_cell, champ])
        return md_table_raw(["Goal", "PoC", "Team", "Champion"], rows)

    return render


def goals_with_status(ctx: Context, statuses: str) -> str:
    """2024's `<!-- GOALS 'Accepted,Orphaned' -->`: the goals with one of the statuses."""
    want = {s.strip().lower() for s in statuses.split(",")}
    return goal_table(ctx, ctx.order(g for g in ctx.goals() if g.status.strip().lower() in want))
