"""Roadmap and highlight directives: `(((ROADMAPS)))`, `(((APPLICATION AREAS)))`, the rows
of `| (((ROADMAP ROWS: theme))) |`, and `(((HIGHLIGHT GOALS/TABLE/CREDITS: theme)))`."""

from __future__ import annotations

from ..model import Goal, Roadmap, all_roadmaps
from ..sources.metadata import first_sentence
from .page_context import Context
from .tables import md_table_raw


def roadmaps_sorted(ctx: Context) -> list[Roadmap]:
    return sorted(ctx.milestone.roadmaps if ctx.milestone else (), key=lambda r: r.short_title.lower())


def roadmap_table(ctx: Context, area: str) -> str:
    roadmaps = roadmaps_sorted(ctx)
    if area:
        roadmaps = [r for r in roadmaps if area.lower() in {a.lower() for a in r.application_areas}]
    if not roadmaps:
        return "*No roadmaps.*\n"
    rows = [[ctx.roadmap_link(r), r.point_of_contact, r.what_and_why] for r in roadmaps]
    return md_table_raw(["Roadmap", "Point of contact", "What and why"], rows)


def application_areas(ctx: Context, _arg: str) -> str:
    roadmaps = roadmaps_sorted(ctx)
    areas = list(ctx.program.config.application_areas)
    areas += sorted({a for r in roadmaps for a in r.application_areas} - set(areas))
    out = []
    for area in areas:
        desc = ctx.program.config.application_areas.get(area, "")
        out.append(f"\n### {area}\n\n" + (f"{desc}\n\n" if desc else "") + roadmap_table(ctx, area))
    return "".join(out) if out else "*No application areas.*\n"


def _subgoal_rows(g: Goal, theme: str | None) -> list[tuple[str, str, str, str]]:
    """(title, anchor, timespan, what-and-why) per matching child, or the goal itself."""
    if g.subgoals:
        kids = [s for s in g.subgoals
                if theme is None or theme.lower() in {t.lower() for t in (*g.roadmaps, *s.roadmaps)}]
        if kids:
            return [(s.title, s.anchor, s.timespan or g.timespan, s.what_and_why or g.what_and_why)
                    for s in kids]
    return [(g.title, "", g.timespan, g.what_and_why or first_sentence(g.summary))]


def roadmap_rows(ctx: Context, theme: str) -> str:
    want = theme.lower()
    goals = sorted((g for g in ctx.live() if want in {t.lower() for t in all_roadmaps(g)}),
                   key=lambda g: (g.title.lower(), g.path))
    default_span = ctx.milestone.name if ctx.milestone else ""
    rows = []
    for g in goals:
        for title, anchor, span, why in _subgoal_rows(g, theme):
            link = f"[{title}]({ctx.href(g.path, anchor)})"
            rows.append(f"| {link} | {span or default_span} | {' '.join(why.split())} |")
    return "\n".join(rows)


# --------------------------------------------------------------------------- highlights


def _highlighted(ctx: Context, theme: str) -> list[Goal]:
    want = theme.strip().lower()
    return sorted((g for g in ctx.live()
                   if g.highlights and want in {h.strip().lower() for h in g.highlights}),
                  key=lambda g: (g.title.lower(), g.path))


def highlight_goals(ctx: Context, theme: str) -> str:
    out = []
    for g in _highlighted(ctx, theme):
        people = [f"@{g.point_of_contact} (point of contact)"] if g.point_of_contact else []
        people += [o for o in g.task_owners if o.lstrip("@").lower() != g.point_of_contact.lower()]
        people += [f"{c.value} ([{c.team}] champion)" for c in g.champions if c.logins]
        badge = " ![Help wanted][]" if g.is_help_wanted else ""
        out.append(f"### {ctx.goal_link(g)}{badge}\n\n*{', '.join(people)}*\n\n{g.summary}\n")
    return "\n".join(out) if out else "*No goals in this category.*\n"


def highlight_table(ctx: Context, theme: str) -> str:
    rows = []
    for g in _highlighted(ctx, theme):
        for title, anchor, _span, why in _subgoal_rows(g, None):
            rows.append([f"[{title}]({ctx.href(g.path, anchor)})", why])
    if not rows:
        return "*No goals in this category.*\n"
    return md_table_raw(["Goal", "What and why"], rows)


def highlight_credits(ctx: Context, theme: str) -> str:
    users: set[str] = set()
    for g in _highlighted(ctx, theme):
        users.update(f"@{u}" for u in g.points_of_contact)
        users.update(o for o in g.task_owners if o.startswith("@"))
        users.update(f"@{u}" for c in g.champions for u in c.logins)
    return ", ".join(sorted(users, key=str.lower))

