"""The pages goalkeeper makes from the program rather than from one document: the dashboard
(status, team load, health, calendar, minutes and proposals, with their charts), search, the
teams and each team, champions, highlights, application areas, goals not accepted, the home
page and the milestones' index pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..constants import MINUTES_DIR
from ..errors import GoalkeeperError
from ..model import Program
from ..views import overview
from . import urls
from .charts import stacked_bars
from .documents import Doc, people_terms, team_terms
from .reports import synced
from .search import SearchDoc

STATUS_COLORS = {
    "Accepted": "#009E73",
    "Proposed": "#0072B2",
    "Invited": "#56B4E9",
    "Proposed for mentorship": "#CC79A7",
    "Not accepted": "#999999",
}
LEVEL_COLORS = {"Large": "#D55E00", "Medium": "#E69F00", "Small": "#0072B2", "Vibes": "#999999"}
HEALTH_COLORS = {"on track": "#2da44e", "at risk": "#d4a72c", "stalled": "#cf222e",
                 "no data": "#8c959f"}


def generated_urls(program: Program, docs: list[Doc], teams: list[str]) -> list[str]:
    have = {d.url for d in docs}
    out = [urls.DASHBOARD, urls.SEARCH, urls.TEAMS, urls.CHAMPIONS, urls.HIGHLIGHTS, urls.AREAS,
           urls.NOT_ACCEPTED, urls.NOT_FOUND, urls.TOC, urls.PRINT]
    out += [urls.team_url(t) for t in teams]
    if urls.HOME not in have:
        out.append(urls.HOME)
    for m in program.milestones:
        idx = f"{urls.source_rel(m.path, program.config.source)}/index.html"
        if idx not in have:
            out.append(idx)
    return out


def program_pages(program: Program, generated: list[str]) -> list[tuple[str, str]]:
    pages = [
        ("Dashboard", urls.DASHBOARD),
        ("Goals by team", urls.TEAMS),
        ("Champions", urls.CHAMPIONS),
        ("Highlights", urls.HIGHLIGHTS),
        ("Application areas", urls.AREAS),
        ("Goals not accepted", urls.NOT_ACCEPTED),
        ("Search", urls.SEARCH),
    ]
    return [(t, u) for t, u in pages if u in generated]


def generated_pages(
    program: Program,
    generated: list[str],
    teams: list[str],
    page: Callable[..., object],
    search_docs: list[SearchDoc],
) -> None:
    gen = set(generated)
    config = program.config
    milestones = list(reversed(program.milestones))

    def emit(url: str, template: str, title: str, **ctx: Any) -> None:
        if url in gen:
            page(template, url, title, **ctx)

    emit(urls.DASHBOARD, "dashboard.html", "Dashboard", **_dashboard(program))
    emit(urls.SEARCH, "search.html", "Search")
    emit(urls.NOT_FOUND, "404.html", "Page not found")
    team_rows = {m.name: {r.team: r for r in overview.team_load(program, m)} for m in milestones}
    emit(urls.TEAMS, "teams.html", "Goals by team", teams=[  # teams some goal asks
        (t, program.teams.get(t)) for t in teams
    ], milestones=milestones, load=team_rows)
    for t in teams:
        team = program.teams.get(t)
        by_milestone = overview.goals_of_team(program, t)
        title = (team.display_name if team and team.display_name else t)
        emit(urls.team_url(t), "team.html", title, team_name=t, team=team,
             goals=by_milestone, person=program.person)
        if urls.team_url(t) in gen:
            members = [*(team.leads if team else ()), *(team.members if team else ())]
            search_docs.append(SearchDoc(
                url=urls.team_url(t), title=f"{title} ({t})" if title != t else t, kind="team",
                milestone="", summary=f"Goals that ask the {t} team for support",
                people=" ".join(people_terms(program, list(dict.fromkeys(members)))),
                teams=" ".join(team_terms(program, [t])),
                text=" ".join(g.goal.title for _, rows in by_milestone for g in rows),
            ))
    emit(urls.CHAMPIONS, "champions.html", "Champions",
         champions=[(m.name, overview.champions(program, m)) for m in milestones],
         person=program.person)
    emit(urls.HIGHLIGHTS, "highlights.html", "Highlights",
         highlights=[(m.name, overview.highlights(m)) for m in milestones])
    emit(urls.AREAS, "areas.html", "Application areas and roadmaps",
         areas=overview.application_areas(program))
    emit(urls.NOT_ACCEPTED, "not_accepted.html", "Goals not accepted",
         rejected=overview.not_accepted(program))
    emit(urls.HOME, "home.html", config.project_name or "Goals", milestones=milestones)
    for m in program.milestones:
        idx = f"{urls.source_rel(m.path, config.source)}/index.html"
        emit(idx, "milestone.html", f"{m.name} goals", milestone=m,
             goals=overview.by_title([g for g in m.goals if not g.rejected]),
             roadmaps=sorted(m.roadmaps, key=lambda r: r.title.lower()))


def _dashboard(program: Program) -> dict[str, Any]:
    counts = overview.status_counts(program)
    order = overview.status_order(program)
    used = [s for s in order if any(c[s] for _, c in counts)]
    status_chart = _chart(
        "Goals per status and milestone",
        [m for m, _ in counts],
        [(s, [c[s] for _, c in counts]) for s in used],
        ident="status",
        colors=STATUS_COLORS,
    ) if counts else ""
    loads = []
    for m in reversed(program.milestones):
        rows = overview.team_load(program, m)
        rank = {lvl.lower(): i for i, lvl in enumerate(program.config.support_levels)}
        levels = sorted(dict.fromkeys(k for r in rows for k in r.by_level),
                        key=lambda k: (-rank.get(k.lower(), -1), k))
        chart = _chart(
            f"Team load in {m.name}: goals per team and support level",
            [r.team for r in rows],
            [(lvl, [r.by_level.get(lvl, 0) for r in rows]) for lvl in levels],
            ident=f"load-{m.name}",
            colors=LEVEL_COLORS,
        ) if rows else ""
        loads.append((m, rows, levels, Markup(chart)))
    return {
        "counts": counts,
        "statuses": used,
        "status_chart": Markup(status_chart),
        "loads": loads,
        "highlights": [(m.name, overview.highlights(m)) for m in reversed(program.milestones)],
        "milestones": list(reversed(program.milestones)),
        **_tracking(program),
        **_calendar(program),
        **_minutes(program),
        **_proposals(program),
    }


def _proposals(program: Program) -> dict[str, Any]:
    """Goals proposed in open pull requests, once `goalkeeper sync` has read them."""
    if not synced(program.root):  # (without importing the forge's records and SQLite)
        return {"proposals": []}
    from ..season.proposals import cached_pulls, summary, target_milestones

    pulls = cached_pulls(program)
    if not pulls:
        return {"proposals": []}
    found = [summary(program, pulls, m) for m in target_milestones(program)]
    return {"proposals": [s for s in found if s.proposals]}


def _tracking(program: Program) -> dict[str, Any]:
    """Progress and health per goal of the newest milestone, once tracking data is synced."""
    if not synced(program.root):
        return {"tracking": None}
    import datetime as dt

    from ..season.health import health_for, health_rules_for
    from ..season.progress import cached_progress

    progress = cached_progress(program) if program.milestones else None
    if not progress:
        return {"tracking": None}
    today = dt.datetime.now(dt.UTC).date()
    m = program.milestones[-1]
    health = health_for(program, progress, health_rules_for(program.config), today, m.name)
    rows = [(g, progress.get(g.key), health.get(g.key))
            for g in overview.by_title([g for g in m.goals if g.accepted])]
    order = ["on track", "at risk", "stalled", "no data"]
    counts = {name: sum(1 for _, _, h in rows if h is not None and str(h.health) == name)
              for name in order}
    chart = _chart(f"Health of the {m.name} goals", [m.name],
                        [(name, [n]) for name, n in counts.items() if n],
                        ident="health", colors=HEALTH_COLORS)
    return {"tracking": {"milestone": m, "rows": rows, "today": today, "counts": counts,
                         "chart": Markup(chart)}}


def _calendar(program: Program) -> dict[str, Any]:
    import datetime as dt

    from ..calendar import PHASE_TITLES, program_windows

    wins = program_windows([m.name for m in program.milestones], program.config.calendar,
                           str(program.config.path or program.root))
    today = dt.datetime.now(dt.UTC).date()
    shown = [w for w in wins if w.end >= today - dt.timedelta(days=400)]
    return {"timeline": [(w, PHASE_TITLES[w.phase], w.contains(today),
                          w.end < today, (today - w.start).days + 1,
                          (w.end - w.start).days + 1) for w in shown],
            "today": today}


def _minutes(program: Program) -> dict[str, Any]:
    """Words of meeting minutes per month and team, where minutes are configured."""
    config = program.config.path
    if not (program.root / MINUTES_DIR).exists() and (
            config is None or b"minutes" not in _read(config)):
        return {"minutes_chart": None}  # no folder nor [minutes] table: nothing to read
    from ..sources.minutes.folders import load_minutes
    from ..sources.minutes.stats import per_month

    try:
        minutes = load_minutes(program.root)
    except GoalkeeperError:
        return {"minutes_chart": None}
    if not minutes.meetings:
        return {"minutes_chart": None}
    months = per_month(minutes.meetings)[-12:]
    teams = sorted({t for r in months for t, _ in r.team_words})
    chart = _chart("Words of meeting minutes per month and team",
                        [r.month for r in months],
                        [(t, [dict(r.team_words).get(t, 0) for r in months]) for t in teams],
                        ident="minutes", colors={})
    return {"minutes_chart": Markup(chart), "minutes_total": sum(m.words for m in minutes.meetings),
            "minutes_count": len(minutes.meetings), "minutes_teams": teams,
            "minutes_months": [(r.month, [dict(r.team_words).get(t, 0) for t in teams])
                               for r in months]}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _chart(title: str, labels: list[str], series: list[tuple[str, list[int]]], *,
           ident: str, colors: dict[str, str]) -> str:
    return stacked_bars(title, tuple(labels), tuple((n, tuple(v)) for n, v in series),
                        ident=ident, colors=tuple(sorted(colors.items())))
