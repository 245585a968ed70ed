"""goalkeeper: run an open-source project's goals program end to end.

    >>> import goalkeeper
    >>> program = goalkeeper.load("path/to/goals-repo")
    >>> [g.title for g in program.milestone("2026").goals]

`load` returns a :class:`~goalkeeper.model.Program` (milestones, goals, roadmaps, teams,
people) with its diagnostics; it raises only :class:`~goalkeeper.errors.GoalkeeperError`.
"""

from typing import TYPE_CHECKING

from .errors import ConfigError, GoalkeeperError, ProgramNotFound

if TYPE_CHECKING:
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

_MODEL = frozenset({"Goal", "Milestone", "Program", "Roadmap", "Team"})


def __getattr__(name: str) -> object:
    # `load` and the model are imported when first asked for, so that importing a submodule
    # (the command line, a renderer) does not load the whole reader first
    if name == "load":
        from .loader import load

        return load
    if name in _MODEL:
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
