"""Exceptions that stop a run. Problems *in documents* are diagnostics, never exceptions.

    GoalkeeperError            base class; the CLI prints it as one sentence and exits 2
    ├── ConfigError            goalkeeper.toml, ask-type file or team data is unusable
    └── ProgramNotFound        the root folder (or its source folder) does not exist
"""


class GoalkeeperError(Exception):
    """Base class of everything goalkeeper raises on purpose."""


class ConfigError(GoalkeeperError):
    """A configuration file is unreadable or has a value of the wrong kind."""


class ProgramNotFound(GoalkeeperError):
    """The program root or its source folder is missing."""
