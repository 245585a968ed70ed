"""The program manager's monthly update (`goalkeeper report --month YYYY-MM`).

A draft in the shape of the published "Program management update" posts: front matter, the goals
program (phase, counts, status changes), one section per initiative (meetings of its series,
tracking-issue highlights of its goals), "Worth a look" links from feeds, and the minutes
statistics. Sections without data are left out; the prose is for a person to add. The
configuration, ``[report]`` in goalkeeper.toml, is read by :mod:`.report_config`.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..calendar import PHASE_TITLES, program_windows
from ..model import Meeting, Program, all_roadmaps
from ..sources.feeds import FeedResult
from ..views.minutes import MonthStats, month_stats, short_number, spellings
from .report_config import Initiative, ReportConfig, StatsConfig, report_config
from .tables import md_text, safe_url

if TYPE_CHECKING:
    from ..progress import GoalProgress

__all__ = [
    "Initiative",
    "ReportConfig",
    "StatsConfig",
    "month_bounds",
    "program_report",
    "report_config",
    "report_stats",
    "status_changes",
    "team_namer",
]


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """[first day, first day of the next month) of a strict YYYY-MM month."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", month.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValueError(f"--month {month!r} is not a month in YYYY-MM form")
    y, mo = int(m[1]), int(m[2])
    start = dt.date(y, mo, 1)
    end = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return start, end


def _month_name(d: dt.date) -> str:
    return f"{cal.month_name[d.month]} {d.year}"


def status_changes(program: Program, since: dt.date, until: dt.date) -> list[tuple[str, str, str]]:
    """(goal key, status then, status at the end) for goals whose Status row changed between the
    last commits before `since` and before `until`, read from the repository's git history;
    empty when the program is not in a git repository or has no history that old."""
    root = program.root

    def git(*args: str, data: bytes | None = None) -> bytes:
        try:
            return subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True,
                                  timeout=60, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return b""

    def rev_before(day: dt.date) -> str:
        return git("rev-list", "-1", f"--before={day.isoformat()}T00:00:00", "HEAD").decode().strip()

    top = git("rev-parse", "--show-toplevel").decode().strip()
    start, end = rev_before(since), rev_before(until)
    if not top or not start or not end or start == end:
        return []
    prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    goals = program.goals

    def statuses(rev: str) -> list[str]:
        out = git("cat-file", "--batch",
                  data="".join(f"{rev}:{prefix}{g.path}\n" for g in goals).encode())
        found, pos = [], 0
        for _ in goals:
            nl = out.find(b"\n", pos)
            header = out[pos:nl].decode(errors="replace").split()
            if nl < 0 or len(header) < 3 or header[1] == "missing":
                found.append("")
                pos = nl + 1
                continue
            size = int(header[2])
            body = out[nl + 1: nl + 1 + size].decode("utf-8", errors="replace")
            pos = nl + 1 + size + 1
            m = re.search(r"^\|\s*Status\s*\|\s*([^|]*?)\s*\|", body, re.M)
            found.append(m[1] if m else "")
        return found

    return [(g.key, a, b) for g, a, b in zip(goals, statuses(start), statuses(end), strict=True)
            if a and b and a.lower() != b.lower()]


def program_report(
    program: Program,
    month: str,
    cfg: ReportConfig,
    meetings: tuple[Meeting, ...],
    feeds: FeedResult | None,
    progress: Mapping[str, GoalProgress] | None = None,
    changes: list[tuple[str, str, str]] | None = None,
    series_teams: Mapping[str, str] | None = None,
    people: tuple[tuple[str, ...], ...] = (),
) -> str:
    start, end = month_bounds(month)
    stats_data = report_stats(program, cfg, meetings, start, end, people)
    last = end - dt.timedelta(days=1)
    title = f"Program management update — {_month_name(start)}"
    slug = f"program-management-update-{start:%Y-%m}"
    fm = ["+++", f'path = "inside-rust/{end:%Y/%m/%d}/{slug}"', f'title = "{title}"',
          "authors = [" + ", ".join(f'"{a}"' for a in cfg.authors) + "]"]
    if cfg.team:
        fm += ["", "[extra]", f'team = "{cfg.team}"']
        if cfg.team_url:
            fm.append(f'team_url = "{cfg.team_url}"')
    fm.append("+++")
    out = ["\n".join(fm), f"# {title}", ""]

    # -- the goals program
    goals_part: list[str] = []
    where = str(program.config.path or program.root)
    wins = program_windows([m.name for m in program.milestones], program.config.calendar, where)
    current = [w for w in wins if w.start <= last and w.end >= start]
    for w in current:
        goals_part.append(f"- {w.milestone}: {PHASE_TITLES[w.phase].lower()} "
                          f"({w.start:%-d %B} – {w.end:%-d %B %Y})")
    if program.milestones:
        m = program.milestones[-1]
        live = [g for g in m.goals if not g.rejected]
        accepted = sum(1 for g in live if g.accepted)
        proposed = sum(1 for g in live if not g.accepted)
        highlights = {h for g in live for h in g.highlights}
        goals_part.append(
            f"- The {m.name} slate: {accepted} accepted goal{'s' * (accepted != 1)}, "
            f"{proposed} proposal{'s' * (proposed != 1)} still open, {len(m.roadmaps)} "
            f"roadmap{'s' * (len(m.roadmaps) != 1)}, {len(highlights)} highlight"
            f"{'s' * (len(highlights) != 1)}."
        )
        paused = [g for g in live if g.lifecycle in ("paused", "completed", "withdrawn")]
        for g in paused:
            goals_part.append(f"- {md_text(g.title)}: {md_text(g.lifecycle)}.")
    for key, then, now in changes or []:
        goals_part.append(f"- `{key}` changed status: {md_text(then)} → {md_text(now)}.")
    if goals_part:
        out += ["## Program management", "", *goals_part, ""]

    # -- collaborations
    for c in cfg.initiatives:
        part: list[str] = []
        if c.series:
            teams = {(series_teams or {}).get(x, "") for x in c.series} - {""}
            mine = [mt for mt in meetings if mt.team in teams and start <= mt.date < end]
            if mine:
                part.append("Meetings this month:")
                part.append("")
                part += [f"- {mt.date:%-d %B}: {md_text(mt.title)} ({mt.words:,} words of minutes)"
                         for mt in mine]
                part.append("")
        if c.roadmaps and progress:
            want = {r.lower() for r in c.roadmaps}
            ms = program.milestones[-1] if program.milestones else None
            for g in (ms.goals if ms else ()):
                if not want & {r.lower() for r in all_roadmaps(g)}:
                    continue
                gp = progress.get(g.key)
                if gp is None:
                    continue
                recent = [u for u in gp.updates if start.isoformat() <= u.date < end.isoformat()]
                if gp.tldr and start.isoformat() <= gp.tldr.date < end.isoformat():
                    recent.append(gp.tldr)
                if recent:
                    newest = recent[-1]
                    first = md_text(newest.body.strip().split("\n\n")[0])
                    link = f"[{md_text(g.title)}]({gp.url})" if safe_url(gp.url) else md_text(g.title)
                    who = f"update by @{md_text(newest.author)}"
                    part.append(f"- {link}: {first} " + (f"([{who}]({newest.url}))"
                                                           if safe_url(newest.url) else f"({who})"))
            if part and part[-1] != "":
                part.append("")
        if part:
            out += [f"## {c.name}", "", *part]

    # -- worth a look
    if feeds and feeds.items:
        out += ["## Worth a look", ""]
        by: dict[str, list[str]] = {}
        for it in feeds.items:
            title = md_text(it.title) or "(untitled)"
            by.setdefault(it.feed, []).append(
                f"- [{title}]({it.link})" if safe_url(it.link) else f"- {title}")
        for name, lines in by.items():
            out += [f"### {md_text(name)}", "", *lines, ""]

    # -- stats
    stats: list[str] = []
    st = stats_data
    if st is not None:
        stats.append(f"Total words of meeting minutes written: {short_number(st.total_words)} "
                     f"({_month_name(st.since)}–{_month_name(start)})")
        stats.append("")
        if st.attended is not None:
            stats += [f"Meetings attended: {st.attended}", ""]
        stats.append(f"Total words of meeting minutes written ({cal.month_name[start.month]}): "
                     f"{short_number(st.month_words)}")
        stats.append("")
        if st.teams:
            stats += ["Average (mean) word count per team meeting:", ""]
            stats += [f"* {md_text(t.name)}: {short_number(t.mean)}" for t in st.teams]
    if stats:
        out += ["## Stats", "", *stats]
    return "\n".join(out).rstrip() + "\n"


def team_namer(program: Program, cfg: StatsConfig) -> dict[str, str]:
    """Team -> display name: `[report.stats] names`, else the team data's (or `[teams.<name>]`'s)
    name, else the team's own name."""
    out = {t: (team.display_name or t) for t, team in program.teams.items()}
    out.update(dict(cfg.names))
    return out


def report_stats(program: Program, cfg: ReportConfig, meetings: tuple[Meeting, ...],
                 start: dt.date, end: dt.date, people: tuple[tuple[str, ...], ...] = ()
                 ) -> MonthStats | None:
    """The Stats section's figures for the month [start, end) (see :func:`month_stats`)."""
    names = team_namer(program, cfg.stats)
    return month_stats(
        meetings, start, end,
        since=month_bounds(cfg.stats_since)[0] if cfg.stats_since else None,
        person=spellings(cfg.person, people) if cfg.person else (),
        scribes=spellings(cfg.stats.scribes, people),
        unsigned=cfg.stats.unsigned,
        teams=cfg.stats.teams,
        names=lambda t: names.get(t, t),
    )
