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
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import jinja2
import nh3
import pyromark
from markupsafe import Markup, escape

from ..forge.names import is_roadmap_label
from ..model import Goal, Milestone, Program, all_roadmaps
from ..sources.book import load_book_links
from .people import name_users, people_html
from .references import team_link
from .tables import md_text

if TYPE_CHECKING:
    from ..season.health import GoalHealth
    from ..season.progress import GoalProgress, Update


#: GitHub-flavoured comments: tables, strikethrough, task lists and footnotes.
_COMMENT = (pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
            | pyromark.Options.ENABLE_TASKLISTS | pyromark.Options.ENABLE_FOOTNOTES)


def comment_html(markdown: str) -> str:
    """A comment's markdown as safe HTML, rendered by pulldown-cmark (the site's engine) and
    sanitized as GitHub does: allowed HTML such as `<details>` stays, scripts, event handlers
    and links to other schemes than http(s) and mailto are removed; a task list keeps its
    (disabled) check boxes."""
    return nh3.clean(pyromark.html(markdown, options=_COMMENT), tags=_TAGS, attributes=_ATTRIBUTES,
                     set_tag_attribute_values=_CHECKBOX, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")


_TAGS = nh3.ALLOWED_TAGS | {"input"}
_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "input": {"checked"}}
_CHECKBOX = {"input": {"type": "checkbox", "disabled": ""}}  # any input: a disabled check box


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


HELP_WANTED_BADGE = "https://img.shields.io/badge/Help%20wanted-yellow"
_BADGE_REF = re.compile(r"!\[help wanted\](?:\[\]|\([^)]*\))?", re.IGNORECASE)


def _owner_cell(owners: Sequence[str]) -> list[tuple[bool, str]]:
    """Task owners as (is the Help wanted badge, text) pairs for the card, in the reference
    tool's order: it keeps them in a sorted set of strings (code point order, so `@Zed` before
    `@amy` before `[Team]`)."""
    out: list[tuple[bool, str]] = []
    for o in sorted(dict.fromkeys(owners)):
        rest = _BADGE_REF.sub("", o).strip(" ,")
        if rest != o.strip():
            out.append((True, ""))
        if rest:
            out.append((False, rest))
    return out


def goal_card(goal: Goal, gp: GoalProgress | None, health: GoalHealth | None,
              updates: Sequence[Update], program: Program | None = None) -> str:
    """One goal's card. With `program`, people appear by display name linked to their profile
    (cells and comment bodies; "Comment by @login" stays as written), as in the published posts."""
    tldr = gp.tldr if gp else None
    n = len(updates)
    summary = ("No detailed updates available." if n == 0 else
               "1 detailed update available." if n == 1 else f"{n} detailed updates available.")
    book = load_book_links(program.root) if program is not None else None

    def who(text: str) -> Markup:  # a cell of @logins, by name where known
        return Markup(people_html(program, text, book) if program is not None else escape(text))

    def body(md: str) -> str:  # a comment's markdown, @mentions by name where known
        return comment_html(name_users(program, md, book, inline_links=True)[0]
                            if program is not None else md)

    champions = Markup(", ").join(
        Markup("{} ({})").format(_team_html(program, c.team), who(c.value))
        for c in goal.champions if c.logins)
    help_items = [body(x) for x in (gp.help_wanted if gp else ())]
    return _card().render(
        title=goal.title,
        issue_url=(gp.url if gp and gp.url
                   else goal.tracking_issue.url if goal.tracking_issue else ""),
        issue_text=str(goal.tracking_issue) if goal.tracking_issue else "",
        progress=progress_html(gp),
        poc=who(", ".join(f"@{p}" for p in goal.points_of_contact)) or ("" if goal.is_help_wanted
                                                                       else "(none)"),
        poc_help_wanted=goal.is_help_wanted,
        badge=HELP_WANTED_BADGE,
        champions=champions,
        owners=[(b, who(t)) for b, t in _owner_cell(goal.task_owners)],  # PoC among them
        health=(str(health.health) + (f": {'; '.join(health.reasons)}" if health.reasons else ""))
        if health else "",
        tldr=body(tldr.body) if tldr else "",
        help_wanted=help_items,
        summary=summary,
        comments=[CardComment(u.author, ", ".join(u.roles), u.date, u.url, body(u.body))
                  for u in updates],
    ).strip() + "\n"


def _team_html(program: Program | None, team: str) -> Markup:
    url = team_link(program, team) if program is not None else ""
    return Markup('<a href="{}">{}</a>').format(url, team) if url else Markup("{}").format(team)


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


def in_tracker_milestone(g: Goal, gp: GoalProgress | None, m: Milestone) -> bool:
    """The reference tool's rule for the post: a goal whose tracking issue sits in the tracker's
    milestone (`2025h2-goals`, or `2025h2`) is on the slate, whatever its Status row says
    (`Not accepted` goals excepted)."""
    if g.rejected or gp is None or not gp.milestone:
        return False
    return gp.milestone.strip().lower() in (m.name.lower(), f"{m.name.lower()}-goals")


def project_word(name: str) -> str:
    """"Rust" for a book titled "Rust Project Goals": the post says "The Rust project is …"."""
    return re.sub(r"(?<!\s)\s++(?:project\s++)?goals\s*$", "", name.strip(), flags=re.IGNORECASE) or name


def theme_word(m: Milestone, progress: Mapping[str, GoalProgress]) -> str:
    """"Flagship" for milestones that still speak of flagship goals, else "Roadmap".

    A milestone speaks of flagship goals when its documents use the legacy `Flagship` rows or
    statuses (2024h2-2025h2), or its tracking issues carry the `Flagship Goal` label, the
    label's name before 2026.
    """
    for g in m.goals:
        if g.status.strip().lower() in ("flagship", "proposed for flagship"):
            return "Flagship"
        if any(r.key.strip().lower() == "flagship" for r in g.metadata):
            return "Flagship"
        gp = progress.get(g.key)
        if gp is not None and any("flagship" in lb.lower() for lb in gp.labels):
            return "Flagship"
    return "Roadmap"


def _labelled(gp: GoalProgress | None) -> bool:
    return gp is not None and any(is_roadmap_label(lb) for lb in gp.labels)


def _themes(g: Goal, gp: GoalProgress | None, by_label: bool) -> tuple[str, ...]:
    """The goal's themes in the post ("" = not a roadmap goal).

    Once the milestone's tracking issues carry the roadmap label (`Roadmap Goal`, formerly
    `Flagship Goal`), the label says which goals are roadmap goals, as in the reference tool:
    a document's stray `flagship` row does not make a fifth theme. Their themes come from the
    documents; a labelled goal without one goes under "Other". Before any label is synced, the
    documents' `Roadmap`/`Flagship` rows decide.
    """
    if by_label:
        return (all_roadmaps(g) or ("Other",)) if _labelled(gp) else ()
    return all_roadmaps(g)


def updates_post(
    program: Program,
    m: Milestone,
    progress: Mapping[str, GoalProgress],
    health: Mapping[str, GoalHealth],
    o: PostOptions,
) -> str:
    """The post: every accepted goal gets its card, under its theme, looking for help, or other."""
    goals = [g for g in m.goals if (g.accepted or in_tracker_milestone(g, progress.get(g.key), m))
             and g.lifecycle not in ("withdrawn",)]
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
    word = theme_word(m, progress)
    by_label = any(_labelled(progress.get(g.key)) for g in m.goals)
    themed = {g.key: _themes(g, progress.get(g.key), by_label) for g in goals}
    roadmap_goals = [g for g in goals if themed[g.key]]
    slate = f"{site}{m.name}/goals.html" if site else f"./{m.name}/goals.md"
    intro = (
        f"The {project_word(program.config.project_name)} project is currently working towards a "
        f"[slate of {len(goals)} project goals]({slate}), with {len(roadmap_goals)} of them "
        f"designated as [{word} Goals]({slate}#{word.lower()}-goals). This post provides "
        "selected updates on our progress towards these goals "
        "(or, in some cases, lack thereof). The full details for any particular goal are "
        "available in its associated tracking issue"
        + (f" on the [{tracker}](https://github.com/{tracker}/issues?q=is%3Aissue%20label%3AC-tracking-issue)"
           " repository" if tracker else "") + "."
    )
    out = ["\n".join(fm), "", intro, ""]

    def card(g: Goal) -> str:
        gp = progress.get(g.key)
        return goal_card(g, gp, health.get(g.key), _window_updates(gp, o), program)

    placed: set[str] = set()
    if roadmap_goals:
        out += [f"## {word} goals", ""]
        themes = sorted({t for g in roadmap_goals for t in themed[g.key]}, key=str.lower)
        for theme in themes:
            out += [f'### "{md_text(theme)}"', ""]
            for g in roadmap_goals:
                if theme in themed[g.key]:
                    out.append(card(g))
                    placed.add(g.key)
    helpers = [g for g in goals if g.key not in placed
               and (p := progress.get(g.key)) is not None and p.has_help_wanted]
    out += ["## Goals looking for help", ""]
    for g in helpers:
        out.append(card(g))
        placed.add(g.key)
    out += ["<br>", ""]
    others = [g for g in goals if g.key not in placed]
    if others:
        out += ["## Other goal updates", ""]
        out += [card(g) for g in others]
    return "\n".join(out).rstrip() + "\n"
