"""The program calendar: each milestone's phases and what is due next.

Defaults follow the Rust program's cycles: annual milestones (`2026`) gather proposals in
January, team feedback in February, the RFC in March, implementation from April to December and
the retrospective the next January; half-year milestones (`2025h2`) have proposals two months
before the period, feedback the month before, the RFC in the first month, implementation for the
other five, and the retrospective in the month after. `[calendar."<milestone>"]` in
goalkeeper.toml overrides any phase:

    [calendar."2026"]
    rfc = { start = 2026-02-16, end = 2026-03-22 }
    implementation = { start = 2026-05-13, end = 2026-12-31 }
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError


class Phase(enum.StrEnum):
    PROPOSALS = "proposals"
    FEEDBACK = "feedback"
    RFC = "rfc"
    IMPLEMENTATION = "implementation"
    RETROSPECTIVE = "retrospective"


PHASE_TITLES = {
    Phase.PROPOSALS: "Proposals",
    Phase.FEEDBACK: "Team feedback",
    Phase.RFC: "RFC",
    Phase.IMPLEMENTATION: "Implementation",
    Phase.RETROSPECTIVE: "Retrospective",
}


@dataclass(frozen=True, slots=True)
class Window:
    milestone: str
    phase: Phase
    start: dt.date
    end: dt.date  # inclusive
    configured: bool = False

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def title(self) -> str:
        return f"{self.milestone} {PHASE_TITLES[self.phase].lower()}"


_MILESTONE_RE = re.compile(r"^(\d{4})(?:h([12]))?$")


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _span(year: int, m1: int, m2: int) -> tuple[dt.date, dt.date]:
    return _month(year, m1)[0], _month(year, m2)[1]


def default_windows(milestone: str) -> list[Window]:
    m = _MILESTONE_RE.match(milestone)
    if m is None:
        return []
    year = int(m[1])
    if not dt.MINYEAR < year < dt.MAXYEAR:  # its phases would fall outside the calendar
        return []
    if m[2] is None:  # annual
        spans = {
            Phase.PROPOSALS: _span(year, 1, 1),
            Phase.FEEDBACK: _span(year, 2, 2),
            Phase.RFC: _span(year, 3, 3),
            Phase.IMPLEMENTATION: _span(year, 4, 12),
            Phase.RETROSPECTIVE: _span(year, 13, 13),
        }
    else:
        first = 1 if m[2] == "1" else 7
        spans = {
            Phase.PROPOSALS: _span(year, first - 2, first - 2),
            Phase.FEEDBACK: _span(year, first - 1, first - 1),
            Phase.RFC: _span(year, first, first),
            Phase.IMPLEMENTATION: _span(year, first + 1, first + 5),
            Phase.RETROSPECTIVE: _span(year, first + 6, first + 6),
        }
    return [Window(milestone, p, s, e) for p, (s, e) in spans.items()]


def parse_date(text: str, what: str = "date") -> dt.date:
    """A strict YYYY-MM-DD date; anything else raises ValueError with a readable message."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise ValueError(f"{what} {text!r} is not a date in YYYY-MM-DD form")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as e:
        raise ValueError(f"{what} {text!r} is not a valid date ({e})") from e


def _as_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError as e:
            raise ConfigError(f"{where}: {e}") from e
    raise ConfigError(f"{where}: expected a date like 2026-01-31, found {value!r}")


def windows(milestone: str, overrides: dict[str, Any] | None = None, where: str = "") -> list[Window]:
    """The milestone's phases, with `[calendar."<milestone>"]` overrides applied."""
    out = {w.phase: w for w in default_windows(milestone)}
    for key, spec in (overrides or {}).items():
        try:
            phase = Phase(key)
        except ValueError:
            raise ConfigError(
                f"{where}: [calendar.{milestone!r}] {key!r} is not a phase; phases: "
                + ", ".join(p.value for p in Phase)
            ) from None
        if not isinstance(spec, dict) or "start" not in spec or "end" not in spec:
            raise ConfigError(f"{where}: [calendar.{milestone!r}] {key} needs start and end dates")
        start = _as_date(spec["start"], where)
        end = _as_date(spec["end"], where)
        if end < start:
            raise ConfigError(f"{where}: [calendar.{milestone!r}] {key} ends before it starts")
        out[phase] = Window(milestone, phase, start, end, configured=True)
    return [out[p] for p in Phase if p in out]


def next_milestone(name: str) -> str:
    m = _MILESTONE_RE.match(name)
    if m is None:
        return ""
    if m[2] is None:
        return str(int(m[1]) + 1)
    return f"{m[1]}h2" if m[2] == "1" else f"{int(m[1]) + 1}h1"


@dataclass(frozen=True, slots=True)
class Today:
    day: dt.date
    current: list[Window]  # windows containing `day` (phases of consecutive milestones overlap)
    upcoming: list[Window]  # the next windows to start, soonest first


def today(all_windows: list[Window], day: dt.date, limit: int = 3) -> Today:
    current = [w for w in all_windows if w.contains(day)]
    upcoming = sorted((w for w in all_windows if w.start > day), key=lambda w: (w.start, w.milestone))
    return Today(day, current, upcoming[:limit])


def program_windows(milestones: list[str], overrides: dict[str, dict[str, Any]], where: str) -> list[Window]:
    """Windows of every milestone plus the next one (whose proposals may already be due)."""
    names = list(milestones)
    if names:
        nxt = next_milestone(names[-1])
        if nxt and nxt not in names:
            names.append(nxt)
    for extra in overrides:
        if extra not in names:
            names.append(extra)
    out: list[Window] = []
    for n in names:
        out += windows(n, overrides.get(n), where)
    return out
