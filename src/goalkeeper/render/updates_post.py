"""The monthly "Project goals update" blog post, and the per-team champion report.

The structure follows the posts the Rust program publishes (front matter, an introduction, the
roadmap goals by theme, goals looking for help, the other goals), each goal as a card with its
title linked to the tracking issue, point of contact, champions, a progress bar, and the TL;DR or
the updates of the period (author, date, link, the comment itself). Comments are markdown written
by anyone: they are rendered and sanitized, and every other value is escaped.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import jinja2
import nh3
from markdown_it import MarkdownIt

from ..model import Goal, Milestone, Program, all_roadmaps
from .inline import inline
from .tables import md_text, safe_url

if TYPE_CHECKING:
    from ..health import GoalHealth
    from ..progress import GoalProgress, Update


@cache
def _md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    return md.enable(["table", "strikethrough"])


def comment_html(markdown: str) -> str:
    """A comment's markdown as safe HTML (raw HTML is not passed through; links are checked)."""
    return nh3.clean(_md().render(markdown), url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")


@cache
def _card() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("goalkeeper", "render/templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
    )
    return env.get_template("goal_card.html")


def progress_html(gp: GoalProgress | None) -> str:
    if gp is None or not gp.synced:
        return "no tracking data"
    p = gp.progress
    if gp.state == "closed":
        label = "Completed" if p.complete else "Will not complete"
        return f"<strong>{label}</strong>"
    if p.kind == "tracked" and p.total:
        return f'<progress value="{p.completed}" max="{p.total}"></progress> {p.completed}/{p.total}'
    return '<progress value="0" max="1"></progress>'


@dataclass(frozen=True, slots=True)
class CardComment:
    author: str
    roles: str
    date: str
    url: str
    html: str


def goal_card(goal: Goal, gp: GoalProgress | None, health: GoalHealth | None,
              updates: Sequence[Update]) -> str:
    tldr = gp.tldr if gp else None
    n = len(updates)
    summary = ("No detailed updates available." if n == 0 else
               "1 detailed update available." if n == 1 else f"{n} detailed updates available.")
    champions = ", ".join(f"{c.team} ({c.value})" for c in goal.champions if c.logins)
    owners = ", ".join(o for o in goal.task_owners if o.lstrip("@").lower()
                       not in {p.lower() for p in goal.points_of_contact})
    help_items = [comment_html(x) for x in (gp.help_wanted if gp else ())]
    return _card().render(
        title=goal.title,
        issue_url=(gp.url if gp and gp.url
                   else goal.tracking_issue.url if goal.tracking_issue else ""),
        issue_text=str(goal.tracking_issue) if goal.tracking_issue else "",
        progress=progress_html(gp),
        poc=", ".join(f"@{p}" for p in goal.points_of_contact) or "(none)",
        champions=champions,
        owners=owners,
        health=(str(health.health) + (f": {'; '.join(health.reasons)}" if health.reasons else ""))
        if health else "",
        tldr=comment_html(tldr.body) if tldr else "",
        help_wanted=help_items,
        summary=summary,
        comments=[CardComment(u.author, ", ".join(u.roles), u.date, u.url, comment_html(u.body))
                  for u in updates],
    ).strip() + "\n"


@dataclass(frozen=True)
class PostOptions:
    start: dt.date
    end: dt.date  # exclusive
    team: str = ""  # only goals with a champion from this team
    authors: tuple[str, ...] = ()
    team_name: str = ""
    team_url: str = ""
    newest_first: bool = False


def _in_window(u: Update, start: dt.date, end: dt.date) -> bool:
    return start.isoformat() <= u.date < end.isoformat()


def _window_updates(gp: GoalProgress | None, o: PostOptions) -> list[Update]:
    ups = [u for u in (gp.updates if gp else ()) if _in_window(u, o.start, o.end)]
    return sorted(ups, key=lambda u: u.created_at, reverse=o.newest_first)


def updates_post(
    program: Program,
    m: Milestone,
    progress: Mapping[str, GoalProgress],
    health: Mapping[str, GoalHealth],
    o: PostOptions,
) -> str:
    goals = [g for g in m.goals if g.accepted and g.lifecycle not in ("withdrawn",)]
    if o.team:
        goals = [g for g in goals if (c := g.champion_for(o.team)) is not None and c.logins]
    goals.sort(key=lambda g: (g.title.lower(), g.slug))
    month = f"{cal.month_name[o.start.month]} {o.start.year}"
    title = f"Project goals update — {month}" + (f" ({o.team} team)" if o.team else "")
    site = program.config.site_url
    tracker = program.config.tracker or next(
        (g.tracking_issue.repository for g in goals if g.tracking_issue), "")
    fm = ["+++", f'path = "{o.end:%Y/%m/%d}/project-goals-{o.start:%Y-%m}-update"',
          f'title = "{title}"', "authors = [" + ", ".join(f'"{a}"' for a in o.authors) + "]"]
    if o.team_name:
        fm += ["", "[extra]", f'team = "{o.team_name}"']
        if o.team_url:
            fm.append(f'team_url = "{o.team_url}"')
    fm.append("+++")
    roadmap_goals = [g for g in goals if all_roadmaps(g)]
    slate = f"{site}{m.name}/goals.html" if site else f"./{m.name}/goals.md"
    intro = (
        f"The {program.config.project_name} project is currently working towards a "
        f"[slate of {len(goals)} project goals]({slate}), with {len(roadmap_goals)} of them part "
        "of a roadmap. This post provides selected updates on our progress towards these goals "
        "(or, in some cases, lack thereof). The full details for any particular goal are "
        "available in its associated tracking issue"
        + (f" on the [{tracker}](https://github.com/{tracker}/issues?q=is%3Aissue%20label%3AC-tracking-issue)"
           " repository" if tracker else "") + "."
    )
    out = ["\n".join(fm), "", intro, ""]

    def card(g: Goal) -> str:
        gp = progress.get(g.key)
        return goal_card(g, gp, health.get(g.key), _window_updates(gp, o))

    def has_news(g: Goal) -> bool:
        gp = progress.get(g.key)
        return bool(_window_updates(gp, o)) or bool(gp and gp.tldr and _in_window(gp.tldr, o.start, o.end))

    placed: set[str] = set()
    if roadmap_goals:
        out += ["## Roadmap goals", ""]
        themes = sorted({t for g in roadmap_goals for t in all_roadmaps(g)}, key=str.lower)
        for theme in themes:
            out += [f'### "{md_text(theme)}"', ""]
            for g in roadmap_goals:
                if theme in all_roadmaps(g):
                    out.append(card(g))
                    placed.add(g.key)
    highlights = [g for g in goals if g.highlights and g.key not in placed and has_news(g)]
    if highlights:
        out += ["## Highlights", ""]
        for g in highlights:
            out.append(card(g))
            placed.add(g.key)
    helpers = [g for g in goals if g.key not in placed and has_news(g)
               and (p := progress.get(g.key)) is not None and p.has_help_wanted]
    if helpers:
        out += ["## Goals looking for help", ""]
        for g in helpers:
            out.append(card(g))
            placed.add(g.key)
    others = [g for g in goals if g.key not in placed and has_news(g)]
    if others:
        out += ["## Other goal updates", ""]
        out += [card(g) for g in others]
        placed.update(g.key for g in others)
    quiet = [g for g in goals if g.key not in placed]
    if quiet:
        out += ["## Goals without updates this month", "",
                "These goals had no update in the period; their owners are welcome to post one.", ""]
        for g in quiet:
            gp = progress.get(g.key)
            url = gp.url if gp and gp.url else (g.tracking_issue.url if g.tracking_issue else "")
            name = f"[{md_text(g.title)}]({url})" if safe_url(url) else md_text(g.title)
            poc = ", ".join(f"@{p}" for p in g.points_of_contact)
            out.append(f"- {name}" + (f" (point of contact {poc})" if poc else ""))
        out.append("")
    wanted: list[tuple[Goal, str]] = []
    for g in goals:
        gp = progress.get(g.key)
        wanted += [(g, item) for item in (gp.help_wanted if gp else ())]
    wanted += [(g, h.task) for g in goals for h in g.help_wanted]
    if wanted:
        out += ["## Help wanted", "", "Want to contribute? These goals asked for help:", ""]
        for g, text in wanted:
            out.append(f"- **{md_text(g.title)}**: {inline(text, 'markdown')}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
