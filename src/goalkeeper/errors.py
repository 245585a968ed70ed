"""Exceptions that stop a run. Problems *in documents* are diagnostics, never exceptions.

    GoalkeeperError            base class; the CLI prints it as one sentence and exits 2
    ├── ConfigError            goalkeeper.toml, ask-type file or team data is unusable
    ├── ProgramNotFound        the root folder (or its source folder) does not exist
    ├── ForgeError             the forge (GitHub) could not do what was asked
    │   ├── TokenError         no token was found, or the forge rejected it
    │   ├── RateLimited        the rate limit is spent and resets later than we are willing to wait
    │   └── ForgeUnavailable   the forge kept failing (5xx, timeouts, dropped connections)
    └── StoreError             the cache database is locked, damaged or from a newer goalkeeper
"""


class GoalkeeperError(Exception):
    """Base class of everything goalkeeper raises on purpose."""


class ConfigError(GoalkeeperError):
    """A configuration file is unreadable or has a value of the wrong kind."""


class ProgramNotFound(GoalkeeperError):
    """The program root or its source folder is missing."""


class ForgeError(GoalkeeperError):
    """The forge refused or could not complete a request (permissions, missing repository)."""


class TokenError(ForgeError):
    """No token was found, or the forge rejected it (401)."""


class RateLimited(ForgeError):
    """The rate limit is exhausted and resets later than the client is willing to wait."""


class ForgeUnavailable(ForgeError):
    """The forge kept failing after retries; a change may or may not have been applied."""


class StoreError(GoalkeeperError):
    """The cache database cannot be used (locked, damaged, or written by a newer goalkeeper)."""


def os_error_text(e: OSError) -> str:
    """How the command line reports an OSError that stopped it (a read-only folder, a full disk,
    a file removed under us): the file, then what went wrong."""
    what = f"{e.filename}: " if e.filename else ""
    return f"goalkeeper: {what}{e.strerror or e}"
