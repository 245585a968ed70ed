"""`goalkeeper team TEAM`: one team's review summary as markdown a lead can paste into a doc.

Cells keep their markdown (links, `[team]` references, badges); like the RFC, the summary ends
with the definitions of every label it uses, and people appear by name where known."""

from __future__ import annotations

from ..model import Milestone, Program
from ..views.teams import asks_by_team, goals_owned_by_team_members
from .references import ready_to_paste
from .tables import md_table


def team_review(program: Program, m: Milestone, team: str) -> str:
    ta = next((t for t in asks_by_team(program, m) if t.team == team), None)
    t = program.teams.get(team)
    name = (t.display_name if t and t.display_name else f"{team} team")
    out = [f"# {name}: {m.name} goals review", ""]
    rows = ta.rows if ta else []
    goals = ta.goals if ta else []
    out.append(
        f"{len(goals)} goal{'s' * (len(goals) != 1)} ask{'s' * (len(goals) == 1)} the {team} team "
        f"for support in {m.name}."
    )
    if ta:
        counts = ta.counts()
        out.append(
            "By level: " + ", ".join(f"{n} {lvl}" for lvl, n in counts.items()) + "."
        )
    out.append("")
    levels: dict[str, list[list[str]]] = {}
    for r in rows:
        levels.setdefault(r.level or r.ask_type or "Unsized", []).append(
            [
                r.goal.title + (f" ({r.subgoal})" if r.subgoal else ""),
                "@" + r.goal.point_of_contact if r.goal.point_of_contact else "",
                r.champion or ("**missing**" if r.missing_champion else "n/a"),
                r.notes,
            ]
        )
    for level, lrows in levels.items():
        out += [f"## {level} asks", "", md_table(["Goal", "Point of contact", "Champion", "Notes"], lrows)]
    champions: dict[str, list[str]] = {}
    for r in rows:
        if r.champion:
            champions.setdefault(r.champion, []).append(r.goal.title)
    out += ["## Champions", ""]
    if champions:
        out += [f"- {c}: {', '.join(dict.fromkeys(gs))}" for c, gs in sorted(champions.items())]
    else:
        out.append("No champions yet.")
    out.append("")
    lacking = list(dict.fromkeys(r.goal.title for r in rows if r.missing_champion))
    out += ["## Asks still lacking a champion", ""]
    out += [f"- {g}" for g in lacking] if lacking else ["None."]
    out.append("")
    owned = goals_owned_by_team_members(program, m, team)
    out += ["## Goals led by team members", ""]
    if t is None or not (t.members or t.leads):
        out.append("Team membership is not known (no team data configured).")
    elif owned:
        out += [f"- {g.title} (@{g.point_of_contact}, {g.status})" for g in owned]
    else:
        out.append("None.")
    return ready_to_paste(program, "\n".join(out).rstrip() + "\n")
