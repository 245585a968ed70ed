"""Funding and help wanted: what funders and would-be contributors look for."""

from __future__ import annotations

from decimal import Decimal

from ..constants import HELP_WANTED_STATUSES
from ..model import Goal, Milestone, Program, all_roadmaps
from ..records import Record, dataclass
from ..render.funding import funded_state, goal_funding, parse_cost
from .teams import live_goals


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class FundingNeed(Record):
    goal: Goal
    status: str  # "No", "Partial", "Funded"
    total: str  # "$60,000", "TBD" or "Ask"
    dollars: Decimal  # known amounts only
    sponsors: str
    contact: str
    roadmaps: tuple[str, ...]
    areas: tuple[str, ...]


def funding(program: Program, m: Milestone) -> list[FundingNeed]:
    areas_of = {r.short_title.lower(): r.application_areas for r in m.roadmaps}
    out = []
    for g in live_goals(m):
        if not g.funding:
            continue
        emoji, total, sponsors = goal_funding(g)
        status = {"✅": "Funded", "🟡": "Partial", "🟥": "No"}[emoji]
        known = [c for c in (parse_cost(f.cost) for f in g.funding) if isinstance(c, Decimal)]
        roadmaps = all_roadmaps(g)
        areas = tuple(dict.fromkeys(a for r in roadmaps for a in areas_of.get(r.lower(), ())))
        out.append(FundingNeed(g, status, total, sum(known, Decimal(0)), sponsors,
                               g.funding_contact or program.config.funding_contact, roadmaps, areas))
    return out


def unfunded_total(needs: list[FundingNeed]) -> Decimal:
    """Known dollar amounts of rows not yet fully funded."""
    total = Decimal(0)
    for n in needs:
        for f in n.goal.funding:
            cost = parse_cost(f.cost)
            if isinstance(cost, Decimal) and funded_state(f.funded) != "Funded":
                total += cost
    return total


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class HelpWantedItem(Record):
    goal: Goal
    task: str
    experience: str
    time: str
    source: str  # "help wanted table", "work item", "Needs row"


def help_wanted(program: Program, m: Milestone) -> list[HelpWantedItem]:
    out: list[HelpWantedItem] = []
    for g in live_goals(m):
        for h in g.help_wanted:
            out.append(HelpWantedItem(g, h.task, h.experience, h.time, "help wanted table"))
        for w in g.work_items:
            if w.help_wanted:
                out.append(HelpWantedItem(g, w.task, "", "", "work item"))
        before = len(out)
        for n in g.needs:
            if n.lower() == "contributor" and not g.help_wanted:
                out.append(HelpWantedItem(g, "(see the goal)", "", "", "Needs row"))
        if len(out) == before and g.status.strip().lower() in HELP_WANTED_STATUSES:
            # `Proposed for mentorship` / `Invited`: the whole goal looks for its people
            out.append(HelpWantedItem(g, "(see the goal)", "", "", f"status {g.status.strip()}"))
    return out
