"""Team views for the feedback and RFC phases: asks by team, champions, capacity, roadmaps.

Pure functions from the model to rows; the CLI and the renderers print them.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..model import Champion, Config, Goal, Milestone, Program, Roadmap, all_roadmaps
from ..records import Record, dataclass, field


def live_goals(m: Milestone) -> list[Goal]:
    """Goals that are not `Not accepted`, by lowercased title (the reference tool's order)."""
    return sorted((g for g in m.goals if not g.rejected), key=lambda g: (g.title.lower(), g.slug))


def needs_champion(config: Config, level: str) -> bool:
    return level.lower() in {lvl.lower() for lvl in config.champion_levels}


def level_rank(config: Config, level: str) -> int:
    return _ranks(config).get(level.lower(), -1)


def _ranks(config: Config) -> dict[str, int]:
    """Each support level (lowercased) and its place in the configured order (the first)."""
    ranks: dict[str, int] = {}
    for i, lvl in enumerate(config.support_levels):
        ranks.setdefault(lvl.lower(), i)
    return ranks


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AskRow(Record):
    team: str
    goal: Goal
    level: str  # 2026 format
    ask_type: str  # pre-2026 format
    notes: str
    subgoal: str
    champion: str  # "@login ..." or ""
    missing_champion: bool


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TeamAsks(Record):
    team: str
    rows: list[AskRow] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(r.level or r.ask_type for r in self.rows)

    @property
    def goals(self) -> list[Goal]:
        """The goals of the rows, each once, in row order. (By identity: a Goal's hash walks
        every field of the document, 30 hashes a goal.)"""
        return list({id(r.goal): r.goal for r in self.rows}.values())


def asks_by_team(program: Program, m: Milestone) -> list[TeamAsks]:
    """Every team with an ask from a live goal, alphabetically; asks by level (largest first)."""
    config = program.config
    needs = {lvl.lower() for lvl in config.champion_levels}
    ranks = _ranks(config)
    out: dict[str, TeamAsks] = {}
    for g in live_goals(m):
        for a in g.asks:
            c = g.champion_for(a.team)
            champion = c.value if c and c.logins else ""
            out.setdefault(a.team, TeamAsks(a.team)).rows.append(
                AskRow(
                    team=a.team,
                    goal=g,
                    level=a.level,
                    ask_type=a.ask_type,
                    notes=a.notes,
                    subgoal=a.subgoal,
                    champion=champion,
                    missing_champion=not champion and a.level.lower() in needs,
                )
            )
    for t in out.values():
        t.rows.sort(key=lambda r: (-ranks.get(r.level.lower(), -1), r.goal.title.lower(), r.subgoal))
    return [out[k] for k in sorted(out)]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ChampionMatrix(Record):
    teams: list[str]
    goals: list[Goal]
    cells: dict[tuple[str, str], str]  # (goal key, team) -> "@x" | "!" | "n/a" | "-"
    per_person: list[tuple[str, int, list[Goal]]]  # (login, count, goals), most first


def champion_matrix(program: Program, m: Milestone) -> ChampionMatrix:
    """Goal × team: the champion, `!` for an ask that needs a champion and has none, `n/a` for
    an ask whose level needs none (Small, when champions are required for Medium/Large only),
    `-` for no ask. Asks without a level (pre-2026 documents) count as needing one."""
    goals = live_goals(m)
    needs = {lvl.lower() for lvl in program.config.champion_levels}
    order = program.config.support_levels
    teams = sorted({a.team for g in goals for a in g.asks} | {c.team for g in goals for c in g.champions})
    cells: dict[tuple[str, str], str] = {}
    people: dict[str, list[Goal]] = defaultdict(list)
    display: dict[str, str] = {}
    for g in goals:
        asked = set(g.teams)
        first: dict[str, Champion] = {}  # what g.champion_for(team) finds, for every team at once
        for c in g.champions:
            first.setdefault(c.team, c)
        for t in teams:
            found = first.get(t)
            if found is not None and found.logins:
                cells[(g.key, t)] = ", ".join(f"@{u}" for u in found.logins)
            elif t in asked:
                level = g.level_for(t, order)
                cells[(g.key, t)] = "n/a" if level and level.lower() not in needs else "!"
            else:
                cells[(g.key, t)] = "-"
        for c in g.champions:
            for u in c.logins:
                display.setdefault(u.lower(), u)
                if g not in people[u.lower()]:
                    people[u.lower()].append(g)
    per_person = sorted(
        ((display[k], len(v), v) for k, v in people.items()), key=lambda x: (-x[1], x[0].lower())
    )
    return ChampionMatrix(teams, goals, cells, per_person)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class TeamLoad(Record):
    team: str
    by_level: dict[str, int]
    limits: dict[str, int]
    over: list[str]  # human-readable warnings
    missing_champions: int


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PersonLoad(Record):
    login: str
    championed: int
    owned: int  # as point of contact
    tasks: int  # goals where the person owns a task
    over: list[str]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Capacity(Record):
    teams: list[TeamLoad]
    people: list[PersonLoad]

    @property
    def warnings(self) -> list[str]:
        return [w for t in self.teams for w in t.over] + [w for p in self.people for w in p.over]


def capacity(program: Program, m: Milestone) -> Capacity:
    """Asks per level against the limits in `[capacity]`; per person, goals championed/owned."""
    config = program.config
    teams: list[TeamLoad] = []
    for ta in asks_by_team(program, m):
        by_level: Counter[str] = Counter()
        for g in ta.goals:
            by_level[g.level_for(ta.team, config.support_levels) or "(unsized)"] += 1
        limits = {**config.capacity_levels, **config.capacity_teams.get(ta.team, {})}
        over = [
            f"team {ta.team}: {by_level.get(level, 0)} {level} asks, limit {limit}"
            for level, limit in limits.items()
            if by_level.get(level, 0) > limit
        ]
        missing = len({r.goal.key for r in ta.rows if r.missing_champion})
        ordered = dict(
            sorted(by_level.items(), key=lambda kv: -level_rank(config, kv[0]))
        )
        teams.append(TeamLoad(ta.team, ordered, limits, over, missing))

    champ: Counter[str] = Counter()
    owned: Counter[str] = Counter()
    tasks: Counter[str] = Counter()
    display: dict[str, str] = {}
    for g in live_goals(m):
        for u in {u for c in g.champions for u in c.logins}:
            champ[u.lower()] += 1
            display.setdefault(u.lower(), u)
        for u in g.points_of_contact:
            owned[u.lower()] += 1
            display.setdefault(u.lower(), u)
        for u in {o.lstrip("@") for o in g.task_owners if o.startswith("@")}:
            tasks[u.lower()] += 1
            display.setdefault(u.lower(), u)
    people: list[PersonLoad] = []
    for key in sorted(display, key=lambda k: (-(champ[k] + owned[k]), k)):
        over = []
        if config.max_championed is not None and champ[key] > config.max_championed:
            over.append(f"@{display[key]} champions {champ[key]} goals, limit {config.max_championed}")
        if config.max_owned is not None and owned[key] > config.max_owned:
            over.append(f"@{display[key]} is point of contact for {owned[key]} goals, "
                        f"limit {config.max_owned}")
        people.append(PersonLoad(display[key], champ[key], owned[key], tasks[key], over))
    return Capacity(teams, people)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AreaRoadmaps(Record):
    area: str  # "" for roadmaps in no application area
    description: str
    roadmaps: list[tuple[Roadmap, list[Goal]]]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class RoadmapTree(Record):
    areas: list[AreaRoadmaps]
    unmapped: list[Goal]  # live goals in no roadmap
    highlights: dict[str, list[Goal]]


def roadmap_tree(program: Program, m: Milestone) -> RoadmapTree:
    """Application area → roadmaps → goals (a goal may sit under several), plus highlights."""
    roadmaps = sorted(m.roadmaps, key=lambda r: r.short_title.lower())
    live = live_goals(m)
    in_themes = [(g, {x.lower() for x in all_roadmaps(g)}) for g in live]
    goals_of = {r.key: [g for g, ts in in_themes if r.short_title.strip().lower() in ts] for r in roadmaps}
    areas: dict[str, list[Roadmap]] = defaultdict(list)
    for r in roadmaps:
        for a in r.application_areas or ("",):
            areas[a].append(r)
    for a in program.config.application_areas:
        areas.setdefault(a, [])
    order = [a for a in program.config.application_areas if a in areas]
    order += sorted(a for a in areas if a and a not in order)
    if "" in areas:
        order.append("")
    tree = [
        AreaRoadmaps(a, program.config.application_areas.get(a, ""), [(r, goals_of[r.key]) for r in areas[a]])
        for a in order
    ]
    themes = {t.strip().lower() for r in roadmaps for t in (r.short_title,)}
    unmapped = [g for g, ts in in_themes if not (ts & themes)]
    if not roadmaps:  # older milestones: Flagship themes without documents
        unmapped = [g for g, ts in in_themes if not ts]
    highlights: dict[str, list[Goal]] = defaultdict(list)
    for g in live:
        for h in g.highlights:
            highlights[h].append(g)
    return RoadmapTree(tree, unmapped, dict(sorted(highlights.items())))


def goals_owned_by_team_members(program: Program, m: Milestone, team: str) -> list[Goal]:
    t = program.teams.get(team)
    if t is None or not (t.members or t.leads):
        return []
    return [g for g in live_goals(m) if any(t.has_member(u) for u in g.points_of_contact)]
