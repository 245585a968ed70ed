"""The reports pages of the published site, from the synced data: a page holding
`(((REPORTS)))`, `(((REPORTS: YYYY-MM-DD)))` or `(((REPORTS: A to B)))` gets, as mdbook-goals
gives it, one "<Month> Blog Post" page per month of the range (newest first;
`blog-post-YYYY-MM.html` beside it), and for each team that champions a goal of the milestone a
"<team> Team Reports" page (`<team>/index.html`) with its "Recent updates" of the last 90 days
(`<team>/recent-updates.html`). Without synced data there are no such pages, and the reports
page's source (not its text) says what to run.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..constants import CACHE_DIR, DB_NAME
from ..errors import GoalkeeperError
from ..model import Milestone, Program
from . import urls

_RANGE = re.compile(r"^\s*+(\d{4}-\d{2}-\d{2})?\s*+(?:to\s++(\d{4}-\d{2}-\d{2}))?\s*$")  # linear
RECENT_DAYS = 90


@dataclass(frozen=True, slots=True)
class ReportPage:
    url: str
    title: str
    parent: str  # the URL of the page it sits under in the navigation
    milestone: str
    source: str  # the reports document (root-relative), links resolve from it
    kind: str  # "month", "team" or "recent"
    start: dt.date
    end: dt.date  # exclusive
    team: str = ""


def _month(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _next_month(d: dt.date) -> dt.date:
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def synced(root: Path) -> bool:
    """Whether `goalkeeper sync` has stored forge data for the program at `root` (checked
    without importing the store: a site without synced data needs none of it)."""
    return (root / CACHE_DIR / DB_NAME).is_file()


def plan(program: Program, page_urls: dict[str, str], today: dt.date) -> list[ReportPage]:
    """The report pages to make (none before anything was synced). `page_urls` maps each
    document path to its URL."""
    if not synced(program.root):
        return []
    out: list[ReportPage] = []
    for m in program.milestones:
        for p in m.pages:
            url = page_urls.get(p.path)
            arg = next((d.split(":", 1)[1] if ":" in d else "" for d, _ in p.directives
                        if d.strip().upper().split(":")[0].strip() == "REPORTS"), None)
            if url is None or arg is None:
                continue
            match = _RANGE.match(arg)
            if match is None:
                continue  # `check` reports a bad directive
            try:
                start = dt.date.fromisoformat(match[1]) if match[1] else _month(today)
                end = dt.date.fromisoformat(match[2]) if match[2] else today
            except ValueError:
                continue
            out += _pages(m, p.path, url, start, end, today)
    return out


def _pages(m: Milestone, source: str, url: str, start: dt.date, end: dt.date,
           today: dt.date) -> list[ReportPage]:
    folder = posixpath.dirname(url)
    at = posixpath.join if folder else (lambda _f, name: name)
    out: list[ReportPage] = []
    month = _month(end)
    while month >= _month(start):
        name = f"{cal.month_name[month.month]} {month.year}"
        out.append(ReportPage(at(folder, f"blog-post-{month:%Y-%m}.html"), f"{name} Blog Post", url,
                              m.name, source, "month", month, _next_month(month)))
        month = _month(month - dt.timedelta(days=1))
    teams = sorted({c.team for g in m.goals if g.accepted for c in g.champions if c.logins})
    for team in teams:
        slug = urls.team_url(team).removeprefix("teams/").removesuffix(".html")
        index = at(folder, f"{slug}/index.html")
        out.append(ReportPage(index, f"{team} Team Reports", url, m.name, source, "team",
                              today, today, team))
        out.append(ReportPage(at(folder, f"{slug}/recent-updates.html"), "Recent updates", index,
                              m.name, source, "recent", today - dt.timedelta(days=RECENT_DAYS),
                              today + dt.timedelta(days=1), team))
    return out


def markdown(program: Program, page: ReportPage, children: list[ReportPage]) -> str:
    """The markdown of a report page (the monthly post or a team's recent updates)."""
    if page.kind == "team":
        # links in a report resolve from the reports page (its document is their source)
        base = posixpath.dirname(page.parent) or "."
        links = "\n".join(f"- [{c.title}]({posixpath.relpath(c.url, base)})" for c in children)
        return f"# {page.title}\n\n{links}\n"
    from ..config import raw_config
    from ..render.report_config import report_config
    from ..render.updates_post import PostOptions, updates_post
    from ..season.health import health_for, health_rules
    from ..season.progress import progress_for
    from ..season.store import Store

    m = program.milestone(page.milestone)
    if m is None:
        return f"# {page.title}\n"
    where = str(program.config.path or program.root)
    try:
        raw: dict[str, Any] = raw_config(program.config)
        rules, cfg = health_rules(raw, where), report_config(raw, where)
        with Store.open(Store.default_path(program.root), readonly=True) as store:
            progress = progress_for(program, store, since=page.start.isoformat(),
                                    until=page.end.isoformat())
    except (GoalkeeperError, OSError) as e:
        return f"# {page.title}\n\nThe synced data cannot be read ({e}).\n"
    health = health_for(program, progress, rules, page.end - dt.timedelta(days=1), m.name)
    text = updates_post(program, m, progress, health, PostOptions(
        page.start, page.end, page.team, cfg.authors, cfg.team, cfg.team_url,
        newest_first=page.kind == "recent"))
    if text.startswith("+++"):  # the blog's front matter
        text = text.split("\n+++", 1)[-1].lstrip("\n")
    return f"# {page.title}\n\n{text}"
