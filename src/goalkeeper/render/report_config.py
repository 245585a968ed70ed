"""The ``[report]`` section of goalkeeper.toml: the program manager's monthly update.

    [report]
    authors = ["Ana K."]
    team = "the Program team"
    team_url = "https://..."
    person = ["Ana K.", "ana-k"]      # whose meetings count as "attended" ([minutes.people] adds
                                      # the other spellings)
    stats_since = "2025-06"           # start of the running total of words
    posts = "blog/program-management" # the published updates: "Worth a look" starts at the
                                      # previous one's date
    sections = ["Hiring", "Announcements"]   # headings that get a `<!-- write -->` placeholder
    minutes_url = "https://github.com/org/repo/blob/main/{path}"   # links to minutes: {path},
                                      # {name} (file name), {team}; default: [project] repo_url
                                      # + /blob/HEAD/ + the file's path

    [report.stats]                    # which minutes count as written by the program manager(s)
    scribes = ["Ana K.", "Ana Kovač"] # minutes whose `Minutes:`/author line names one of these
    unsigned = "attended"             # minutes naming no author: "attended" (count when one of
                                      # the scribes attended), "count" or "skip"
    teams = ["lang", "kernel-sync"]   # only these teams' minutes, listed in this order
    names = { lang = "Lang triage" }  # display names (default: team data, then [teams.<name>])

    [[report.initiatives]]            # one section each (also read: [[report.collaborations]])
    name = "Ferrite for Kernels"
    roadmaps = ["Ferrite for Kernels"]      # its goals' tracking-issue updates
    goals = ["2026/kernel-target"]          # more goals, by key or slug
    series = ["Ferrite for Kernels sync"]   # [[minutes.series]] names: meetings held
    watch = ["ferrite-lang/ferrite#812"]    # issues, pull requests, RFCs: state changes
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError

UNSIGNED = ("attended", "count", "skip")


@dataclass(frozen=True, slots=True)
class Initiative:
    name: str
    roadmaps: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    series: tuple[str, ...] = ()
    watch: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StatsConfig:
    scribes: tuple[str, ...] = ()  # empty: every meeting's minutes count
    unsigned: str = "attended"
    teams: tuple[str, ...] = ()  # empty: every team
    names: tuple[tuple[str, str], ...] = ()  # (team, display name)


@dataclass(frozen=True)
class ReportConfig:
    authors: tuple[str, ...] = ()
    team: str = ""
    team_url: str = ""
    person: tuple[str, ...] = ()
    stats_since: str = ""  # YYYY-MM
    posts: str = ""
    minutes_url: str = ""  # "https://.../blob/main/{path}"; default: [project] repo_url
    sections: tuple[str, ...] = ()
    stats: StatsConfig = field(default_factory=StatsConfig)
    initiatives: tuple[Initiative, ...] = field(default_factory=tuple)

    @property
    def collaborations(self) -> tuple[Initiative, ...]:  # the name used before initiatives
        return self.initiatives


def _strs(table: dict[str, Any], key: str, what: str, where: str) -> tuple[str, ...]:
    v = table.get(key, [])
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ConfigError(f"{where}: {what} `{key}` must be a list of strings")
    return tuple(x for x in v if x.strip())


def _table(table: dict[str, Any], key: str, what: str, where: str) -> dict[str, Any]:
    v = table.get(key, {})
    if not isinstance(v, dict):
        raise ConfigError(f"{where}: {what} must be a table")
    return v


def report_config(raw: dict[str, Any], where: str) -> ReportConfig:
    """Read ``[report]`` of a parsed goalkeeper.toml; :class:`ConfigError` naming the key."""
    r = _table(raw, "report", "[report]", where)
    since = str(r.get("stats_since", ""))
    if since and not re.fullmatch(r"\d{4}-\d{2}", since):
        raise ConfigError(f"{where}: [report] stats_since must look like 2025-06, found {since!r}")
    s = _table(r, "stats", "[report.stats]", where)
    unsigned = s.get("unsigned", "attended")
    if unsigned not in UNSIGNED:
        raise ConfigError(f"{where}: [report.stats] unsigned must be one of "
                          f"{', '.join(map(repr, UNSIGNED))}, found {unsigned!r}")
    names = _table(s, "names", "[report.stats] names", where)
    if not all(isinstance(v, str) for v in names.values()):
        raise ConfigError(f'{where}: [report.stats] names maps a team to its display name, '
                          f'e.g. lang = "Lang triage"')
    stats = StatsConfig(
        scribes=_strs(s, "scribes", "[report.stats]", where),
        unsigned=str(unsigned),
        teams=_strs(s, "teams", "[report.stats]", where),
        names=tuple((str(k), str(v)) for k, v in names.items()),
    )
    initiatives = []
    for key in ("initiatives", "collaborations"):
        items = r.get(key, []) or []
        if not isinstance(items, list):
            raise ConfigError(f"{where}: [[report.{key}]] must be an array of tables")
        for i, c in enumerate(items, 1):
            what = f"[[report.{key}]] #{i}"
            if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not c["name"].strip():
                raise ConfigError(f"{where}: {what} needs a name")
            initiatives.append(Initiative(
                name=c["name"].strip(),
                roadmaps=_strs(c, "roadmaps", what, where) + _strs(c, "roadmap", what, where),
                goals=_strs(c, "goals", what, where),
                series=_strs(c, "series", what, where),
                watch=_strs(c, "watch", what, where),
            ))
    posts = r.get("posts", "")
    if not isinstance(posts, str):
        raise ConfigError(f"{where}: [report] posts must be a folder path (a string)")
    return ReportConfig(
        authors=_strs(r, "authors", "[report]", where),
        team=str(r.get("team", "")),
        team_url=str(r.get("team_url", "")),
        person=_strs(r, "person", "[report]", where),
        stats_since=since,
        posts=posts,
        minutes_url=str(r.get("minutes_url", "")),
        sections=_strs(r, "sections", "[report]", where),
        stats=stats,
        initiatives=tuple(initiatives),
    )
