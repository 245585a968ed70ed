"""Goal health and the escalation policy, from synced updates and the program calendar.

Rules a program sets in goalkeeper.toml (defaults shown)::

    [health]
    update_every_days = 28     # owners or champions post an update at least this often
    at_risk_after_days = 42    # no update for longer: at risk
    stalled_after_days = 84    # no update for longer: stalled
    question_days = 21         # a question to the team unanswered for longer: at risk
    behind_schedule = 0.5      # at risk when the implementation phase is this much further
                               # along (as a fraction) than the goal's checkboxes
    missing_champion = true    # a Medium/Large ask without champion puts a goal at risk

    [escalation]               # consecutive missed update windows → what the program does
    1 = "reminder"
    2 = "louder reminder and call for contributors"
    3 = "at risk of pausing"

Any comment by the point of contact, a task owner or a champion counts as an update, however
short ("no progress this month, I was away" counts). Days are counted in UTC.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..calendar import Phase, windows
from ..config import raw_config
from ..errors import ConfigError
from ..model import Config, Goal, Program

if TYPE_CHECKING:
    from .progress import GoalProgress


class Health(enum.StrEnum):
    ON_TRACK = "on track"
    AT_RISK = "at risk"
    STALLED = "stalled"
    NO_DATA = "no data"


DEFAULT_ESCALATION = {
    1: "reminder",
    2: "louder reminder and call for contributors",
    3: "at risk of pausing",
}


@dataclass(frozen=True)
class HealthRules:
    update_every_days: int = 28
    at_risk_after_days: int = 42
    stalled_after_days: int = 84
    question_days: int = 21
    behind_schedule: float = 0.5
    missing_champion: bool = True
    escalation: dict[int, str] = field(default_factory=lambda: dict(DEFAULT_ESCALATION))


def health_rules_for(config: Config) -> HealthRules:
    """The program's health rules, from goalkeeper.toml's [health] and [escalation]."""
    return health_rules(raw_config(config), str(config.path or config.root))


def health_rules(raw: Mapping[str, Any], where: str) -> HealthRules:
    h = raw.get("health", {})
    e = raw.get("escalation", {})
    if not isinstance(h, dict) or not isinstance(e, dict):
        raise ConfigError(f"{where}: [health] and [escalation] must be tables")
    ints = {}
    for key in ("update_every_days", "at_risk_after_days", "stalled_after_days", "question_days"):
        if key in h:
            v = h[key]
            if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
                raise ConfigError(f"{where}: [health] {key} must be a positive number of days")
            ints[key] = v
    behind = h.get("behind_schedule", 0.5)
    if not isinstance(behind, int | float) or not 0 < behind <= 1:
        raise ConfigError(f"{where}: [health] behind_schedule must be a fraction in (0, 1]")
    escalation = dict(DEFAULT_ESCALATION)
    if e:
        escalation = {}
        for k, v in e.items():
            if not str(k).isdigit() or not isinstance(v, str):
                raise ConfigError(f"{where}: [escalation] keys are numbers of missed updates, "
                                  f"values what to do, e.g. 1 = \"reminder\"")
            escalation[int(k)] = v
    rules = HealthRules(**ints, behind_schedule=float(behind),
                        missing_champion=bool(h.get("missing_champion", True)), escalation=escalation)
    if not rules.update_every_days <= rules.at_risk_after_days <= rules.stalled_after_days:
        raise ConfigError(f"{where}: [health] needs update_every_days <= at_risk_after_days "
                          "<= stalled_after_days")
    return rules


@dataclass(frozen=True, slots=True)
class GoalHealth:
    goal: str  # milestone/slug
    health: Health
    reasons: tuple[str, ...]
    last_update: dt.date | None
    days_since_update: int | None
    missed_windows: int  # consecutive update windows without an update
    escalation: str  # what the policy says to do now ("" when nothing)
    issue_url: str = ""
    #: Where missed windows are counted from: the last update, else the implementation start.
    since: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "health": str(self.health),
            "reasons": list(self.reasons),
            "last_update": self.last_update.isoformat() if self.last_update else None,
            "days_since_update": self.days_since_update,
            "missed_updates": self.missed_windows,
            "escalation": self.escalation or None,
        }


QUESTION_RE = re.compile(r"\?\s*$", re.M)


def goal_health(
    program: Program, goal: Goal, gp: GoalProgress | None, rules: HealthRules, today: dt.date
) -> GoalHealth:
    """The health of one goal today."""
    reasons: list[str] = []
    if not goal.accepted:
        return GoalHealth(goal.key, Health.NO_DATA, (f"status is {goal.status}",), None, None, 0, "")
    if goal.lifecycle in ("completed", "withdrawn"):
        return GoalHealth(goal.key, Health.ON_TRACK if goal.lifecycle == "completed" else Health.NO_DATA,
                          (goal.lifecycle,), None, None, 0, "")
    if gp is None or not gp.synced:
        why = "no tracking issue" if goal.tracking_issue is None else "tracking issue not synced"
        return GoalHealth(goal.key, Health.NO_DATA, (why,), None, None, 0, "")

    impl = next((w for w in windows(goal.milestone, program.config.calendar.get(goal.milestone),
                                    str(program.config.path or program.root))
                 if w.phase is Phase.IMPLEMENTATION), None)
    people_updates = [u for u in (*gp.updates, *((gp.tldr,) if gp.tldr else ())) if u.roles]
    last = max((dt.date.fromisoformat(u.created_at[:10]) for u in people_updates), default=None)
    since = last or (impl.start if impl else None)
    days = (today - since).days if since else None
    health = Health.ON_TRACK
    if gp.state == "closed":
        return GoalHealth(goal.key, Health.ON_TRACK, ("tracking issue closed",), last,
                          (today - last).days if last else None, 0, "", gp.url)
    missed = 0
    if days is not None and days >= 0:
        missed = days // rules.update_every_days
        if days > rules.stalled_after_days:
            health = Health.STALLED
            reasons.append(f"no update by its people for {days} days" if last
                           else f"no update since the implementation phase began {days} days ago")
        elif days > rules.at_risk_after_days:
            health = Health.AT_RISK
            reasons.append(f"no update by its people for {days} days" if last
                           else f"no update since the implementation phase began {days} days ago")
    # progress against the calendar
    p = gp.progress
    if impl and p.kind == "tracked" and p.total and impl.start <= today <= impl.end:
        elapsed = (today - impl.start).days / max((impl.end - impl.start).days, 1)
        done = p.completed / p.total
        if elapsed - done >= rules.behind_schedule:
            reasons.append(f"{done:.0%} of tasks done with {elapsed:.0%} of "
                           f"{period_name(goal.milestone)} gone")
            health = max(health, Health.AT_RISK, key=_rank)
    # open questions to the team
    champions = {u.lower() for c in goal.champions for u in c.logins}
    question = _unanswered_question(gp, champions, today, rules.question_days)
    if question:
        reasons.append(question)
        health = max(health, Health.AT_RISK, key=_rank)
    if rules.missing_champion:
        needs = {lvl.lower() for lvl in program.config.champion_levels}
        lacking = sorted({a.team for a in goal.asks if a.level.lower() in needs
                          and not ((c := goal.champion_for(a.team)) and c.logins)})
        if lacking:
            reasons.append("no champion for " + ", ".join(lacking))
            health = max(health, Health.AT_RISK, key=_rank)
    top = max(rules.escalation, default=0)
    level = min(missed, top)
    escalation = rules.escalation.get(level, "") if missed else ""
    if missed and level == top:
        health = max(health, Health.AT_RISK, key=_rank)
        reasons.append(f"{missed} update windows missed in a row: {escalation}")
    return GoalHealth(goal.key, health, tuple(reasons), last, days if last else None, missed,
                      escalation, gp.url, since)


def period_name(milestone: str) -> str:
    """How to name a milestone's span in a sentence: "the year", "the half-year", "2026q3"."""
    if re.fullmatch(r"\d{4}", milestone):
        return "the year"
    if re.fullmatch(r"\d{4}h[12]", milestone, re.IGNORECASE):
        return "the half-year"
    return f"the {milestone} period"


def _rank(h: Health) -> int:
    return {Health.NO_DATA: 0, Health.ON_TRACK: 1, Health.AT_RISK: 2, Health.STALLED: 3}[h]


def _unanswered_question(gp: GoalProgress, champions: set[str], today: dt.date, limit: int) -> str:
    """A question (a line ending in `?`) by the goal's people that no champion answered."""
    updates = sorted((*gp.updates, *((gp.tldr,) if gp.tldr else ())), key=lambda u: u.created_at)
    for i, u in enumerate(updates):
        if "champion" in u.roles or not QUESTION_RE.search(u.body):
            continue
        answered = any(v.author.lower() in champions for v in updates[i + 1:])
        asked = dt.date.fromisoformat(u.created_at[:10])
        if not answered and (today - asked).days > limit:
            return f"question of {asked} unanswered by a champion for {(today - asked).days} days"
    return ""


def health_for(
    program: Program, progress: Mapping[str, GoalProgress] | None, rules: HealthRules,
    today: dt.date, milestone: str | None = None,
) -> dict[str, GoalHealth]:
    out = {}
    for m in program.milestones:
        if milestone and m.name != milestone:
            continue
        for g in m.goals:
            out[g.key] = goal_health(program, g, (progress or {}).get(g.key), rules, today)
    return out
