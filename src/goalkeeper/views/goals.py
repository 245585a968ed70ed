"""The goal list: filtering and one flat record per goal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..model import Goal, Program, all_roadmaps

if TYPE_CHECKING:
    from ..season.progress import GoalProgress


def filter_goals(
    program: Program,
    *,
    milestone: str | None = None,
    status: str | None = None,
    team: str | None = None,
    roadmap: str | None = None,
) -> list[Goal]:
    out: list[Goal] = []
    for m in program.milestones:
        if milestone and m.name != milestone:
            continue
        for g in m.goals:
            if status and g.status.lower() != status.strip().lower():
                continue
            if team and team.lower() not in {t.lower() for t in g.teams}:
                continue
            if roadmap and roadmap.strip().lower() not in {r.lower() for r in all_roadmaps(g)}:
                continue
            out.append(g)
    return out


def goal_record(g: Goal, progress: Mapping[str, GoalProgress] | None = None) -> dict[str, object]:
    """A JSON-ready record of a goal (the shape of `goalkeeper goals --json`).

    With `progress` (from :func:`goalkeeper.season.progress.progress_for`), the record carries the
    goal's synced progress and updates under "progress" (null when it has none).
    """
    extra: dict[str, object] = {}
    if progress is not None:
        gp = progress.get(g.key)
        extra["progress"] = gp.to_json() if gp is not None else None
    return {
        "milestone": g.milestone,
        "slug": g.slug,
        "path": g.path,
        "line": g.span.line,
        "title": g.title,
        "short_title": g.short_title,
        "status": g.status,
        "accepted": g.accepted,
        "accepted_by": g.accepted_by or None,
        "lifecycle": g.lifecycle or None,
        "continues_as": g.continues_as or None,
        "point_of_contact": g.point_of_contact,
        "tracking_issue": str(g.tracking_issue) if g.tracking_issue else None,
        "other_tracking_issues": [str(i) for i in g.other_tracking_issues],
        "chat_channel": g.chat_channel,
        "roadmaps": list(all_roadmaps(g)),
        "highlights": list(g.highlights),
        "what_and_why": g.what_and_why,
        "format": str(g.format),
        "size": g.size(),
        "teams": list(g.teams),
        "champions": {c.team: c.value for c in g.champions},
        "asks": [
            {
                "team": a.team,
                "level": a.level or None,
                "ask_type": a.ask_type or None,
                "notes": a.notes,
                "subgoal": a.subgoal or None,
            }
            for a in g.asks
        ],
        "task_owners": list(g.task_owners),
        "work_items": [
            {"task": w.task, "owners": list(w.owners), "notes": w.notes,
             "subgoal": w.subgoal or None, "complete": w.complete}
            for w in g.work_items
        ],
        "help_wanted": [
            {"task": h.task, "experience": h.experience, "time": h.time} for h in g.help_wanted
        ],
        "funding": [
            {"purpose": f.purpose, "cost": f.cost, "funded": f.funded, "sponsors": f.sponsors}
            for f in g.funding
        ],
        "subgoals": [
            {"title": s.title, "anchor": s.anchor, "roadmaps": list(s.roadmaps),
             "timespan": s.timespan, "what_and_why": s.what_and_why}
            for s in g.subgoals
        ],
    } | extra
