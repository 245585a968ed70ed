"""What needs the program manager's action today, most urgent first, and reminder comments.

Reminders carry a marker naming the goal and the update window they are about, so the same gap
never gets two reminders: `--commit` skips a reminder whose marker is already in a synced comment
of the issue or in the local ledger of posted reminders.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..fsutil import write_atomic
from ..model import Program
from .health import GoalHealth, Health, HealthRules

if TYPE_CHECKING:
    from ..forge.records import RemoteIssue
    from ..sources.minutes.stats import SeriesRow
    from .progress import GoalProgress

# urgency: lower is more urgent
STALLED, ESCALATED, OVERDUE, NO_ISSUE, NO_CHAMPION, AT_RISK, ORPHAN, PAUSED, MINUTES = range(9)
KIND_NAMES = {
    STALLED: "stalled", ESCALATED: "escalation", OVERDUE: "update overdue",
    NO_ISSUE: "no tracking issue", NO_CHAMPION: "missing champion", AT_RISK: "at risk",
    ORPHAN: "orphan tracking issue", PAUSED: "paused", MINUTES: "minutes overdue",
}
UNAVAILABLE = 9  # progress the last sync could not read (SSO, a deleted link, a bad search)
KIND_NAMES[UNAVAILABLE] = "progress unavailable"


@dataclass(frozen=True, slots=True)
class Item:
    urgency: int
    subject: str  # goal key, issue or series
    reason: str
    link: str = ""

    @property
    def kind(self) -> str:
        return KIND_NAMES[self.urgency]


def attention(
    program: Program,
    health: Mapping[str, GoalHealth],
    *,
    milestone: str,
    issues: Sequence[RemoteIssue] = (),
    series: Sequence[SeriesRow] = (),
    progress: Mapping[str, GoalProgress] | None = None,
) -> list[Item]:
    m = program.milestone(milestone)
    items: list[Item] = []
    if m is None:
        return items
    needs = {lvl.lower() for lvl in program.config.champion_levels}
    known: dict[tuple[str, int], str] = {}
    for g in m.goals:
        if g.tracking_issue:
            known[(g.tracking_issue.repository.lower(), g.tracking_issue.number)] = g.key
        if not g.accepted:
            continue
        h = health.get(g.key)
        link = (h.issue_url if h and h.issue_url else
                g.tracking_issue.url if g.tracking_issue else g.path)
        if g.lifecycle == "paused":
            items.append(Item(PAUSED, g.key, "paused: resuming needs the team's re-approval", link))
            continue
        if g.lifecycle in ("completed", "withdrawn"):
            continue
        if g.tracking_issue is None:
            items.append(Item(NO_ISSUE, g.key, "accepted goal without a tracking issue; run "
                              f"`goalkeeper issues {m.name} --commit`", g.path))
        lacking = sorted({a.team for a in g.asks if a.level.lower() in needs
                          and not ((c := g.champion_for(a.team)) and c.logins)})
        if lacking:
            items.append(Item(NO_CHAMPION, g.key, "asks without a champion: " + ", ".join(lacking),
                              g.path))
        p = (progress or {}).get(g.key)
        if (p is not None and g.tracking_issue is not None and p.progress.kind == "error"
                and "not synced" not in p.progress.message):
            items.append(Item(UNAVAILABLE, g.key, p.progress.message, link))
        if h is None or h.health is Health.NO_DATA:
            continue
        if h.health is Health.STALLED:
            items.append(Item(STALLED, g.key, "; ".join(h.reasons), link))
        elif h.escalation and h.missed_windows >= 2:
            items.append(Item(ESCALATED, g.key, f"{h.missed_windows} updates missed: {h.escalation}",
                              link))
        elif h.missed_windows >= 1:
            items.append(Item(OVERDUE, g.key, f"update overdue ({h.days_since_update} days since "
                              "the last one)" if h.days_since_update is not None
                              else "no update yet this period", link))
        elif h.health is Health.AT_RISK:
            items.append(Item(AT_RISK, g.key, "; ".join(h.reasons), link))
    for issue in issues:
        if "c-tracking-issue" not in {lb.lower() for lb in issue.labels} or issue.is_closed:
            continue
        key = known.get((issue.repo.lower(), issue.number))
        if key is None:
            items.append(Item(ORPHAN, f"{issue.repo}#{issue.number}",
                              f"open tracking issue \"{issue.title}\" belongs to no goal of "
                              f"{m.name} (goal removed, or its document names another issue)",
                              issue.url))
            continue
        goal = m.goal(key.split("/", 1)[1])
        if goal is not None and issue.title.strip() != goal.title.strip():
            items.append(Item(ORPHAN, f"{issue.repo}#{issue.number}",
                              f"issue title \"{issue.title}\" differs from the goal's title "
                              f"\"{goal.title}\" (renamed goal?)", issue.url))
    for s in series:
        if s.overdue:
            last = f"last minutes {s.last}" if s.last else "no minutes yet"
            items.append(Item(MINUTES, s.name, f"{last}; the series meets every "
                              f"{s.cadence_days} days"))
    return sorted(items, key=lambda i: (i.urgency, i.subject))


# --------------------------------------------------------------------------- reminders


@dataclass(frozen=True, slots=True)
class Reminder:
    goal: str
    repo: str
    number: int
    marker: str
    body: str


def marker(goal_key: str, window_start: dt.date) -> str:
    from ..forge.names import REMINDER_PREFIX

    return f"{REMINDER_PREFIX}{goal_key} {window_start.isoformat()} -->"


def draft_reminders(
    program: Program, health: Mapping[str, GoalHealth], progress: Mapping[str, GoalProgress],
    rules: HealthRules, today: dt.date,
) -> list[Reminder]:
    out = []
    for key, h in sorted(health.items()):
        gp = progress.get(key)
        if not h.missed_windows or gp is None or gp.issue is None or h.health is Health.NO_DATA:
            continue
        milestone, slug = key.split("/", 1)
        m = program.milestone(milestone)
        goal = m.goal(slug) if m else None
        if goal is None:
            continue
        if h.since is None:
            continue
        # the gap this reminder is about: fixed for a given missed window, so a reminder is
        # posted once per window, however many days the command runs in it
        window = h.since + dt.timedelta(days=rules.update_every_days * h.missed_windows)
        who = " ".join(f"@{p}" for p in goal.points_of_contact) or "the goal's owners"
        lines = [marker(key, window), "",
                 f"Hi {who}! This goal has had no update "
                 + (f"since {h.last_update}" if h.last_update else "this period")
                 + f" ({h.missed_windows} update window{'s' * (h.missed_windows != 1)} missed)."]
        if h.missed_windows >= 2:
            lines += ["", "If the work is stuck or you need help, say so: a short comment such as "
                      "\"no progress this month\" counts as an update, and a `Help wanted:` line "
                      "tells contributors how they can join."]
        if h.escalation:
            lines += ["", f"Under the program's escalation policy this goal is now: **{h.escalation}**."]
        lines += ["", "Please post a short update: what moved, what is blocked, and whether you need "
                  "anything from the teams. Thank you!"]
        out.append(Reminder(key, gp.issue.repository, gp.issue.number, marker(key, window),
                            "\n".join(lines)))
    return out


def ledger_path(root: Path) -> Path:
    return root / ".goalkeeper-cache" / "reminders.json"


def read_ledger(root: Path) -> set[str]:
    try:
        data = json.loads(ledger_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(x) for x in data} if isinstance(data, list) else set()


def record_posted(root: Path, markers: set[str]) -> None:
    path = ledger_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(sorted(read_ledger(root) | markers), indent=1) + "\n")


def already_posted(reminder: Reminder, issue: RemoteIssue | None, ledger: set[str]) -> bool:
    if reminder.marker in ledger:
        return True
    return issue is not None and any(reminder.marker in c.body for c in issue.comments)
