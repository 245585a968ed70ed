"""goalkeeper: run an open-source project's goals program end to end.

    >>> import goalkeeper
    >>> program = goalkeeper.load("path/to/goals-repo")
    >>> [g.title for g in program.milestone("2026").goals]

`load` returns a :class:`~goalkeeper.model.Program` (milestones, goals, roadmaps, teams,
people) with its diagnostics; it raises only :class:`~goalkeeper.errors.GoalkeeperError`.
"""

from .errors import ConfigError, GoalkeeperError, ProgramNotFound
from .loader import load
from .model import Goal, Milestone, Program, Roadmap, Team

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "Goal",
    "GoalkeeperError",
    "Milestone",
    "Program",
    "ProgramNotFound",
    "Roadmap",
    "Team",
    "load",
]
