"""Program-wide overviews for the website and its dashboard: goals per status and milestone,
team load, champions, highlights, application areas and goals not accepted.

Pure functions from the model to rows; the site renders them.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..constants import Status
from ..model import Goal, Milestone, Program, Roadmap
from ..records import Record, dataclass
from .teams import asks_by_team, level_rank, live_goals

UNSIZED = "(unsized)"


def by_title(goals: list[Goal] | tuple[Goal, ...]) -> list[Goal]:
    return sorted(goals, key=lambda g: (g.title.lower(), g.slug))


def status_order(program: Program, milestones: tuple[Milestone, ...] | None = None) -> list[str]:
    """The configured statuses, then any other status documents use, in first-seen order."""
    seen = dict.fromkeys(program.config.statuses)
    for m in milestones if milestones is not None else program.milestones:
        seen.update(dict.fromkeys(g.status or "(none)" for g in m.goals))
    return list(seen)


def status_counts(program: Program) -> list[tuple[str, dict[str, int]]]:
    """Per milestone (oldest first): goals per status, every known status present (0 allowed).

    A goal accepted with its milestone's RFC (its row still `Proposed`) counts as `Accepted`.
    """
    order = status_order(program)
    out: list[tuple[str, dict[str, int]]] = []
    for m in program.milestones:
        c = Counter(Status.ACCEPTED.value if g.accepted_by else (g.status or "(none)")
                    for g in m.goals)
        out.append((m.name, {s: c.get(s, 0) for s in order}))
    return out


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TeamLoadRow(Record):
    team: str
    goals: int  # live goals asking something of the team
    by_level: dict[str, int]  # goals per (highest) support level, largest first; or ask types
    champions: int  # goals with a champion from this team
    missing_champions: int  # goals whose ask needs a champion and has none


def team_load(program: Program, m: Milestone) -> list[TeamLoadRow]:
    """Per team asked by a live goal of `m`: goals per support level (2026 format) or per ask
    type (older format), champions found and missing. Busiest team first."""
    config = program.config
    rows: list[TeamLoadRow] = []
    for ta in asks_by_team(program, m):
        by_level: Counter[str] = Counter()
        goals = ta.goals
        for g in goals:
            level = g.level_for(ta.team, config.support_levels)
            if level:
                by_level[level] += 1
            else:
                kinds = {r.ask_type for r in ta.rows if r.goal is g and r.ask_type}
                for k in kinds or {UNSIZED}:
                    by_level[k] += 1
        ordered = dict(sorted(by_level.items(), key=lambda kv: (-level_rank(config, kv[0]), kv[0])))
        champions = sum(1 for g in goals if (c := g.champion_for(ta.team)) and c.logins)
        missing = len({r.goal.key for r in ta.rows if r.missing_champion})
        rows.append(TeamLoadRow(ta.team, len(goals), ordered, champions, missing))
    rows.sort(key=lambda r: (-r.goals, r.team))
    return rows


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TeamGoal(Record):
    goal: Goal
    level: str  # highest support level asked of the team, or the ask types joined
    champion: str  # as written, "" when none
    notes: str


def goals_of_team(program: Program, team: str) -> list[tuple[str, list[TeamGoal]]]:
    """Per milestone (newest first): the live goals that ask `team` for something."""
    config = program.config
    out: list[tuple[str, list[TeamGoal]]] = []
    for m in reversed(program.milestones):
        rows: list[TeamGoal] = []
        for g in live_goals(m):
            asks = [a for a in g.asks if a.team == team]
            if not asks:
                continue
            level = g.level_for(team, config.support_levels) or ", ".join(
                dict.fromkeys(a.ask_type for a in asks if a.ask_type)
            )
            c = g.champion_for(team)
            notes = "; ".join(dict.fromkeys(a.notes for a in asks if a.notes))
            rows.append(TeamGoal(g, level, c.value if c and c.logins else "", notes))
        if rows:
            out.append((m.name, rows))
    return out


def teams_in_use(program: Program) -> list[str]:
    """Every team some goal asks something of or names a champion for."""
    named: set[str] = set()
    for g in program.goals:
        named.update(a.team for a in g.asks)
        named.update(c.team for c in g.champions)
    return sorted(named)


def champions(program: Program, m: Milestone) -> list[tuple[str, list[tuple[Goal, str]]]]:
    """Per champion login (most goals first): the (goal, team) pairs they champion."""
    by_login: dict[str, list[tuple[Goal, str]]] = defaultdict(list)
    display: dict[str, str] = {}
    for g in by_title(list(m.goals)):
        for c in g.champions:
            for login in c.logins:
                display.setdefault(login.lower(), login)
                by_login[login.lower()].append((g, c.team))
    return [
        (display[k], by_login[k])
        for k in sorted(by_login, key=lambda k: (-len({g.key for g, _ in by_login[k]}), k))
    ]


def highlights(m: Milestone) -> list[tuple[str, list[Goal]]]:
    """Highlight themes of the milestone's live goals, each with its goals (by title)."""
    themes: dict[str, str] = {}
    for g in m.goals:
        for h in g.highlights:
            themes.setdefault(h.strip().lower(), h.strip())
    out: list[tuple[str, list[Goal]]] = []
    for key in sorted(themes):
        goals = [g for g in live_goals(m) if any(h.strip().lower() == key for h in g.highlights)]
        if goals:
            out.append((themes[key], goals))
    return out


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Area(Record):
    name: str
    description: str
    roadmaps: list[tuple[Roadmap, list[Goal]]]


def application_areas(program: Program) -> list[Area]:
    """Application areas (as configured, then as named by roadmaps) with their roadmaps and the
    live goals of each; roadmaps naming no area come last under "Other roadmaps"."""
    configured = program.config.application_areas
    names = dict.fromkeys(configured)
    for r in program.roadmaps:
        names.update(dict.fromkeys(a for a in r.application_areas if a))
    areas: list[Area] = []
    placed: set[str] = set()
    for name in names:
        rows = []
        for m in reversed(program.milestones):
            for r in sorted(m.roadmaps, key=lambda r: r.title.lower()):
                if name.lower() in {a.lower() for a in r.application_areas}:
                    rows.append((r, by_title([g for g in m.roadmap_goals(r) if not g.rejected])))
                    placed.add(r.key)
        areas.append(Area(name, configured.get(name, ""), rows))
    rest = [
        (r, by_title([g for g in m.roadmap_goals(r) if not g.rejected]))
        for m in reversed(program.milestones)
        for r in sorted(m.roadmaps, key=lambda r: r.title.lower())
        if r.key not in placed
    ]
    if rest:
        areas.append(Area("Other roadmaps", "Roadmaps that name no application area.", rest))
    return areas


def not_accepted(program: Program) -> list[tuple[str, list[Goal]]]:
    """Per milestone (newest first): goals whose status is `Not accepted`."""
    out = []
    for m in reversed(program.milestones):
        goals = by_title([g for g in m.goals if g.rejected])
        if goals:
            out.append((m.name, goals))
    return out
