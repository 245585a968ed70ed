"""The program model: milestones, goals, roadmaps, teams and people.

Frozen dataclasses, built by :mod:`goalkeeper.sources` and read by checks, views and renderers.
Spans are excluded from equality so round-trip tests compare content, not positions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .constants import (
    ACCEPTED_STATUSES,
    DEFAULT_API_URL,
    DEFAULT_CHAMPION_LEVELS,
    DEFAULT_IGNORE,
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_MILESTONE_PATTERN,
    DEFAULT_REQUIRED_SECTIONS,
    DEFAULT_STATUSES,
    DEFAULT_SUPPORT_LEVELS,
    HELP_WANTED_STATUSES,
    Format,
    Severity,
    Status,
)
from .diagnostics import Diagnostic, Span
from .records import OrderedRecord, Record, dataclass, field

_NOWHERE = Span("")
if TYPE_CHECKING:  # (a meeting's date: datetime is not imported by a check)
    import datetime

USER_RE = re.compile(r"@([A-Za-z0-9][-_A-Za-z0-9]*)")
ISSUE_RE = re.compile(r"^\[?\s*([-_.A-Za-z0-9]+)/([-_.A-Za-z0-9]+)#([0-9]+)\s*\]?(?:\([^)]*\))?$")
#: starts only where a name starts, so a long run of name characters is scanned once, not once
#: per position
ISSUE_ANYWHERE_RE = re.compile(r"(?<![-_.A-Za-z0-9])([-_.A-Za-z0-9]+)/([-_.A-Za-z0-9]+)#([0-9]+)")
#: the largest issue number taken from text (GitHub's are 32-bit; a longer run of digits is not
#: an issue number, and would exceed Python's int() digit limit)
MAX_ISSUE_DIGITS = 18
ISSUE_URL_RE = re.compile(r"https?://github\.com/([-_.A-Za-z0-9]+)/([-_.A-Za-z0-9]+)/issues/([0-9]+)")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class IssueRef(OrderedRecord):
    owner: str
    repo: str
    number: int

    @property
    def repository(self) -> str:
        return f"{self.owner}/{self.repo}"

    @property
    def url(self) -> str:
        return f"https://github.com/{self.owner}/{self.repo}/issues/{self.number}"

    def __str__(self) -> str:
        return f"{self.owner}/{self.repo}#{self.number}"

    @classmethod
    def parse(cls, text: str) -> IssueRef | None:
        """`[owner/repo#N]`, `owner/repo#N` or a GitHub issue URL; None otherwise."""
        t = text.strip()
        m = ISSUE_RE.match(t) or ISSUE_URL_RE.fullmatch(t.strip("<>"))
        return cls._of(m) if m else None

    @classmethod
    def _of(cls, m: re.Match[str]) -> IssueRef | None:
        return cls(m[1], m[2], int(m[3])) if len(m[3]) <= MAX_ISSUE_DIGITS else None

    @classmethod
    def find_all(cls, text: str) -> tuple[IssueRef, ...]:
        refs = [cls._of(m) for m in ISSUE_URL_RE.finditer(text)]
        stripped = ISSUE_URL_RE.sub("", text)
        refs += [cls._of(m) for m in ISSUE_ANYWHERE_RE.finditer(stripped)]
        return tuple(dict.fromkeys(r for r in refs if r is not None))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Person(Record):
    login: str
    name: str = ""

    @property
    def display(self) -> str:
        return self.name or f"@{self.login}"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Team(Record):
    name: str
    display_name: str = ""
    leads: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    archived: bool = False
    subteam_of: str = ""
    url: str = ""  # the team's page or repository (rust-lang/team: `[website] repo`)
    note: str = ""  # an archived team file's opening comment ("… incorporated into Library …")

    def has_member(self, login: str) -> bool:
        low = login.lower()
        return any(m.lower() == low for m in (*self.members, *self.leads))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AskType(Record):
    """A pre-2026 team-ask kind (`[team_asks]` in rust-project-goals.toml)."""

    name: str
    short: str
    about: str = ""
    elide: bool = False


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class MetadataRow(Record):
    key: str
    value: str
    span: Span = field(default=_NOWHERE, compare=False)
    value_span: Span = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Champion(Record):
    team: str
    value: str  # as written, e.g. "@nikomatsakis" or "TBD"
    span: Span = field(default=_NOWHERE, compare=False)

    @property
    def logins(self) -> tuple[str, ...]:
        return tuple(USER_RE.findall(self.value))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TeamAsk(Record):
    team: str
    level: str = ""  # 2026 format: Small/Medium/Large (as configured); "" for pre-2026
    ask_type: str = ""  # pre-2026 format: a key of the ask types
    notes: str = ""
    subgoal: str = ""  # the `###` subsection it sits under, if any
    span: Span = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class WorkItem(Record):
    task: str
    owners: tuple[str, ...]  # @logins where written as such, else the raw comma-split strings
    notes: str = ""
    subgoal: str = ""
    complete: bool = False
    help_wanted: bool = False
    span: Span = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class HelpWanted(Record):
    task: str
    experience: str = ""
    time: str = ""
    span: Span = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FundingRow(Record):
    purpose: str
    cost: str
    funded: str
    sponsors: str = ""
    span: Span = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class DocSection(Record):
    title: str
    level: int
    text: str
    span: Span = field(default=_NOWHERE, compare=False)
    end_line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Subgoal(Record):
    title: str
    anchor: str
    roadmaps: tuple[str, ...] = ()
    timespan: str = ""
    what_and_why: str = ""
    span: Span = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Goal(Record):
    milestone: str
    slug: str
    path: str  # relative to the program root, POSIX separators
    title: str
    short_title: str
    status: str
    metadata: tuple[MetadataRow, ...] = ()
    points_of_contact: tuple[str, ...] = ()
    tracking_issue: IssueRef | None = None
    other_tracking_issues: tuple[IssueRef, ...] = ()
    chat_channel: str = ""
    roadmaps: tuple[str, ...] = ()  # `Roadmap` rows and the legacy `Flagship` rows
    highlights: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    what_and_why: str = ""
    timespan: str = ""
    funding_contact: str = ""
    champions: tuple[Champion, ...] = ()
    asks: tuple[TeamAsk, ...] = ()
    work_items: tuple[WorkItem, ...] = ()
    help_wanted: tuple[HelpWanted, ...] = ()
    funding: tuple[FundingRow, ...] = ()
    subgoals: tuple[Subgoal, ...] = ()
    sections: tuple[DocSection, ...] = ()
    format: Format = Format.NONE
    #: Where an accepted goal stands: active, paused, completed or withdrawn ("" = not set).
    lifecycle: str = ""
    continues_as: str = ""  # "<milestone>/<slug>" of the goal that carries the work on
    #: Why a goal whose Status row is not `Accepted` counts as accepted ("" = it does not):
    #: the milestone README's banner says the slate's RFC was accepted (see goalkeeper.acceptance).
    accepted_by: str = ""
    span: Span = field(default=_NOWHERE, compare=False)
    end_line: int = field(default=0, compare=False)

    @property
    def key(self) -> str:
        return f"{self.milestone}/{self.slug}"

    @property
    def stage(self) -> str:
        """Status plus lifecycle, as shown to people: "Accepted", "Accepted (paused)"."""
        extra = [x for x in (self.lifecycle, f"continues as {self.continues_as}"
                             if self.continues_as else "") if x]
        return f"{self.status} ({', '.join(extra)})" if extra else self.status

    @property
    def point_of_contact(self) -> str:
        return self.points_of_contact[0] if self.points_of_contact else ""

    @property
    def state(self) -> Status | None:
        try:
            return Status(self.status)
        except ValueError:
            return None

    @property
    def accepted(self) -> bool:
        """Accepted by its Status row (or 2025h1's legacy `Flagship`), or by the milestone's RFC."""
        return self.status.strip().lower() in ACCEPTED_STATUSES or bool(self.accepted_by)

    @property
    def rejected(self) -> bool:
        return self.status.strip().lower() == Status.NOT_ACCEPTED.lower()

    @property
    def summary(self) -> str:
        s = self.section("Summary")
        return s.text if s and s.text else self.title

    def section(self, title: str) -> DocSection | None:
        want = title.lower()
        return next((s for s in self.sections if s.title.lower() == want), None)

    @property
    def teams(self) -> tuple[str, ...]:
        """Teams with an ask, in first-mention order."""
        return tuple(dict.fromkeys(a.team for a in self.asks))

    def champion_for(self, team: str) -> Champion | None:
        for c in self.champions:
            if c.team == team:
                return c
        return None

    @property
    def task_owners(self) -> tuple[str, ...]:
        owners: dict[str, None] = {}
        for w in self.work_items:
            for o in w.owners:
                owners.setdefault(o, None)
        return tuple(owners)

    @property
    def is_help_wanted(self) -> bool:
        """A `## Help wanted` section, `Needs | Contributor`, or a mentorship/invited status."""
        return (bool(self.help_wanted) or any(n.lower() == "contributor" for n in self.needs)
                or self.status.strip().lower() in HELP_WANTED_STATUSES)

    def level_for(self, team: str, order: tuple[str, ...] = DEFAULT_SUPPORT_LEVELS) -> str:
        """The highest support level asked of `team` (2026 format), else ""."""
        return _highest([a.level for a in self.asks if a.team == team and a.level], order)

    def team_levels(self, order: tuple[str, ...] = DEFAULT_SUPPORT_LEVELS) -> dict[str, str]:
        """`level_for` of every team with an ask, in first-mention order, found in one pass."""
        rank = level_ranks(order)
        out: dict[str, str] = {}
        for a in self.asks:
            best = out.setdefault(a.team, "")
            if a.level and (not best or rank.get(a.level.lower(), -1) > rank.get(best.lower(), -1)):
                out[a.team] = a.level
        return out

    def size(self, order: tuple[str, ...] = DEFAULT_SUPPORT_LEVELS) -> str:
        """The goal's size: the highest support level across its asks ("" for pre-2026)."""
        return _highest([a.level for a in self.asks if a.level], order)


def _highest(levels: list[str], order: tuple[str, ...]) -> str:
    """The first of `levels` ranked highest in `order` (case-insensitively; a level not in it
    ranks below all that are), or "" for none."""
    if len(levels) < 2:  # (most goals ask a team for one level)
        return levels[0] if levels else ""
    rank = level_ranks(order)
    return max(levels, key=lambda lvl: rank.get(lvl.lower(), -1))


@lru_cache(maxsize=16)
def level_ranks(order: tuple[str, ...]) -> Mapping[str, int]:
    """Each support level of `order`, lowercased, by its index (a table renders hundreds of
    rows against one order)."""
    return {lvl.lower(): i for i, lvl in enumerate(order)}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Roadmap(Record):
    milestone: str
    slug: str  # file stem without "roadmap-"
    path: str
    title: str
    short_title: str
    what_and_why: str = ""
    point_of_contact: str = ""
    application_areas: tuple[str, ...] = ()
    metadata: tuple[MetadataRow, ...] = ()
    sections: tuple[DocSection, ...] = ()
    span: Span = field(default=_NOWHERE, compare=False)

    @property
    def key(self) -> str:
        return f"{self.milestone}/roadmap-{self.slug}"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Page(Record):
    """A markdown page of the repository that is neither a goal nor a roadmap."""

    path: str
    title: str
    milestone: str = ""
    directives: tuple[tuple[str, int], ...] = ()  # (directive text, line)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Milestone(Record):
    name: str
    path: str
    goals: tuple[Goal, ...] = ()
    roadmaps: tuple[Roadmap, ...] = ()
    pages: tuple[Page, ...] = ()
    #: (path, directive, line) of every `(((DIRECTIVE)))` in the milestone's documents
    directives: tuple[tuple[str, str, int], ...] = ()
    #: "src/2025h2/README.md:1 says RFC #3849 was accepted" when its README's banner says so
    accepted_by: str = ""

    def goal(self, slug: str) -> Goal | None:
        return next((g for g in self.goals if g.slug == slug), None)

    def roadmap_goals(self, roadmap: Roadmap) -> tuple[Goal, ...]:
        want = roadmap.short_title.strip().lower()
        return tuple(
            g for g in self.goals if any(r.strip().lower() == want for r in all_roadmaps(g))
        )


def all_roadmaps(goal: Goal) -> tuple[str, ...]:
    """The goal's roadmap themes and those of its subgoals."""
    out = dict.fromkeys(goal.roadmaps)
    for s in goal.subgoals:
        out.update(dict.fromkeys(s.roadmaps))
    return tuple(out)


@dataclass(frozen=True, repr=False, eq=False)
class Config(Record):
    """The program's configuration (goalkeeper.toml, read by :mod:`goalkeeper.config`)."""

    root: Path
    path: Path | None = None  # the goalkeeper.toml read, if any
    project_name: str = ""
    tracker: str = ""
    tracker_aliases: tuple[str, ...] = ()
    site_url: str = ""
    api_url: str = DEFAULT_API_URL
    source: str = "src"
    milestone_pattern: str = DEFAULT_MILESTONE_PATTERN
    ignore: tuple[str, ...] = DEFAULT_IGNORE
    teams_path: Path | None = None
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    support_levels: tuple[str, ...] = DEFAULT_SUPPORT_LEVELS
    champion_levels: tuple[str, ...] = DEFAULT_CHAMPION_LEVELS
    missing_champion: Severity = Severity.WARNING
    required_sections: tuple[str, ...] = DEFAULT_REQUIRED_SECTIONS
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    severities: dict[str, Severity | None] = field(default_factory=dict)
    ask_types: dict[str, AskType] = field(default_factory=dict)
    ask_types_path: Path | None = None
    teams: dict[str, Team] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    application_areas: dict[str, str] = field(default_factory=dict)
    #: [capacity]: per-team limits of goals by support level, and per-person limits
    capacity_levels: dict[str, int] = field(default_factory=dict)
    capacity_teams: dict[str, dict[str, int]] = field(default_factory=dict)
    max_championed: int | None = None
    max_owned: int | None = None
    funding_contact: str = ""  # [project] funding_contact: who to ask when a goal names nobody
    repo_url: str = ""  # [project] repo_url: the repository on the forge (for links to its files)
    #: [lifecycle] "<milestone>/<slug>" = "paused" or { state = "...", continues_as = "..." }
    lifecycle: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: [calendar."<milestone>"] phase overrides, validated by goalkeeper.calendar
    calendar: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: unknown keys of goalkeeper.toml, one sentence each naming the closest known key
    warnings: tuple[str, ...] = ()

    @property
    def source_dir(self) -> Path:
        return self.root / self.source

    def is_milestone_name(self, name: str) -> bool:
        return re.match(self.milestone_pattern, name) is not None

    def trackers(self) -> tuple[str, ...]:
        return ((self.tracker,) if self.tracker else ()) + self.tracker_aliases

    def canonical_level(self, text: str) -> str | None:
        low = text.strip().lower()
        return next((lvl for lvl in self.support_levels if lvl.lower() == low), None)

    def canonical_status(self, text: str) -> str | None:
        low = text.strip().lower()
        return next((s for s in self.statuses if s.lower() == low), None)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Program(Record):
    root: Path
    config: Config
    milestones: tuple[Milestone, ...]
    teams: dict[str, Team]
    people: dict[str, Person]
    pages: tuple[Page, ...]
    diagnostics: tuple[Diagnostic, ...]
    teams_checked: bool = True

    @property
    def goals(self) -> tuple[Goal, ...]:
        return tuple(g for m in self.milestones for g in m.goals)

    @property
    def roadmaps(self) -> tuple[Roadmap, ...]:
        return tuple(r for m in self.milestones for r in m.roadmaps)

    def milestone(self, name: str) -> Milestone | None:
        return next((m for m in self.milestones if m.name == name), None)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    def person(self, login: str) -> Person:
        return self.people.get(login.lower()) or Person(login)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Meeting(Record):
    """One meeting's minutes: a markdown file in a minutes folder (:mod:`.sources.minutes.reader`)."""

    team: str
    date: datetime.date
    title: str
    path: str  # relative to the program root where possible, POSIX separators
    attendees: tuple[str, ...] = ()  # names as written in the Attendees/Present list
    author: str = ""  # who took the minutes, where the file says
    words: int = 0  # `wc -w` of the body (see goalkeeper.sources.minutes.words.count_words)
    span: Span = field(default=_NOWHERE, compare=False)
