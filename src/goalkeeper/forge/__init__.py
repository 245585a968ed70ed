"""The forge: where tracking issues live. Only GitHub (and GitHub Enterprise) for now.

:mod:`.github` is the client, :mod:`.records` what is kept of the forge's objects and
:mod:`.names` the tracker's conventions (labels, milestone names, the tool's own comments).
"""

from .github import GitHubClient, RetryPolicy, Token, resolve_token
from .names import forge_milestone
from .records import LinkedIssue, RemoteComment, RemoteIssue, RemoteLabel, RemoteMilestone, SearchCount

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
