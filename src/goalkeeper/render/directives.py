"""Expansion of `(((DIRECTIVE)))` markers in milestone pages.

Compatible with the Rust program's `mdbook-goals` preprocessor (same directives, columns and
filters; see docs/directives.md), with two deliberate differences: every occurrence of a
directive is replaced (the reference replaces some only once per page), and every ordering is
deterministic (the reference's team-ask rows follow the file system's directory order).

A directive sees the goals and roadmaps of the milestone its page sits in, as :func:`listing`
gives them (a goal's Summary section, not its other sections), and the program's configuration:
nothing else, so that `goalkeeper serve` can keep a page's expansion while these are unchanged
(a save of a goal's body elsewhere does not expand every milestone page again). Markers inside
code fences and inline code spans are left alone.
"""

from __future__ import annotations

import re
from _thread import allocate_lock  # (threading itself is a millisecond to import)
from collections.abc import Callable
from typing import TypeVar

from .. import records
from ..model import Goal, Milestone, Program, Roadmap
from ..sources import blocks, legacy, markdown
from ..sources.documents import DIRECTIVE_RE, is_known_directive
from . import funding, goal_tables, legacy_tables, roadmap_tables, team_asks
from .page_context import Context, Handler


def expand(program: Program, page_path: str, text: str, *, absolute_links: bool = False) -> str:
    """Return `text` (the markdown of the page at `page_path`, relative to the program root)
    with every directive replaced by generated markdown. Links to goals point at the `.md`
    source files (relative), or with `absolute_links` at the published site (`site_url`)."""
    e = expansion(program, page_path, text, absolute_links=absolute_links)
    return e.source if e.lines is None else "\n".join(e.lines)


class Expansion:
    """A page's expansion (a plain class: a NamedTuple costs the import a quarter millisecond)."""

    __slots__ = ("lines", "outline", "source")

    def __init__(self, source: str, lines: list[str] | None, outline: blocks.Outline | None) -> None:
        self.source = source  # the page's text, old-style directives made new (`legacy.modernize`)
        self.lines = lines  # for each line of `source`, that line or what replaced it; None when
        # `source` holds no directive
        self.outline = outline  # `blocks.outline(source)` when it holds one


def expansion(program: Program, page_path: str, text: str, *, absolute_links: bool = False) -> Expansion:
    """What :func:`expand` does, line by line: for callers that want to know where the
    generated markdown went (see `blocks.outline_replaced`)."""
    found = _milestone_of(program, page_path)
    ctx = Context(program, listing(found) if found else None, page_path, absolute_links)
    if "<!--" in text:  # directives written as HTML comments, before August 2025
        text = legacy.modernize(text, lambda: markdown.parse(text), is_known_directive)
    if "(((" not in text:
        return Expansion(text, None, None)
    outline = blocks.outline(text)
    code = outline[0]
    out: list[str] = []
    for idx, line in enumerate(blocks.lines(text), start=1):  # (split once: the RFC asks again)
        if "(((" not in line or idx in code:
            out.append(line)
            continue
        stripped = line.strip()
        rows = ROW_DIRECTIVE_RE.match(stripped)
        if rows:
            out.append(roadmap_tables.roadmap_rows(ctx, rows[1].strip()))
            continue
        out.append(_expand_line(ctx, line))
    return Expansion(text, out, outline)


ROW_DIRECTIVE_RE = re.compile(r"^\|\s*\(\(\(ROADMAP ROWS:\s*(.+?)\)\)\)\s*\|(?:\s*\|)*$")


_Item = TypeVar("_Item", Goal, Roadmap)
#: the listings last made, by milestone folder: (milestone, listing, its goals' and roadmaps'
#: listings by id), so the preview's loads, which share the goals of unchanged files, project
#: only the changed ones; only the latest milestone of each folder is held
_listings: dict[str, tuple[Milestone, Milestone, dict[int, tuple[object, object]]]] = {}
_listings_lock = allocate_lock()


def listing(m: Milestone) -> Milestone:
    """What directives see of milestone `m`: its goals with their Summary section only (the
    tables show a goal's summary, never its other sections), its roadmaps without sections, no
    pages. Equal listings give equal expansions (with the same page text and configuration)."""
    with _listings_lock:
        hit = _listings.get(m.path)
        if hit is not None and hit[0] is m:
            return hit[1]
        known = hit[2] if hit is not None else {}
        items: dict[int, tuple[object, object]] = {}

        def listed(item: _Item, make: Callable[[_Item], _Item]) -> _Item:
            was = known.get(id(item))
            out: _Item = was[1] if was is not None and was[0] is item else make(item)  # type: ignore[assignment]
            items[id(item)] = (item, out)  # (the item is held: its id is not reused meanwhile)
            return out

        goals = tuple(listed(g, lambda g: records.replace(g, sections=tuple(
            s for s in g.sections if s.title.lower() == "summary")[:1])) for g in m.goals)
        roadmaps = tuple(listed(r, lambda r: records.replace(r, sections=())) for r in m.roadmaps)
        out = Milestone(m.name, m.path, goals, roadmaps, accepted_by=m.accepted_by)
        _listings.pop(m.path, None)
        if len(_listings) >= 64:
            del _listings[next(iter(_listings))]  # the least recently made
        _listings[m.path] = (m, out, items)
        return out


def _milestone_of(program: Program, page_path: str) -> Milestone | None:
    parts = page_path.split("/")
    for p in reversed(parts[:-1]):
        m = program.milestone(p)
        if m is not None:
            return m
    return None


def _expand_line(ctx: Context, line: str) -> str:
    def replace(m: re.Match[str]) -> str:
        if line.count("`", 0, m.start()) % 2:
            return m[0]  # inside an inline code span
        name = m[1].strip()
        return render_directive(ctx, name) if known(name) else m[0]

    return DIRECTIVE_RE.sub(replace, line)


# --------------------------------------------------------------------------- dispatch


def known(name: str) -> bool:
    return _lookup(name) is not None


def render_directive(ctx: Context, name: str) -> str:
    found = _lookup(name)
    if found is None:
        return f"((({name})))"
    fn, arg = found
    return fn(ctx, arg).rstrip("\n")


def _lookup(name: str) -> tuple[Handler, str] | None:
    """The handler of directive `name` and its argument (after `NAME:`, stripped; "" if none)."""
    fn = _PLAIN.get(name)
    if fn is not None:
        return fn, ""
    head, colon, arg = name.partition(":")
    fn = _WITH_ARGUMENT.get(head) if colon else None
    if fn is None or not arg or "\n" in name:  # (a name is one line, as DIRECTIVE_RE finds it)
        return None
    return fn, arg.strip()


def _remove(_ctx: Context, _arg: str) -> str:
    return ""  # chapters become navigation entries in the site


def _reports(_ctx: Context, _arg: str) -> str:
    # what to run when nothing is synced is said in the site's page source, not to its readers
    return ("This section contains automatically generated reports based on the comments left in "
            "the goal tracking issues.")


#: directives without an argument, by name (the last two are 2025's placeholders in a goal's
#: metadata table)
_PLAIN: dict[str, Handler] = {
    "#GOALS": goal_tables.count_goals,
    "#ROADMAP GOALS": goal_tables.count_roadmap_goals,
    "#FLAGSHIP GOALS": goal_tables.count_roadmap_goals,
    "GOALS": goal_tables.all_goals,
    "ROADMAP GOALS": goal_tables.roadmap_goals,
    "FLAGSHIP GOALS": goal_tables.roadmap_goals,
    "OTHER GOALS": goal_tables.other_goals,
    "GOALS NOT ACCEPTED": goal_tables.not_accepted,
    "LARGE GOALS": goal_tables.sized("Large"),
    "MEDIUM GOALS": goal_tables.sized("Medium"),
    "SMALL GOALS": goal_tables.sized("Small"),
    "TEAM ASKS": team_asks.team_asks,
    "VALID TEAM ASKS": team_asks.valid_team_asks,
    "CHAMPIONS": team_asks.champions,
    "ROADMAPS": roadmap_tables.roadmap_table,
    "APPLICATION AREAS": roadmap_tables.application_areas,
    "ROADMAP CHAPTERS": _remove,
    "GOAL CHAPTERS": _remove,
    "FUNDING TABLE": funding.funding_table,
    "FUNDING TABLE GROUPED": funding.funding_grouped,
    "FUNDING TABLE GROUPED BY GOAL": funding.funding_grouped,
    "FUNDING TABLE GROUPED BY POC": funding.funding_by_poc,
    "FUNDING LEGEND": funding.funding_legend,
    "REPORTS": _reports,
    "TEAMS WITH ASKS": legacy_tables.teams_with_asks,
    "TASK OWNERS": legacy_tables.task_owners,
}

#: directives written `NAME: argument`, by name (any spaces after the colon are not part of the
#: argument, which is not empty)
_WITH_ARGUMENT: dict[str, Handler] = {
    "ROADMAP GOALS": goal_tables.roadmap_goals,
    "FLAGSHIP GOALS": goal_tables.roadmap_goals,
    "ROADMAPS": roadmap_tables.roadmap_table,
    "ROADMAP ROWS": roadmap_tables.roadmap_rows,
    "HIGHLIGHT GOALS": roadmap_tables.highlight_goals,
    "HIGHLIGHT TABLE": roadmap_tables.highlight_table,
    "HIGHLIGHT CREDITS": roadmap_tables.highlight_credits,
    "GOALS WITH NEEDS": funding.goals_with_needs,
    "FUNDING TABLE": funding.funding_table,
    "REPORTS": _reports,
    "GOALS WITH STATUS": goal_tables.goals_with_status,  # 2024's `<!-- GOALS 'A,B' -->`
}
