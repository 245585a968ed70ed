"""The program manager's monthly update (`goalkeeper report --month YYYY-MM`).

A draft in the shape of the published "Program management update" posts: front matter, the goals
program (phase, counts, status changes), one section per initiative (meetings of its series,
tracking-issue highlights of its goals), "Worth a look" links from feeds, and the minutes
statistics. Sections without data are left out; the prose is for a person to add. The
configuration, ``[report]`` in goalkeeper.toml, is read by :mod:`.report_config`.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..forge.records import RemoteIssue
from ..model import Meeting, Program
from ..sources.feeds import FeedResult
from ..sources.minutes.config import Series
from ..sources.minutes.stats import MonthStats, month_stats, short_number, spellings
from .report_config import Initiative, ReportConfig, StatsConfig, report_config
from .report_data import (
    Draft,
    GoalChange,
    InitiativeSection,
    feed_groups,
    initiative_section,
    month_name,
    phase_lines,
    site_links,
    slate,
)
from .tables import md_text, safe_url

if TYPE_CHECKING:
    from ..season.progress import GoalProgress

MAX_TOPICS = 12  # per meeting in the draft; --json has them all

__all__ = [
    "Initiative",
    "ReportConfig",
    "StatsConfig",
    "month_bounds",
    "program_report",
    "report_config",
    "report_stats",
    "status_changes",
    "team_namer",
]


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """[first day, first day of the next month) of a strict YYYY-MM month."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", month.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValueError(f"--month {month!r} is not a month in YYYY-MM form")
    y, mo = int(m[1]), int(m[2])
    start = dt.date(y, mo, 1)
    end = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return start, end


def status_changes(program: Program, since: dt.date, until: dt.date, *, created: bool = False
                   ) -> list[tuple[str, str, str]]:
    """(goal key, status then, status at the end) for goals whose Status row changed between the
    last commits before `since` and before `until`, read from the repository's git history;
    empty when the program is not in a git repository or has no history that old. With
    `created`, goals whose document did not exist at `since` are included with status ""."""
    root = program.root

    def git(*args: str, data: bytes | None = None) -> bytes:
        try:
            return subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True,
                                  timeout=60, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return b""

    def rev_before(day: dt.date) -> str:
        return git("rev-list", "-1", f"--before={day.isoformat()}T00:00:00", "HEAD").decode().strip()

    top = git("rev-parse", "--show-toplevel").decode().strip()
    start, end = rev_before(since), rev_before(until)
    if not top or not start or not end or start == end:
        return []
    prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    goals = program.goals

    def statuses(rev: str) -> list[str]:
        out = git("cat-file", "--batch",
                  data="".join(f"{rev}:{prefix}{g.path}\n" for g in goals).encode())
        found, pos = [], 0
        for _ in goals:
            nl = out.find(b"\n", pos)
            header = out[pos:nl].decode(errors="replace").split()
            if nl < 0 or len(header) < 3 or header[1] == "missing":
                found.append("")
                pos = nl + 1
                continue
            size = int(header[2])
            body = out[nl + 1: nl + 1 + size].decode("utf-8", errors="replace")
            pos = nl + 1 + size + 1
            m = re.search(r"^\|\s*Status\s*\|\s*([^|]*?)\s*\|", body, re.M)
            found.append(m[1] if m else "")
        return found

    return [(g.key, a, b) for g, a, b in zip(goals, statuses(start), statuses(end), strict=True)
            if (a or created) and b and a.lower() != b.lower()]


@dataclass(frozen=True)
class ReportInputs:
    """Everything a draft is made from besides the program and its configuration."""

    meetings: tuple[Meeting, ...] = ()
    series: tuple[Series, ...] = ()
    people: tuple[tuple[str, ...], ...] = ()  # spelling groups ([minutes.people], [people])
    feeds: FeedResult | None = None
    worth_since: dt.date | None = None  # default: the month's first day
    worth_until: dt.date | None = None  # default: the next month's first day
    progress: Mapping[str, GoalProgress] | None = None
    changes: tuple[tuple[str, str, str], ...] = ()  # (goal key, status then or "", status now)
    watched: Callable[[str, int], RemoteIssue | None] = field(default=lambda repo, n: None)
    proposals: Any = None
    notes: tuple[str, ...] = ()


def build_draft(program: Program, month: str, cfg: ReportConfig, inputs: ReportInputs) -> Draft:
    """Every fact of the month's update (see :class:`~.report_data.Draft`)."""
    start, end = month_bounds(month)
    title = f"Program management update — {month_name(start)}"
    slug = f"program-management-update-{start:%Y-%m}"
    titles = {g.key: g.title for g in program.goals}
    changes = tuple(GoalChange(k, titles.get(k, k), a, b) for k, a, b in inputs.changes)
    current, upcoming = phase_lines(program, start, end)
    sections = tuple(
        initiative_section(program, cfg, c, start, end, meetings=inputs.meetings,
                           series=inputs.series, progress=inputs.progress, changes=changes,
                           watched=inputs.watched)
        for c in cfg.initiatives)
    notes = list(inputs.notes)
    for sec in sections:
        notes += sec.notes
    return Draft(
        month=month, title=title, path=f"inside-rust/{end:%Y/%m/%d}/{slug}",
        authors=cfg.authors, team=cfg.team, team_url=cfg.team_url,
        phases=current, next_phases=upcoming, links=site_links(program), slate=slate(program),
        proposals=inputs.proposals, changes=changes, initiatives=sections,
        worth_since=inputs.worth_since or start, worth_until=inputs.worth_until or end,
        worth=feed_groups(inputs.feeds),
        stats=report_stats(program, cfg, inputs.meetings, start, end, inputs.people),
        sections=cfg.sections, notes=tuple(notes),
    )


def program_report(program: Program, month: str, cfg: ReportConfig, inputs: ReportInputs) -> str:
    """The month's update as markdown (see :func:`render_draft`)."""
    return render_draft(build_draft(program, month, cfg, inputs))


def _link(text: str, url: str) -> str:
    return f"[{md_text(text)}]({url})" if safe_url(url) else md_text(text)


def _comment(text: str) -> str:
    return text.replace("--", "- -").replace(">", "&gt;")


def _day(d: dt.date) -> str:
    return f"{d.day} {cal.month_name[d.month]}"


def _span(a: dt.date, b: dt.date) -> str:
    if (a.year, a.month) == (b.year, b.month):
        return month_name(a)
    if a.year == b.year:
        return f"{cal.month_name[a.month]} to {month_name(b)}"
    return f"{month_name(a)} to {month_name(b)}"


def _phases(d: Draft) -> list[str]:
    out = [f"- {p.milestone}: {md_text(p.phase)} ({p.start:%-d %B} – {p.end:%-d %B %Y})"
           for p in d.phases]
    if d.next_phases:
        by_span: dict[str, list[str]] = {}
        for p in d.next_phases:
            by_span.setdefault(_span(p.start, p.end), []).append(f"{md_text(p.phase)} of {p.milestone}")
        nxt = "; ".join(f"{'in ' if ' to ' not in span else ''}{span}, {' and '.join(what)}"
                        for span, what in by_span.items())
        out.append(f"- Next: {nxt}.")
    return out


def _initiative(sec: InitiativeSection) -> list[str]:
    out = [f"## {md_text(sec.name)}", "", f"<!-- write: what happened in {_comment(sec.name)} -->", ""]
    if sec.contacts:
        out += ["Point of contact: " + ", ".join(f"@{md_text(x)}" for x in sec.contacts), ""]
    if sec.meetings_per_series:
        counts = ", ".join(f"{md_text(n)}: {k}" for n, k in sec.meetings_per_series)
        out += [f"Meetings held: {counts}.", ""]
    for m in sec.meetings:
        head = _link(f"{_day(m.date)}: {m.title}", m.url)
        who = f" ({len(m.attendees)} attended: {md_text(', '.join(m.attendees))})" if m.attendees else ""
        out.append(f"- {head}{who}")
        if m.topics:
            shown = list(m.topics[:MAX_TOPICS])
            more = f"; and {len(m.topics) - MAX_TOPICS} more" if len(m.topics) > MAX_TOPICS else ""
            out.append(f"  - Topics: {'; '.join(md_text(t) for t in shown)}{more}")
        for a in m.actions:
            owner = md_text(a.owner) if a.owner else "no owner named"
            out.append(f"  - Action ({owner}): {md_text(a.text)}")
    if sec.meetings:
        out.append("")
    if sec.updates:
        out += ["Tracking-issue updates:", ""]
        for u in sec.updates:
            what = "TL;DR" if u.tldr else f"update by @{md_text(u.author)}"
            more = f", {u.updates} updates this month" if u.updates > 1 else ""
            out.append(f"- {_link(u.title, u.goal_url)}: {md_text(u.text)} "
                       f"({_link(what + ', ' + u.date, u.url)}{more})")
        out.append("")
    if sec.goals:
        out += ["Goals:", ""]
        out += [f"- {md_text(g.title)}: {'created' if not g.then else 'accepted'}"
                + (f" ({md_text(g.now)})" if not g.then else "") for g in sec.goals]
        out.append("")
    changed = [w for w in sec.watched if w.events]
    if changed:
        out += ["Watched:", ""]
        for w in changed:
            evs = "; ".join(f"{e.what}{f' ({e.disposition})' if e.disposition else ''} on {e.date}"
                            for e in w.events)
            out.append(f"- {_link(w.title or w.ref, w.url)} ({w.ref}): {md_text(evs)}")
        out.append("")
    return out


def render_draft(d: Draft) -> str:
    """Markdown in the shape of the published updates; facts only, `<!-- write: ... -->` where
    prose is expected, `<!-- note: ... -->` for what goalkeeper could not read."""
    fm = ["+++", f'path = "{d.path}"', f'title = "{d.title}"',
          "authors = [" + ", ".join(f'"{_toml(a)}"' for a in d.authors) + "]"]
    if d.team:
        fm += ["", "[extra]", f'team = "{_toml(d.team)}"']
        if d.team_url:
            fm.append(f'team_url = "{_toml(d.team_url)}"')
    fm.append("+++")
    out = ["\n".join(fm), f"# {d.title}", ""]

    goals_part = _phases(d)
    if d.slate:
        s = d.slate
        goals_part.append(
            f"- The {s.milestone} slate: {s.accepted} accepted goal{'s' * (s.accepted != 1)}, "
            f"{s.proposed} proposal{'s' * (s.proposed != 1)} still open, {s.roadmaps} "
            f"roadmap{'s' * (s.roadmaps != 1)}, {s.highlights} highlight"
            f"{'s' * (s.highlights != 1)}.")
        goals_part += [f"- {md_text(t)}: {md_text(life)}." for t, life in s.lifecycle]
    if d.proposals is not None:
        goals_part += d.proposals.report_lines()
    goals_part += [f"- `{c.goal}` changed status: {md_text(c.then)} → {md_text(c.now)}."
                   for c in d.changes if c.then]
    if d.links:
        goals_part.append("- " + " · ".join(_link(x.title, x.url) for x in d.links))
    if goals_part:
        out += ["## Project goals", "", "<!-- write: where the program stands -->", "",
                *goals_part, ""]

    for sec in d.initiatives:
        out += _initiative(sec)

    for heading in d.sections:
        out += [f"## {md_text(heading)}", "", f"<!-- write: {_comment(heading)} -->", ""]

    if d.worth:
        out += ["## Worth a look", "",
                f"<!-- posts published since {d.worth_since}, oldest first -->", ""]
        for g in d.worth:
            out += [f"### {md_text(g.title)}", ""]
            out += [f"* {_link(i.title or '(untitled)', i.url)}" for i in g.items]
            out.append("")

    st = d.stats
    if st is not None:
        start = month_bounds(d.month)[0]
        out += ["## Stats", "",
                f"Total words of meeting minutes written: {short_number(st.total_words)} "
                f"({month_name(st.since)}–{month_name(start)})", ""]
        if st.attended is not None:
            out += [f"Meetings attended: {st.attended}", ""]
        out += [f"Total words of meeting minutes written ({cal.month_name[start.month]}): "
                f"{short_number(st.month_words)}", ""]
        if st.teams:
            out += ["Average (mean) word count per team meeting:", ""]
            out += [f"* {md_text(t.name)}: {short_number(t.mean)}" for t in st.teams]
            out.append("")
    if d.notes:
        out += [f"<!-- note: {_comment(n)} -->" for n in d.notes]
    return "\n".join(out).rstrip() + "\n"


def _toml(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')

def team_namer(program: Program, cfg: StatsConfig) -> dict[str, str]:
    """Team -> display name: `[report.stats] names`, else the team data's (or `[teams.<name>]`'s)
    name, else the team's own name."""
    out = {t: (team.display_name or t) for t, team in program.teams.items()}
    out.update(dict(cfg.names))
    return out


def report_stats(program: Program, cfg: ReportConfig, meetings: tuple[Meeting, ...],
                 start: dt.date, end: dt.date, people: tuple[tuple[str, ...], ...] = ()
                 ) -> MonthStats | None:
    """The Stats section's figures for the month [start, end) (see :func:`month_stats`)."""
    names = team_namer(program, cfg.stats)
    return month_stats(
        meetings, start, end,
        since=month_bounds(cfg.stats_since)[0] if cfg.stats_since else None,
        person=spellings(cfg.person, people) if cfg.person else (),
        scribes=spellings(cfg.stats.scribes, people),
        unsigned=cfg.stats.unsigned,
        teams=cfg.stats.teams,
        names=lambda t: names.get(t, t),
    )
