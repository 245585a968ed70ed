"""Minutes statistics: pure functions from meetings to rows (`goalkeeper minutes stats`).

Every function takes meetings (see :class:`~goalkeeper.model.Meeting`) and returns rows; nothing
here reads files or prints. Word counts are those of :func:`goalkeeper.sources.minutes.words.count_words`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ...model import Meeting
from .config import Series


@dataclass(frozen=True, slots=True)
class MonthRow:
    month: str  # YYYY-MM
    meetings: int
    words: int
    team_words: tuple[tuple[str, int], ...] = ()  # (team, words), teams in name order


@dataclass(frozen=True, slots=True)
class TeamRow:
    team: str
    meetings: int
    words: int

    @property
    def average_words(self) -> float:
        """Average words per meeting (0.0 for no meetings)."""
        return self.words / self.meetings if self.meetings else 0.0


@dataclass(frozen=True, slots=True)
class SeriesRow:
    name: str
    team: str
    cadence_days: int
    meetings: int
    last: datetime.date | None  # date of the last minutes, None when there are none
    days_since: int | None  # days from the last minutes to today
    overdue: bool  # last minutes older than twice the cadence (or none at all)


def person_key(name: str) -> str:
    """How names are compared: accents, case, `@` and extra spaces ignored ("Tomáš" = "tomas")."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lstrip("@"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split()).rstrip(".")  # "Ana K." is "Ana K"


def spellings(names: Iterable[str], groups: Iterable[Sequence[str]] = ()) -> tuple[str, ...]:
    """`names` and every other spelling of the same people: a group (``[minutes.people]``, or a
    configured person's login and name) that shares a spelling with `names` adds all of its own,
    until nothing more is added. Compared as :func:`person_key` does."""
    out = list(dict.fromkeys(n for n in names if n.strip()))
    keys = {person_key(n) for n in out}
    pending = [tuple(g) for g in groups]
    grew = True
    while grew:
        grew = False
        for g in list(pending):
            if any(person_key(x) in keys for x in g):
                pending.remove(g)
                for x in g:
                    if person_key(x) not in keys:
                        keys.add(person_key(x))
                        out.append(x)
                grew = True
    return tuple(out)


def attended(m: Meeting, names: Iterable[str]) -> bool:
    """Whether any of `names` (spellings of one person) attended or took the minutes of `m`."""
    keys = {person_key(n) for n in names}
    people = [*m.attendees, *m.author.split(",")]
    return any(person_key(p) in keys for p in people)


def filter_meetings(
    meetings: Iterable[Meeting],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    teams: Sequence[str] = (),
    person: Sequence[str] = (),
) -> list[Meeting]:
    """Meetings from `start` to `end` (both inclusive), of any of `teams` (case-insensitive),
    attended by `person` (any of the given spellings; see :func:`attended`)."""
    want = {t.casefold() for t in teams}
    out: list[Meeting] = []
    for m in meetings:
        if start is not None and m.date < start:
            continue
        if end is not None and m.date > end:
            continue
        if want and m.team.casefold() not in want:
            continue
        if person and not attended(m, person):
            continue
        out.append(m)
    return out


def total_words(meetings: Iterable[Meeting]) -> int:
    return sum(m.words for m in meetings)


def per_month(meetings: Sequence[Meeting]) -> list[MonthRow]:
    """One row per month from the first meeting's to the last's, months without minutes included."""
    if not meetings:
        return []
    first = min(m.date for m in meetings).replace(day=1)
    last = max(m.date for m in meetings).replace(day=1)
    counts: dict[str, list[int]] = {}
    team_words: dict[str, dict[str, int]] = {}
    for m in meetings:
        key = f"{m.date:%Y-%m}"
        c = counts.setdefault(key, [0, 0])
        c[0] += 1
        c[1] += m.words
        tw = team_words.setdefault(key, {})
        tw[m.team] = tw.get(m.team, 0) + m.words
    rows: list[MonthRow] = []
    y, mo = first.year, first.month
    while (y, mo) <= (last.year, last.month):
        key = f"{y:04d}-{mo:02d}"
        n, w = counts.get(key, [0, 0])
        rows.append(MonthRow(key, n, w, tuple(sorted(team_words.get(key, {}).items()))))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return rows


def per_team(meetings: Iterable[Meeting]) -> list[TeamRow]:
    """Meetings, words and (as a property) average words per meeting, per team, by team name."""
    acc: dict[str, list[int]] = {}
    for m in meetings:
        a = acc.setdefault(m.team, [0, 0])
        a[0] += 1
        a[1] += m.words
    return [TeamRow(team, n, w) for team, (n, w) in sorted(acc.items())]


def series_status(
    series: Iterable[Series], meetings: Sequence[Meeting], today: datetime.date
) -> list[SeriesRow]:
    """Each series with its last minutes; `overdue` when they are older than twice the cadence.

    A series with no minutes at all is overdue. (For `goalkeeper attention`.)
    """
    rows: list[SeriesRow] = []
    for s in series:
        dates = [m.date for m in meetings if s.includes(m)]
        last = max(dates) if dates else None
        days = (today - last).days if last is not None else None
        overdue = days is None or days > 2 * s.cadence_days
        rows.append(SeriesRow(s.name, s.team, s.cadence_days, len(dates), last, days, overdue))
    return rows


def overdue_series(
    series: Iterable[Series], meetings: Sequence[Meeting], today: datetime.date
) -> list[SeriesRow]:
    """The series whose last minutes are older than twice their cadence."""
    return [r for r in series_status(series, meetings, today) if r.overdue]


def meeting_record(m: Meeting) -> dict[str, object]:
    """A JSON-ready record of a meeting."""
    return {
        "team": m.team,
        "date": m.date.isoformat(),
        "title": m.title,
        "path": m.path,
        "line": m.span.line,
        "attendees": list(m.attendees),
        "author": m.author,
        "words": m.words,
    }


def stats_record(
    meetings: Sequence[Meeting],
    *,
    series: Sequence[SeriesRow] = (),
    filters: dict[str, object] | None = None,
) -> dict[str, object]:
    """Everything `goalkeeper minutes stats --json` prints, for already filtered meetings."""
    return {
        "filters": filters or {},
        "meetings": len(meetings),
        "words": total_words(meetings),
        "first": min(m.date for m in meetings).isoformat() if meetings else None,
        "last": max(m.date for m in meetings).isoformat() if meetings else None,
        "teams": [
            {"team": r.team, "meetings": r.meetings, "words": r.words,
             "average_words": round(r.average_words, 1)}
            for r in per_team(meetings)
        ],
        "months": [
            {"month": r.month, "meetings": r.meetings, "words": r.words,
             "team_words": dict(r.team_words)}
            for r in per_month(meetings)
        ],
        "series": [
            {"name": r.name, "team": r.team, "cadence_days": r.cadence_days, "meetings": r.meetings,
             "last": r.last.isoformat() if r.last else None, "days_since": r.days_since,
             "overdue": r.overdue}
            for r in series
        ],
        "records": [meeting_record(m) for m in meetings],
    }


def short_number(n: float) -> str:
    """323456 -> "323k", 6912 -> "6.9k", 950 -> "950" (the style of the monthly updates)."""
    if n >= 100_000:
        return f"{n / 1000:.0f}k"
    if n >= 1000:
        return f"{n / 1000:.1f}k"
    return f"{n:.0f}"


# --------------------------------------------------------------------------------------------
# The monthly update's Stats section


def written_by(m: Meeting, scribes: Sequence[str], unsigned: str = "attended",
               person: Sequence[str] = ()) -> bool:
    """Whether `m`'s minutes count as taken by one of `scribes` (spellings of the program
    manager(s); empty: every meeting counts). Minutes that name their author count when it is
    one of them; minutes naming no author follow `unsigned`: "count", "skip", or "attended"
    (count when one of `scribes` attended). `person` is accepted for compatibility and unused."""
    if not scribes:
        return True
    keys = {person_key(s) for s in scribes}
    authors = [a for a in _AUTHOR_SPLIT.split(m.author) if a.strip()]
    if authors:
        return any(person_key(a) in keys for a in authors)
    if unsigned == "count":
        return True
    if unsigned == "skip":
        return False
    return attended(m, scribes)


_AUTHOR_SPLIT = re.compile(r"(?<!\s)\s*+(?:,|;|&|\band\b)\s*")  # each run tried once


@dataclass(frozen=True, slots=True)
class TeamMean:
    team: str
    name: str  # as displayed
    meetings: int
    words: int

    @property
    def mean(self) -> float:
        return self.words / self.meetings if self.meetings else 0.0


@dataclass(frozen=True, slots=True)
class MonthStats:
    since: datetime.date  # first day of the running total
    total_words: int  # counted minutes from `since` to the month's end
    total_meetings: int
    month_words: int  # counted minutes of the month
    month_meetings: int
    attended: int | None  # meetings of the month `person` attended (None: no person configured)
    teams: tuple[TeamMean, ...]  # the month's mean per team


def month_stats(
    meetings: Sequence[Meeting],
    start: datetime.date,
    end: datetime.date,
    *,
    since: datetime.date | None = None,
    person: Sequence[str] = (),
    scribes: Sequence[str] = (),
    unsigned: str = "attended",
    teams: Sequence[str] = (),
    names: Callable[[str], str] = str,
) -> MonthStats | None:
    """The Stats of the month [start, end): words of the minutes that count (of `teams`, taken
    by `scribes`; see :func:`written_by`) since `since` and in the month, the meetings of the
    month attended by `person` (any team), and the month's mean words per meeting of each team,
    in the order of `teams` (else by displayed name). None when there are no minutes at all."""
    want = [t.casefold() for t in teams]
    counted = [m for m in meetings if (not want or m.team.casefold() in want)
               and written_by(m, scribes, unsigned)]
    if not meetings:
        return None
    first = since or min(m.date for m in counted or meetings).replace(day=1)
    window = [m for m in counted if first <= m.date < end]
    month = [m for m in counted if start <= m.date < end]
    rows = [TeamMean(r.team, names(r.team), r.meetings, r.words) for r in per_team(month)]
    if want:
        rows.sort(key=lambda r: want.index(r.team.casefold()))
    else:
        rows.sort(key=lambda r: r.name.casefold())
    seen = [m for m in meetings if start <= m.date < end and attended(m, person)] if person else []
    return MonthStats(first, total_words(window), len(window), total_words(month), len(month),
                      len(seen) if person else None, tuple(rows))
