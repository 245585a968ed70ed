"""Rules that need the whole program: teams, champions, roadmaps, highlights, people, duplicates.

Per-document structure is checked while parsing (:mod:`goalkeeper.sources.goals`,
:mod:`~goalkeeper.sources.roadmaps`, :mod:`~goalkeeper.sources.documents`); this module adds the
cross-document rules and yields diagnostics, never raises.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .constants import Lifecycle, Severity
from .diagnostics import Diagnostics, Span, did_you_mean
from .model import USER_RE, Goal, Milestone, Program, Team, all_roadmaps
from .sources import legacy

HIGHLIGHT_DIRECTIVE_RE = re.compile(r"^HIGHLIGHT (?:GOALS|TABLE|CREDITS): (.+)$")


def run(program: Program, diags: Diagnostics) -> None:
    families: dict[str, list[Team]] = {}  # a team and its subteams, by name (found once)
    for m in program.milestones:
        for g in m.goals:
            _teams_and_champions(program, g, diags, families)
            _sections(program, g, diags)
        _lifecycle(program, m, diags)
        _duplicates(m, diags)
        _roadmap_refs(m, diags)
        _highlights(m, diags)
        _directive_themes(program, m, diags)
    _usernames(program, diags)


def _teams_and_champions(program: Program, g: Goal, diags: Diagnostics,
                         families: dict[str, list[Team]] | None = None) -> None:
    config = program.config
    teams = program.teams
    families = {} if families is None else families
    if program.teams_checked:
        for team, span in [(a.team, a.span) for a in g.asks] + [(c.team, c.span) for c in g.champions]:
            t = teams.get(team)
            if t is None:
                diags.add(
                    span,
                    "unknown-team",
                    f"no team named `{team}`",
                    did_you_mean(team, teams, 0.7) or "known teams: " + ", ".join(
                        sorted(t for t, v in teams.items() if not v.archived)),
                )
            elif t.archived:
                diags.add(
                    span,
                    "archived-team",
                    f"team `{team}` is archived in the team data",
                    "ask the team that took over its work",
                )
    if g.rejected:
        return
    asked = {a.team for a in g.asks}
    needs_champion = {lvl.lower() for lvl in config.champion_levels}
    reported: set[str] = set()
    for a in g.asks:
        if a.level.lower() not in needs_champion or a.team in reported:
            continue
        c = g.champion_for(a.team)
        if c is None or not c.logins:
            reported.add(a.team)
            diags.add(
                a.span,
                "missing-champion",
                f"{a.level} ask of `{a.team}` has no champion",
                f"add `| [{a.team}] champion | @member |` to the metadata table once the team "
                "names one",
                severity=config.missing_champion,
            )
    for c in g.champions:
        if c.team not in asked:
            diags.add(
                c.span,
                "champion-without-ask",
                f"champion row for `{c.team}`, but the goal asks nothing of that team",
                f"add a `[{c.team}]` row to the team asks, or remove the champion row",
            )
        t = teams.get(c.team)
        if program.teams_checked and t is not None and (t.members or t.leads):
            family = families.get(c.team)
            if family is None:
                family = families[c.team] = [t, *_subteams(teams, c.team)]
            for login in c.logins:
                if not any(x.has_member(login) for x in family):
                    diags.add(
                        c.span,
                        "champion-not-member",
                        f"champion @{login} is not a member of team `{c.team}`",
                        "champions mentor on behalf of their team; pick a team member",
                    )


def _subteams(teams: dict[str, Team], name: str) -> list[Team]:
    """Teams below `name` (members of lang-advisors count as lang for championing)."""
    out: list[Team] = []
    todo = [name]
    seen = {name}
    while todo:
        parent = todo.pop()
        for t in teams.values():
            if t.subteam_of == parent and t.name not in seen:
                seen.add(t.name)
                out.append(t)
                todo.append(t.name)
    return out


def _sections(program: Program, g: Goal, diags: Diagnostics) -> None:
    titles = {s.title.lower() for s in g.sections}
    for want in program.config.required_sections:
        if want.lower() not in titles:
            diags.add(
                Span(g.path, g.end_line or 1),
                "missing-section",
                f"goal has no `## {want}` section",
                "see the goal template for the expected sections",
            )


def _lifecycle(program: Program, m: Milestone, diags: Diagnostics) -> None:
    allowed = [x.value for x in Lifecycle]
    for g in m.goals:
        if g.lifecycle and g.lifecycle not in allowed:
            row = next((r for r in g.metadata if r.key.strip().lower() == "lifecycle"), None)
            diags.add(row.value_span if row else g.span, "unknown-lifecycle",
                      f"lifecycle `{g.lifecycle}` is not one of {', '.join(allowed)}",
                      "set it in the goal's `Lifecycle` row or in [lifecycle] in goalkeeper.toml")
        if g.continues_as:
            target = g.continues_as.strip().removesuffix(".md")
            ms, _, slug = target.rpartition("/")
            other = program.milestone(ms)
            if other is None or other.goal(slug) is None:
                row = next((r for r in g.metadata if r.key.strip().lower() == "continues as"), None)
                diags.add(row.value_span if row else g.span, "unknown-continuation",
                          f"`Continues as` names `{g.continues_as}`, which is no goal of the program",
                          "write it as <milestone>/<slug>, e.g. 2027/my-goal")


def _duplicates(m: Milestone, diags: Diagnostics) -> None:
    by_slug: dict[str, list[Goal]] = defaultdict(list)
    by_title: dict[str, list[Goal]] = defaultdict(list)
    by_issue: dict[str, list[Goal]] = defaultdict(list)
    for g in m.goals:
        by_slug[g.slug.lower()].append(g)
        by_title[g.short_title.strip().lower()].append(g)
        if g.tracking_issue is not None:
            by_issue[str(g.tracking_issue).lower()].append(g)
    for code, groups, what in (
        ("duplicate-slug", by_slug, "slug"),
        ("duplicate-short-title", by_title, "short title"),
        ("duplicate-tracking-issue", by_issue, "tracking issue"),
    ):
        for goals in groups.values():
            for g in goals[1:]:
                first = goals[0]
                value = {
                    "slug": g.slug,
                    "short title": g.short_title,
                    "tracking issue": str(g.tracking_issue),
                }[what]
                diags.add(
                    g.span,
                    code,
                    f"{what} `{value}` is also used by {first.path}",
                    f"give each goal of milestone {m.name} its own {what}",
                )


def _roadmap_refs(m: Milestone, diags: Diagnostics) -> None:
    if not m.roadmaps:
        return  # older milestones group goals by `Flagship` themes without documents
    names = {r.short_title.strip().lower(): r for r in m.roadmaps}
    available = ", ".join(sorted(r.short_title for r in m.roadmaps))
    for g in m.goals:
        for theme in all_roadmaps(g):
            if theme.strip().lower() in names:
                continue
            row = next((r for r in g.metadata if theme in r.value), None)
            span = row.value_span if row else g.span
            for s in g.subgoals:
                if theme in s.roadmaps:
                    span = s.span
            diags.add(
                span,
                "unknown-roadmap",
                f"roadmap `{theme}` does not match any `roadmap-*.md` short title",
                f"available roadmaps: {available}",
            )


def _highlights(m: Milestone, diags: Diagnostics) -> None:
    themes: set[str] = set()
    for p in m.pages:
        for text, _line in p.directives:
            hm = HIGHLIGHT_DIRECTIVE_RE.match(text)
            if hm:
                themes.add(hm[1].strip().lower())
    for g in m.goals:
        for h in g.highlights:
            if h.strip().lower() not in themes:
                row = next((r for r in g.metadata if r.key.strip().lower() == "highlight"
                            and h in r.value), None)
                diags.add(
                    row.value_span if row else g.span,
                    "unknown-highlight",
                    f"highlight `{h}` is named by no `(((HIGHLIGHT ...: {h})))` directive in "
                    f"milestone {m.name}",
                    "add the theme to the milestone's highlights page, or fix its spelling",
                )


THEMED_RE = re.compile(
    r"^(?P<kind>(?:ROADMAP|FLAGSHIP) GOALS|ROADMAP ROWS|FUNDING TABLE|HIGHLIGHT (?:GOALS|TABLE|CREDITS)"
    r"|ROADMAPS|GOALS WITH NEEDS):\s*(?P<theme>.+)$"
)


def _directive_themes(program: Program, m: Milestone, diags: Diagnostics) -> None:
    """A directive whose theme matches nothing renders an empty table: say so."""
    roadmaps = {r.short_title.strip().lower() for r in m.roadmaps}
    roadmaps |= {t.strip().lower() for g in m.goals for t in all_roadmaps(g)}
    highlights = {h.strip().lower() for g in m.goals for h in g.highlights}
    areas = {a.lower() for a in program.config.application_areas}
    areas |= {a.lower() for r in m.roadmaps for a in r.application_areas}
    needs = {"funding", "contributor"} | {n.lower() for g in m.goals for n in g.needs}
    for path, text, line in m.directives:
        _status_list(program, path, text, line, diags)
        dm = THEMED_RE.match(text)
        if dm is None:
            continue
        kind, theme = dm["kind"], dm["theme"].strip()
        known, what = (
            (highlights, "highlight theme") if kind.startswith("HIGHLIGHT")
            else (areas, "application area") if kind == "ROADMAPS"
            else (needs, "need") if kind == "GOALS WITH NEEDS"
            else (roadmaps, "roadmap")
        )
        if theme.lower() not in known:
            diags.add(
                Span(path, line),
                "unknown-directive-theme",
                f"`((({text})))` names the {what} `{theme}`, which no goal or roadmap of "
                f"{m.name} has, so it renders an empty table",
                did_you_mean(theme, sorted(known), 0.7) or f"check the spelling against the {what}s of "
                f"{m.name}",
            )


def _status_list(program: Program, path: str, text: str, line: int, diags: Diagnostics) -> None:
    """2024's `<!-- GOALS 'Accepted,Orphaned' -->` (or `(((GOALS WITH STATUS: …)))`) naming a
    status no goal can have: the table would be empty (the reference tool stopped on it)."""
    marker = legacy.HTML_MARKER_RE.fullmatch(text)
    name = legacy.directive_name(marker[1], lambda _t: False) if marker else text
    if not name or not name.startswith("GOALS WITH STATUS:"):
        return
    known = [*program.config.statuses, *(s.capitalize() for s in legacy.STATUSES)]
    for status in name.split(":", 1)[1].split(","):
        if status.strip() and status.strip().lower() not in {k.lower() for k in known}:
            diags.add(
                Span(path, line),
                "unknown-directive-theme",
                f"`{text}` names the status `{status.strip()}`, which is not one of "
                f"{', '.join(known)}, so no goal is listed for it",
                did_you_mean(status.strip(), known) or "use the statuses of the goal documents",
            )


#: The rows naming a goal's points of contact (lowercased), today's and 2024h2's.
POC_ROWS = ("point of contact", *legacy.OWNER_ROWS)


def _usernames(program: Program, diags: Diagnostics) -> None:
    """The same login spelled with different case: an error within a milestone, else a warning."""
    seen: dict[str, dict[str, list[tuple[str, Span, bool]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    lenient: set[str] = set()
    for m in program.milestones:
        # milestones before champion rows: their tools accepted any case, and they are archives
        if legacy.predates_champions(m.goals):
            lenient.add(m.name)
        for g in m.goals:
            uses: list[tuple[str, Span, bool]] = []  # (login, where, counts as an error)
            if g.points_of_contact:
                poc = next((r for r in g.metadata if r.key.strip().lower() in POC_ROWS), None)
                where = poc.value_span if poc else g.span
                for u in g.points_of_contact:
                    uses.append((u, where, True))
            for w in g.work_items:
                for o in w.owners:
                    for u in USER_RE.findall(o):
                        uses.append((u, w.span, True))
            for c in g.champions:
                # champion values are not people's own rows: a warning at most
                for u in c.logins:
                    uses.append((u, c.span, False))
            for u, span, strict in uses:
                seen[u.lower()][u].append((m.name, span, strict))
    for spellings in seen.values():
        if len(spellings) < 2:
            continue
        ranked = sorted(spellings.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        main, main_uses = ranked[0]
        main_milestones = {ms for ms, _, strict in main_uses if strict}
        for other, uses in ranked[1:]:
            for ms, span, strict in uses:
                same = strict and ms in main_milestones
                diags.add(
                    span,
                    "inconsistent-username",
                    f"@{other} is spelled @{main} elsewhere"
                    + (
                        " (in a milestone of the format before champion rows)"
                        if same and ms in lenient
                        else ""
                        if same
                        else " (in another milestone)"
                        if ms not in main_milestones
                        else " (in a champion row)"
                    ),
                    f"write @{main} everywhere (GitHub logins are case-insensitive, but tools "
                    "that group by name are not)",
                    severity=None if same and ms not in lenient else Severity.WARNING,
                )
