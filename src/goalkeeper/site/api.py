"""The read-only JSON API that `goalkeeper serve` answers, and its OpenAPI description.

    GET /api/goals                      every goal (the records of `goalkeeper goals --json`)
    GET /api/goals/{milestone}/{slug}   one goal
    GET /api/teams/{team}               a team and the goals that ask it for support
    GET /api/roadmaps                   every roadmap with its goals
    GET /api/openapi.json               this API, described in OpenAPI 3.1

:func:`answer` maps a path to (HTTP status, JSON-ready body); it never raises for a bad path.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..model import Goal, Program
from ..views.goals import goal_record
from ..views.overview import goals_of_team, teams_in_use
from . import urls

PREFIX = "/api/"


def _tracking(program: Program) -> tuple[Any, dict[str, Any]]:
    """Synced progress and today's health per goal key (empty until a sync has run)."""
    import datetime as dt

    from ..season.health import health_for, health_rules_for
    from ..season.progress import cached_progress

    progress = cached_progress(program)
    if not progress:
        return None, {}
    today = dt.datetime.now(dt.UTC).date()
    return progress, health_for(program, progress, health_rules_for(program.config), today)


def _record(g: Goal, program: Program, progress: Any, health: dict[str, Any]) -> dict[str, Any]:
    rec = {**goal_record(g, progress), "url": urls.goal_url(g, program.config.source)}
    if progress is not None:
        h = health.get(g.key)
        rec["health"] = h.to_json() if h is not None else None
    return rec


def goals(program: Program) -> list[dict[str, Any]]:
    progress, health = _tracking(program)
    return [_record(g, program, progress, health) for g in program.goals]


def goal(program: Program, milestone: str, slug: str) -> dict[str, Any] | None:
    m = program.milestone(milestone)
    g = m.goal(slug) if m else None
    if g is None:
        return None
    progress, health = _tracking(program)
    return _record(g, program, progress, health)


def team(program: Program, name: str) -> dict[str, Any] | None:
    known = {t.lower(): t for t in [*program.teams, *teams_in_use(program)]}
    key = known.get(name.lower())
    if key is None:
        return None
    t = program.teams.get(key)
    return {
        "name": key,
        "display_name": t.display_name if t else "",
        "leads": list(t.leads) if t else [],
        "members": list(t.members) if t else [],
        "archived": bool(t and t.archived),
        "url": urls.team_url(key),
        "goals": [
            {
                "milestone": milestone,
                "slug": row.goal.slug,
                "title": row.goal.title,
                "status": row.goal.status,
                "level": row.level,
                "champion": row.champion,
                "notes": row.notes,
                "url": urls.goal_url(row.goal, program.config.source),
            }
            for milestone, rows in goals_of_team(program, key)
            for row in rows
        ],
    }


def roadmaps(program: Program) -> list[dict[str, Any]]:
    src = program.config.source
    out: list[dict[str, Any]] = []
    for m in program.milestones:
        for r in m.roadmaps:
            out.append({
                "milestone": r.milestone,
                "slug": r.slug,
                "path": r.path,
                "title": r.title,
                "short_title": r.short_title,
                "what_and_why": r.what_and_why,
                "point_of_contact": r.point_of_contact,
                "application_areas": list(r.application_areas),
                "goals": [g.slug for g in m.roadmap_goals(r) if not g.rejected],
                "url": urls.roadmap_url(r, src),
            })
    return out


def answer(program: Program, path: str) -> tuple[int, Any]:
    """(status, body) for an API path (already percent-decoded, starting with `/api/`)."""
    parts = [p for p in path[len(PREFIX):].split("/") if p]
    if parts == ["openapi.json"]:
        return 200, openapi()
    if parts == ["goals"]:
        return 200, goals(program)
    if len(parts) == 3 and parts[0] == "goals":
        body = goal(program, parts[1], parts[2])
        if body is None:
            return 404, _error(f"no goal {parts[2]!r} in milestone {parts[1]!r}")
        return 200, body
    if len(parts) == 2 and parts[0] == "teams":
        body = team(program, parts[1])
        if body is None:
            return 404, _error(f"no team {parts[1]!r}; teams: {', '.join(teams_in_use(program))}")
        return 200, body
    if parts == ["roadmaps"]:
        return 200, roadmaps(program)
    return 404, _error("no such endpoint; see /api/openapi.json")


def _error(message: str) -> dict[str, str]:
    return {"error": message}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}
_NOT_FOUND = _json(_ref("Error"), "Not found")


def _schema_of(value: object) -> dict[str, Any]:
    """A JSON schema for a value of a goal record (the record's shape is the reference)."""
    if value is None:
        return {"type": ["string", "null"]}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, str):
        return dict(_STR)
    if isinstance(value, dict):
        return {"type": "object"}
    if isinstance(value, list | tuple):
        return {"type": "array"}
    return {}


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document describing the API."""
    sample = {**goal_record(Goal("2026", "slug", "src/2026/slug.md", "Title", "Title", "Accepted")),
              "url": ""}
    goal_schema = {
        "type": "object",
        "required": ["milestone", "slug", "path", "title", "status", "url"],
        "properties": {
            **{k: _schema_of(v) for k, v in sample.items()},
            "url": {**_STR, "description": "the goal's page, relative to the site root"},
        },
    }
    team_goal = {
        "type": "object",
        "properties": {k: _STR for k in
                       ("milestone", "slug", "title", "status", "level", "champion", "notes", "url")},
    }
    team_schema = {
        "type": "object",
        "required": ["name", "goals"],
        "properties": {
            "name": _STR, "display_name": _STR, "leads": _STRS, "members": _STRS,
            "archived": {"type": "boolean"}, "url": _STR,
            "goals": {"type": "array", "items": team_goal},
        },
    }
    roadmap_schema = {
        "type": "object",
        "properties": {
            "milestone": _STR, "slug": _STR, "path": _STR, "title": _STR, "short_title": _STR,
            "what_and_why": _STR, "point_of_contact": _STR, "application_areas": _STRS,
            "goals": {**_STRS, "description": "slugs of the roadmap's goals"}, "url": _STR,
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "goalkeeper preview API",
            "version": __version__,
            "description": "Read-only view of the goals program that `goalkeeper serve` is "
                           "previewing. It reflects the documents as last saved.",
        },
        "paths": {
            "/api/goals": {"get": {
                "summary": "Every goal of every milestone",
                "operationId": "listGoals",
                "responses": {"200": _json({"type": "array", "items": _ref("Goal")}, "Goals")},
            }},
            "/api/goals/{milestone}/{slug}": {"get": {
                "summary": "One goal",
                "operationId": "getGoal",
                "parameters": [
                    {"name": "milestone", "in": "path", "required": True, "schema": _STR},
                    {"name": "slug", "in": "path", "required": True, "schema": _STR},
                ],
                "responses": {"200": _json(_ref("Goal"), "The goal"), "404": _NOT_FOUND},
            }},
            "/api/teams/{team}": {"get": {
                "summary": "A team and the goals that ask it for support",
                "operationId": "getTeam",
                "parameters": [{"name": "team", "in": "path", "required": True, "schema": _STR}],
                "responses": {"200": _json(_ref("Team"), "The team"), "404": _NOT_FOUND},
            }},
            "/api/roadmaps": {"get": {
                "summary": "Every roadmap with its goals",
                "operationId": "listRoadmaps",
                "responses": {"200": _json({"type": "array", "items": _ref("Roadmap")}, "Roadmaps")},
            }},
            "/api/openapi.json": {"get": {
                "summary": "This document",
                "operationId": "getOpenAPI",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1 document")},
            }},
        },
        "components": {"schemas": {
            "Goal": goal_schema,
            "Team": team_schema,
            "Roadmap": roadmap_schema,
            "Error": {"type": "object", "required": ["error"], "properties": {"error": _STR}},
        }},
    }
