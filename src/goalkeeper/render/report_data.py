"""The monthly update as data: every fact the draft carries, before it becomes markdown.

:func:`build_draft` gathers them from the program, the minutes, the feeds, the synced tracking
issues and watched items; :mod:`.report` renders the markdown, and ``report --json`` prints
:func:`draft_json` of the same :class:`Draft`.
"""

from __future__ import annotations

import calendar as cal
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..calendar import PHASE_TITLES, program_windows
from ..forge.records import RemoteIssue
from ..model import Meeting, Program, all_roadmaps
from ..sources.feeds import FeedResult
from ..sources.minutes.config import Series
from ..sources.minutes.stats import MonthStats
from ..sources.minutes.topics import ActionItem, topics_and_actions
from .report_config import Initiative, ReportConfig

if TYPE_CHECKING:
    from ..season.progress import GoalProgress


@dataclass(frozen=True, slots=True)
class PhaseLine:
    milestone: str
    phase: str  # "proposals", "team feedback", "RFC", "implementation", "retrospective"
    start: dt.date
    end: dt.date  # inclusive


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Slate:
    milestone: str
    accepted: int
    proposed: int  # goal documents not (yet) accepted
    roadmaps: int
    highlights: int
    lifecycle: tuple[tuple[str, str], ...] = ()  # (goal title, paused/completed/withdrawn)


@dataclass(frozen=True, slots=True)
class GoalChange:
    goal: str  # key
    title: str
    then: str  # "" when the document did not exist at the month's start
    now: str


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    date: dt.date
    title: str
    team: str
    series: str
    path: str
    url: str
    attendees: tuple[str, ...]
    topics: tuple[str, ...]
    actions: tuple[ActionItem, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GoalUpdate:
    goal: str
    title: str
    goal_url: str
    tldr: bool  # the text is the goal's TL;DR (else the newest update's first paragraph)
    text: str
    author: str
    date: str
    url: str
    updates: int  # updates posted this month


@dataclass(frozen=True, slots=True)
class WatchEvent:
    date: str  # YYYY-MM-DD
    what: str  # "opened", "merged", "closed", "reopened"? "FCP proposed", "FCP started", ...
    disposition: str = ""  # merge, close, postpone (FCP events)


@dataclass(frozen=True, slots=True)
class Watched:
    ref: str  # owner/repo#number, as configured
    title: str
    url: str
    state: str  # OPEN, CLOSED, MERGED; "" when not synced
    events: tuple[WatchEvent, ...]


@dataclass(frozen=True, slots=True)
class InitiativeSection:
    name: str
    meetings: tuple[MeetingFacts, ...]
    meetings_per_series: tuple[tuple[str, int], ...]
    updates: tuple[GoalUpdate, ...]
    goals: tuple[GoalChange, ...]  # goals of its roadmaps/goals created or accepted
    watched: tuple[Watched, ...]
    notes: tuple[str, ...]
    contacts: tuple[str, ...] = ()  # points of contact of its roadmaps and named goals (logins)


@dataclass(frozen=True, slots=True)
class FeedGroup:
    title: str
    items: tuple[Link, ...]
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class Draft:
    month: str
    title: str
    path: str
    authors: tuple[str, ...]
    team: str
    team_url: str
    phases: tuple[PhaseLine, ...]
    next_phases: tuple[PhaseLine, ...]
    links: tuple[Link, ...]
    slate: Slate | None
    proposals: Any  # a ProposalSummary (see goalkeeper.season.proposals) or None
    changes: tuple[GoalChange, ...]
    initiatives: tuple[InitiativeSection, ...]
    worth_since: dt.date
    worth_until: dt.date
    worth: tuple[FeedGroup, ...]
    stats: MonthStats | None
    sections: tuple[str, ...]
    notes: tuple[str, ...]


def month_name(d: dt.date) -> str:
    return f"{cal.month_name[d.month]} {d.year}"


# --------------------------------------------------------------------------------------------
# Watched items: references and the state changes rfcbot and the forge leave

_REF = re.compile(r"^\s*(?:https?://github\.com/)?([\w.-]+)/([\w.-]+)(?:#|/(?:issues|pull)/)(\d+)\s*/?$")
_PROPOSED = re.compile(r"has proposed to \**(merge|close|postpone)\b", re.I)
_STARTED = re.compile(r"now entering its final comment period", re.I)
_FINISHED = re.compile(r"final comment period, with a disposition to \**(merge|close|postpone)\**"
                       r".*?is now \**complete", re.I | re.S)
_CANCELLED = re.compile(r"^[ \t]*+@?\w*[ \t]*proposal cancell?ed", re.I | re.M)
RFCBOTS = frozenset({"rfcbot", "rust-rfcbot", "rfcbot[bot]"})


def parse_ref(text: str) -> tuple[str, int] | None:
    """("owner/repo", number) of `owner/repo#12` or a GitHub issue/pull URL; None otherwise."""
    m = _REF.match(text)
    return (f"{m[1]}/{m[2]}", int(m[3])) if m else None


def watch_events(issue: RemoteIssue, start: dt.date, end: dt.date) -> tuple[WatchEvent, ...]:
    """What happened to `issue` in [start, end), oldest first: opened, merged or closed (from
    its state and dates), and the final comment period's steps from rfcbot's comments."""
    lo, hi = start.isoformat(), end.isoformat()

    def within(when: str) -> bool:
        return bool(when) and lo <= when[:10] < hi

    out: list[WatchEvent] = []
    if within(issue.created_at):
        out.append(WatchEvent(issue.created_at[:10], "opened"))
    for c in issue.comments:
        if c.author.lower() not in RFCBOTS or not within(c.created_at):
            continue
        if (m := _PROPOSED.search(c.body)):
            out.append(WatchEvent(c.created_at[:10], "FCP proposed", m[1].lower()))
        elif (m := _FINISHED.search(c.body)):
            out.append(WatchEvent(c.created_at[:10], "FCP finished", m[1].lower()))
        elif _STARTED.search(c.body):
            disp = next((lb.split("-", 1)[1] for lb in issue.labels
                         if lb.lower().startswith("disposition-")), "")
            out.append(WatchEvent(c.created_at[:10], "FCP started", disp))
        elif _CANCELLED.search(c.body):
            out.append(WatchEvent(c.created_at[:10], "FCP cancelled"))
    if issue.state.upper() != "OPEN" and within(issue.closed_at):
        out.append(WatchEvent(issue.closed_at[:10],
                              "merged" if issue.state.upper() == "MERGED" else "closed"))
    return tuple(sorted(out, key=lambda e: e.date))


# --------------------------------------------------------------------------------------------
# The pieces


def phase_lines(program: Program, start: dt.date, end: dt.date
                ) -> tuple[tuple[PhaseLine, ...], tuple[PhaseLine, ...]]:
    """The phases the month is in, and the next three to start after it."""
    names = [m.name for m in program.milestones]
    if not names:
        return (), ()
    where = str(program.config.path or program.root)
    wins = program_windows(names, program.config.calendar, where)
    last = end - dt.timedelta(days=1)

    def line(w: Any) -> PhaseLine:
        title = PHASE_TITLES[w.phase]
        return PhaseLine(w.milestone, title if title.isupper() else title.lower(), w.start, w.end)

    current = tuple(line(w) for w in wins if w.start <= last and w.end >= start)
    upcoming = sorted((w for w in wins if w.start >= end), key=lambda w: (w.start, w.milestone))
    return current, tuple(line(w) for w in upcoming[:3])


_LINK_PAGES = (("README.md", "The {m} goals"), ("goals.md", "All goals"),
               ("roadmaps.md", "Roadmaps"), ("highlights.md", "Highlights"),
               ("help-wanted.md", "Help wanted"))


def site_links(program: Program) -> tuple[Link, ...]:
    """The current milestone's pages on the published site ([project] site_url)."""
    base = (program.config.site_url or "").rstrip("/")
    if not base or not program.milestones:
        return ()
    m = program.milestones[-1]
    folder = program.root / program.config.source / m.name
    out = [Link(title.format(m=m.name), f"{base}/{m.name}/{'index' if f == 'README.md' else f[:-3]}.html")
           for f, title in _LINK_PAGES if (folder / f).is_file()]
    out.append(Link("Goals by team", f"{base}/teams/index.html"))
    if program.config.application_areas:
        out.append(Link("Application areas", f"{base}/areas.html"))
    return tuple(out)


def _minutes_url(program: Program, cfg: ReportConfig, path: str, team: str = "") -> str:
    """`[report] minutes_url` with {path} (the file, relative to the program), {name} (its
    name) and {team} filled in (URL-quoted); else the file on the forge ([project] repo_url)."""
    if cfg.minutes_url:
        name = path.rsplit("/", 1)[-1]
        return (cfg.minutes_url.replace("{path}", quote(path.lstrip("/")))
                .replace("{name}", quote(name)).replace("{team}", quote(team)))
    repo = program.config.repo_url
    if repo and not path.startswith(("/", "..")):
        return f"{repo}/blob/HEAD/{path}"
    return ""


def meeting_facts(program: Program, cfg: ReportConfig, m: Meeting, series: str) -> MeetingFacts:
    notes: list[str] = []
    topics: tuple[str, ...] = ()
    actions: tuple[ActionItem, ...] = ()
    p = Path(m.path)
    p = p if p.is_absolute() else (program.root / p if (program.root / p).is_file() else p)
    try:
        found = topics_and_actions(p.read_bytes())
    except OSError as e:
        notes.append(f"{m.path}: cannot read the minutes again ({e.strerror}); no topics")
    else:
        topics, actions = found.topics, found.actions
        if not topics:
            notes.append(f"{m.path}: no section headings or agenda items, so no topics; "
                         "add `## Topic` headings or an `## Agenda` list")
        for a in actions:
            if not a.owner:
                notes.append(f"{m.path}:{a.line}: action item without an owner: {a.text[:80]}")
    return MeetingFacts(m.date, m.title, m.team, series, m.path, _minutes_url(program, cfg, m.path, m.team),
                        m.attendees, topics, actions, tuple(notes))


def goal_update(program: Program, key: str, gp: GoalProgress, start: dt.date, end: dt.date
                ) -> GoalUpdate | None:
    lo, hi = start.isoformat(), end.isoformat()
    recent = [u for u in gp.updates if lo <= u.date < hi]
    tldr = gp.tldr if gp.tldr and lo <= gp.tldr.date < hi else None
    if not recent and tldr is None:
        return None
    goal = next((g for g in program.goals if g.key == key), None)
    title = goal.title if goal else key
    if tldr is not None:
        u, is_tldr = tldr, True
    else:
        u, is_tldr = recent[-1], False
    text = u.body.strip().split("\n\n")[0].strip()
    text = re.sub(r"^(?:\*\*)?TL;?DR:?(?:\*\*)?:?\s*", "", text, flags=re.I)
    return GoalUpdate(key, title, gp.url, is_tldr, text, u.author, u.date, u.url,
                      len(recent) + (tldr is not None))


def initiative_goals(program: Program, c: Initiative) -> list[str]:
    """Keys of the goals an initiative follows: its roadmaps' goals, then its named goals."""
    want = {r.lower() for r in c.roadmaps}
    named = {g.lower() for g in c.goals}
    out: list[str] = []
    for g in program.goals:
        if g.rejected or g.key in out:
            continue
        if (want and want & {r.lower() for r in all_roadmaps(g)}) or \
                g.key.lower() in named or g.slug.lower() in named:
            out.append(g.key)
    return out


def initiative_section(
    program: Program, cfg: ReportConfig, c: Initiative, start: dt.date, end: dt.date, *,
    meetings: Sequence[Meeting], series: Sequence[Series],
    progress: Mapping[str, GoalProgress] | None, changes: Sequence[GoalChange],
    watched: Callable[[str, int], RemoteIssue | None],
) -> InitiativeSection:
    notes: list[str] = []
    facts: list[MeetingFacts] = []
    counts: list[tuple[str, int]] = []
    by_name = {s.name.casefold(): s for s in series}
    for name in c.series:
        s = by_name.get(name.casefold())
        if s is None:
            notes.append(f"initiative {c.name!r}: no [[minutes.series]] named {name!r}")
            continue
        mine = [m for m in meetings if start <= m.date < end and s.includes(m)]
        counts.append((s.name, len(mine)))
        facts += [meeting_facts(program, cfg, m, s.name) for m in mine]
    facts.sort(key=lambda f: (f.date, f.title))
    for f in facts:
        notes += f.notes
    keys = initiative_goals(program, c)
    for g in c.goals:
        if not any(k.lower() == g.lower() or k.lower().endswith("/" + g.lower()) for k in keys):
            notes.append(f"initiative {c.name!r}: no goal {g!r}")
    updates: list[GoalUpdate] = []
    if progress is not None:
        for k in keys:
            gp = progress.get(k)
            u = goal_update(program, k, gp, start, end) if gp else None
            if u:
                updates.append(u)
    elif keys:
        notes.append(f"initiative {c.name!r}: no tracking issues synced yet (run `goalkeeper sync`)")
    goals = tuple(ch for ch in changes if ch.goal in keys
                  and (not ch.then or ch.now.lower() == "accepted"))
    items: list[Watched] = []
    for ref in c.watch:
        parsed = parse_ref(ref)
        if parsed is None:
            notes.append(f"initiative {c.name!r}: cannot read watched item {ref!r}; "
                         "write owner/repo#123 or the issue's URL")
            continue
        issue = watched(*parsed)
        if issue is None:
            items.append(Watched(f"{parsed[0]}#{parsed[1]}", "", f"https://github.com/{parsed[0]}/"
                                 f"issues/{parsed[1]}", "", ()))
            notes.append(f"initiative {c.name!r}: {parsed[0]}#{parsed[1]} is not synced yet "
                         "(run `goalkeeper sync`, or import it from a file)")
            continue
        items.append(Watched(f"{parsed[0]}#{parsed[1]}", issue.title, issue.url, issue.state.upper(),
                             watch_events(issue, start, end)))
    return InitiativeSection(c.name, tuple(facts), tuple(counts), tuple(updates), goals,
                             tuple(items), tuple(notes), _contacts(program, c))


def _contacts(program: Program, c: Initiative) -> tuple[str, ...]:
    want = {r.casefold() for r in c.roadmaps}
    named = {g.casefold() for g in c.goals}
    out: list[str] = []
    for r in program.roadmaps:
        if {r.title.casefold(), r.short_title.casefold()} & want and r.point_of_contact:
            out.append(r.point_of_contact)
    for g in program.goals:
        if (g.key.casefold() in named or g.slug.casefold() in named) and g.point_of_contact:
            out.append(g.point_of_contact)
    return tuple(dict.fromkeys(x.lstrip("@") for x in out))


def feed_groups(feeds: FeedResult | None) -> tuple[FeedGroup, ...]:
    if feeds is None:
        return ()
    groups: dict[str, list[tuple[Link, dt.date]]] = {}
    for it in feeds.items:
        groups.setdefault(it.feed, []).append((Link(it.title, it.link), it.published))
    return tuple(FeedGroup(name, tuple(x for x, _ in v), tuple(d for _, d in v))
                 for name, v in groups.items())


def slate(program: Program) -> Slate | None:
    if not program.milestones:
        return None
    m = program.milestones[-1]
    live = [g for g in m.goals if not g.rejected]
    accepted = sum(1 for g in live if g.accepted)
    highlights = {h for g in live for h in g.highlights}
    life = tuple((g.title, g.lifecycle) for g in live
                 if g.lifecycle in ("paused", "completed", "withdrawn"))
    return Slate(m.name, accepted, len(live) - accepted, len(m.roadmaps), len(highlights), life)


# --------------------------------------------------------------------------------------------
# JSON


def _plain(v: Any) -> Any:
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        out = {f.name: _plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
        for prop in ("mean",):  # computed figures JSON readers want
            if hasattr(v, prop):
                out[prop] = round(getattr(v, prop), 1)
        return out
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


def draft_json(d: Draft) -> dict[str, Any]:
    """The draft as JSON-ready data (what `report --json` prints)."""
    out: dict[str, Any] = _plain(dataclasses.replace(d, proposals=None))
    out["proposals"] = d.proposals.record() if d.proposals is not None else None
    out["worth"] = [{"title": g.title, "items": [
        {"title": i.title, "url": i.url, "published": day.isoformat()}
        for i, day in zip(g.items, g.dates, strict=True)]} for g in d.worth]
    return out
