"""Needs and funding: cost and funding-state parsing (shared with :mod:`goalkeeper.views.needs`),
the `(((FUNDING TABLE)))` family and `(((GOALS WITH NEEDS: kind)))`."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from ..model import Goal, all_roadmaps
from .tables import md_table_raw

if TYPE_CHECKING:  # imported where they are used, not with the module: the funding view
    from decimal import Decimal  # imports it for parse_cost and goal_funding only

    from .page_context import Context


def parse_cost(text: str) -> Decimal | str:
    """`$25,000`, `$75K`, `$1.5M` → dollars; `Ask` → "Ask"; anything else → "TBD"."""
    t = text.strip().replace(",", "").replace("$", "").replace("USD", "").strip()
    if t.lower() == "ask":
        return "Ask"
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kKmM]?)", t)
    if not m:
        return "TBD"
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(m[1])
    except InvalidOperation:
        return "TBD"
    return value * {"": 1, "k": 1000, "m": 1_000_000}[m[2].lower()]


def funded_state(text: str) -> str:
    """`No`, `Partial`, `Partial by X`, `Full`, `By X`; anything else (even `Yes`) counts as No."""
    t = text.strip().lower()
    if t == "full" or t.startswith("by "):
        return "Funded"
    if t.startswith("partial"):
        return "Partial"
    return "No"


def goal_funding(g: Goal) -> tuple[str, str, str]:
    """(status emoji, cost total, sponsors) for a goal with a `## Funding` section."""
    states = [funded_state(f.funded) for f in g.funding]
    if states and all(s == "Funded" for s in states):
        emoji = "✅"
    elif any(s != "No" for s in states):
        emoji = "🟡"
    else:
        emoji = "🟥"
    costs = [parse_cost(f.cost) for f in g.funding]
    dollars = [c for c in costs if not isinstance(c, str)]  # Decimals
    if dollars:
        total = f"${sum(dollars[1:], dollars[0]):,.0f}"
    elif "TBD" in costs or not costs:
        total = "TBD"
    else:
        total = "Ask"
    sponsors = ", ".join(dict.fromkeys(f.sponsors for f in g.funding if f.sponsors.strip()))
    return emoji, total, sponsors


def _funding_row(ctx: Context, g: Goal) -> list[str]:
    emoji, total, sponsors = goal_funding(g)
    contact = g.funding_contact or ctx.program.config.funding_contact
    return [emoji, f"[{g.title}]({ctx.href(g.path, 'funding')})", total, contact,
            f"🙏 {sponsors}" if sponsors else ""]


FUNDING_HEADERS = ["", "Goal", "Cost", "Funding contact", "Sponsor(s)"]


def _funded_goals(ctx: Context, theme: str = "") -> list[Goal]:
    goals = [g for g in ctx.live() if g.funding]
    if theme:
        goals = [g for g in goals if theme.lower() in {t.lower() for t in all_roadmaps(g)}]
    return sorted(goals, key=lambda g: (g.title.lower(), g.path))


def funding_table(ctx: Context, theme: str) -> str:
    goals = _funded_goals(ctx, theme)
    if not goals:
        return "*No goals are seeking funding.*\n"
    return md_table_raw(FUNDING_HEADERS, [_funding_row(ctx, g) for g in goals])


def funding_grouped(ctx: Context, _arg: str) -> str:
    from .roadmap_tables import roadmaps_sorted

    goals = _funded_goals(ctx)
    if not goals:
        return "*No goals are seeking funding.*\n"
    rows: list[list[str]] = []
    placed: set[str] = set()
    for r in roadmaps_sorted(ctx):
        mine = [g for g in goals if r.short_title.lower() in {t.lower() for t in all_roadmaps(g)}]
        if mine:
            rows.append(["-", f"**{ctx.roadmap_link(r)}**", "--", "--", "--"])
            rows += [_funding_row(ctx, g) for g in mine]
            placed.update(g.key for g in mine)
    rest = [g for g in goals if g.key not in placed]
    if rest:
        rows.append(["-", "**Other goals**", "--", "--", "--"])
        rows += [_funding_row(ctx, g) for g in rest]
    return md_table_raw(FUNDING_HEADERS, rows)


def funding_by_poc(ctx: Context, _arg: str) -> str:
    goals = _funded_goals(ctx)
    if not goals:
        return "*No goals are seeking funding.*\n"
    by: dict[str, list[Goal]] = defaultdict(list)
    for g in goals:
        by[g.funding_contact or ctx.program.config.funding_contact].append(g)
    rows: list[list[str]] = []
    for contact in sorted(by):
        rows.append(["-", f"**{contact}**", "--", "--", "--"])
        rows += [_funding_row(ctx, g) for g in by[contact]]
    return md_table_raw(FUNDING_HEADERS, rows)


def funding_legend(_ctx: Context, _arg: str) -> str:
    return md_table_raw(["Legend", ""], [
        ["🟥", "Seeking funding"],
        ["🟡", "Partially funded, could use more support"],
        ["✅", "Good to go"],
    ])


def goals_with_needs(ctx: Context, need: str) -> str:
    kind = need.strip().lower()
    if kind == "funding":
        goals = _funded_goals(ctx)
    elif kind == "contributor":
        goals = sorted((g for g in ctx.live() if g.is_help_wanted), key=lambda g: (g.title.lower(), g.path))
    else:
        goals = sorted((g for g in ctx.live() if kind in {n.lower() for n in g.needs}),
                       key=lambda g: (g.title.lower(), g.path))
    out = []
    for g in goals:
        part = [f"### {ctx.goal_link(g)}\n", f"*@{g.point_of_contact} (point of contact)*\n"
                if g.point_of_contact else "", f"{g.summary}\n"]
        if kind == "funding":
            part.append(f"**Contact:** {g.funding_contact or ctx.program.config.funding_contact}\n")
            part.append(md_table_raw(["Purpose", "Cost", "Funded"],
                                     [[f.purpose, f.cost, f.funded] for f in g.funding]))
        elif kind == "contributor" and g.help_wanted:
            part.append(md_table_raw(["Task", "Experience level", "Time investment"],
                                     [[h.task, h.experience, h.time] for h in g.help_wanted]))
        out.append("\n".join(p for p in part if p))
    return "\n".join(out) if out else "*No goals in this category.*\n"

