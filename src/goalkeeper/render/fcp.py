"""The comment that starts the final comment period of a goals RFC.

As the Rust program's `fcp` command makes it: one section per team asked for support, with a
checkbox for everyone on the team. Leads are @-mentioned and required; other members are
optional and written without `@`, so they are not pinged (GitHub notifies at most 50 people
per comment). An archived team (merged into another) gets no checkboxes but says clearly where
its asks go.
"""

from __future__ import annotations

from ..model import Milestone, Program, Team
from ..records import Record, dataclass

#: GitHub notifies at most this many @-mentioned users per comment.
MENTION_LIMIT = 50


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Fcp(Record):
    text: str
    mentions: tuple[str, ...]  # the @-mentioned logins, each once
    hints: tuple[str, ...]  # what the program manager should know (no team data, too many leads)


def fcp_comment(program: Program, m: Milestone) -> Fcp:
    live = [g for g in m.goals if not g.rejected]
    teams = sorted({a.team for g in live for a in g.asks})
    count = {t: sum(1 for g in live if t in g.teams) for t in teams}
    known = program.teams_checked
    lines = [
        "@rfcbot fcp merge",
        "",
        f"This RFC proposes the {m.name} slate of {len(live)} project goals. Unlike other RFCs "
        "it is not decided by one team: each team below is asked for support by at least one "
        "goal, and by checking a box you confirm that your team has reviewed its asks and that "
        "its listed champions have agreed to serve.",
        "",
        "The leads of each team are required to check their box (they are pinged); other members "
        "are welcome to check theirs too (they are listed without `@`, so they are not pinged)."
        if known else "A lead of each team checks the team's box.",
    ]
    mentions: dict[str, str] = {}
    hints: list[str] = []
    answered_by: dict[str, list[str]] = {}
    for team in teams:
        t = program.teams.get(team)
        parent = _successor(program, t) if known and t is not None and t.archived else None
        if parent is not None:
            answered_by.setdefault(parent.name, []).append(team)
    for team in teams:
        t = program.teams.get(team)
        n = count[team]
        head = f"### {team} team ({n} goal{'s' * (n != 1)})"
        if not known or t is None:
            lines += ["", head, "", f"* [ ] {team}"]
            continue
        if t.archived:
            parent = _successor(program, t)
            why = f" {t.note.rstrip('.')}." if t.note else ""
            where = (f"Its asks go to the {parent.name} team, whose leads check for them below."
                     if parent is not None else
                     "No live team takes its asks: ask the goals team where they go before the "
                     "FCP starts.")
            lines += ["", f"### {team} team: archived ({n} goal{'s' * (n != 1)})", "",
                      f"The {team} team no longer exists in the team data.{why} {where}"]
            continue
        lines += ["", head, ""]
        also = answered_by.get(team, [])
        if also:
            lines += [f"This team also answers for the asks of {', '.join(also)} (archived).", ""]
        leads = list(dict.fromkeys(t.leads))
        low_leads = {x.lower() for x in leads}
        for lead in leads:
            mentions.setdefault(lead.lower(), lead)
            lines.append(f"* [ ] @{lead} (lead)")
        if not leads:
            lines.append("* (no lead in the team data: a member checks for the team)")
        for member in sorted({x for x in t.members if x.lower() not in low_leads}, key=str.lower):
            name = program.person(member).name.replace("@", "")  # a name pings no one
            shown = f"{name} ({member})" if name and name.lower() != member.lower() else member
            lines.append(f"* [ ] {shown}")
    if not known:
        hints.append("no team data: the comment cannot list team leads and members; pass "
                     "--teams DIR (a rust-lang/team checkout) or add [teams.<name>] tables to "
                     "goalkeeper.toml")
    if len(mentions) > MENTION_LIMIT:
        hints.append(f"the comment pings {len(mentions)} leads; GitHub notifies at most "
                     f"{MENTION_LIMIT} people per comment: split it in two")
    return Fcp("\n".join(lines) + "\n", tuple(mentions.values()), tuple(hints))


def _successor(program: Program, t: Team) -> Team | None:
    """The live team an archived team was merged into (its `subteam-of` parent), if any."""
    seen = {t.name}
    parent = program.teams.get(t.subteam_of) if t.subteam_of else None
    while parent is not None and parent.archived and parent.subteam_of not in seen:
        seen.add(parent.name)
        parent = program.teams.get(parent.subteam_of)
    return parent if parent is not None and not parent.archived else None


def fcp_text(program: Program, m: Milestone) -> str:
    return fcp_comment(program, m).text
