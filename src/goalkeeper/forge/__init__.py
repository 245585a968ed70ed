"""The forge: where tracking issues live. Only GitHub (and GitHub Enterprise) for now.

:mod:`.github` is the client (built on :mod:`.rest`, :mod:`.wire` and :mod:`.auth`),
:mod:`.records` what is kept of the forge's objects and :mod:`.names` the tracker's conventions
(labels, milestone names, the tool's own comments).
"""


from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .auth import Token, resolve_token
    from .github import GitHubClient
    from .names import forge_milestone
    from .records import LinkedIssue, RemoteComment, RemoteIssue, RemoteLabel, RemoteMilestone, SearchCount

# The client (and httpx with it) is imported when first used, not by the site or the views
# that only read the tracker's conventions from .names or the records of a synced cache.
_HOME = {"GitHubClient": "github", "RetryPolicy": "wire", "Token": "auth",
         "resolve_token": "auth", "forge_milestone": "names", "LinkedIssue": "records",
         "RemoteComment": "records", "RemoteIssue": "records", "RemoteLabel": "records",
         "RemoteMilestone": "records", "SearchCount": "records"}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "GitHubClient",
    "LinkedIssue",
    "RemoteComment",
    "RemoteIssue",
    "RemoteLabel",
    "RemoteMilestone",
    "RetryPolicy",
    "SearchCount",
    "Token",
    "forge_milestone",
    "resolve_token",
]
