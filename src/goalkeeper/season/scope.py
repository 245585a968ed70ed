"""What a season command covers: the tracker repository, issue references made canonical across
the tracker's old names, and the goals of a milestone.

Shared by the fetcher (:mod:`goalkeeper.season.sync`) and the readers of the cache
(:mod:`goalkeeper.season.progress`, :mod:`goalkeeper.season.tracking`), so neither depends on the other.
"""

from __future__ import annotations

from collections import Counter

from ..errors import ConfigError
from ..model import Goal, IssueRef, Program


def tracker_repo(program: Program) -> str:
    """The repository of tracking issues: `[project] tracker`, else the one most goals name."""
    if program.config.tracker:
        return program.config.tracker
    counts = Counter(g.tracking_issue.repository for g in program.goals if g.tracking_issue)
    if not counts:
        raise ConfigError(
            "no tracker repository: set [project] tracker = \"owner/repo\" in goalkeeper.toml"
        )
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def canonical(ref: IssueRef, program: Program, tracker: str) -> IssueRef:
    """Issues in a renamed tracker (`tracker_aliases`) are the tracker's issues."""
    if ref.repository.lower() in {a.lower() for a in program.config.tracker_aliases}:
        owner, _, name = tracker.partition("/")
        return IssueRef(owner, name, ref.number)
    return ref


def selected_goals(program: Program, milestone: str | None) -> list[Goal]:
    return [g for m in program.milestones if milestone in (None, m.name) for g in m.goals]
