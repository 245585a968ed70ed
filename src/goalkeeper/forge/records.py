"""What goalkeeper keeps of the forge's objects: issues, comments, labels, milestones.

Plain frozen records, built from GraphQL nodes here and read back from the store; nothing in
them depends on how they were fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ForgeError

BOT_TYPES = frozenset({"Bot"})


@dataclass(frozen=True, slots=True)
class RemoteComment:
    node_id: str
    database_id: int
    url: str
    author: str  # login; "ghost" for deleted accounts
    author_type: str  # "User", "Bot", "Organization", "Mannequin"
    body: str
    created_at: str  # ISO 8601, UTC, as the API gives it
    updated_at: str
    is_minimized: bool = False
    minimized_reason: str = ""
    author_association: str = ""

    @property
    def is_bot(self) -> bool:
        return self.author_type in BOT_TYPES or self.author.endswith("[bot]")


@dataclass(frozen=True, slots=True)
class RemoteIssue:
    repo: str  # owner/name as the forge spells it
    number: int
    node_id: str
    title: str
    body: str
    state: str  # "OPEN" or "CLOSED"
    url: str
    author: str
    created_at: str
    updated_at: str
    closed_at: str = ""
    labels: tuple[str, ...] = ()
    milestone: str = ""  # title; "" when none
    milestone_number: int = 0
    assignees: tuple[str, ...] = ()
    comments: tuple[RemoteComment, ...] = ()

    @property
    def is_closed(self) -> bool:
        return self.state.upper() != "OPEN"

    @property
    def key(self) -> tuple[str, int]:
        return (self.repo.lower(), self.number)


@dataclass(frozen=True, slots=True)
class RemoteLabel:
    name: str
    color: str


@dataclass(frozen=True, slots=True)
class RemoteMilestone:
    number: int
    title: str
    state: str  # "OPEN" or "CLOSED"


@dataclass(frozen=True, slots=True)
class LinkedIssue:
    """An issue or pull request named by a tracking issue's `See also` row (any repository)."""

    repo: str
    number: int
    state: str = ""  # OPEN, CLOSED, MERGED; "" when it could not be fetched
    title: str = ""
    body: str = ""
    url: str = ""
    error: str = ""  # why it could not be fetched (e.g. not found)

    @property
    def is_closed(self) -> bool:
        return self.state.upper() in ("CLOSED", "MERGED")


@dataclass(frozen=True, slots=True)
class SearchCount:
    """Open and closed counts of a `Tracked issues` search (`owner/repo label:X ...`)."""

    repo: str
    query: str
    open: int = 0
    closed: int = 0
    error: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a connection: its nodes and where the next page starts."""

    nodes: tuple[Any, ...]
    has_next: bool
    end_cursor: str | None
    total: int = 0


def _login(actor: Any) -> tuple[str, str]:
    if not isinstance(actor, dict):
        return "ghost", "User"  # GitHub's name for deleted accounts
    return str(actor.get("login") or "ghost"), str(actor.get("__typename") or "User")


def parse_comment(node: dict[str, Any]) -> RemoteComment:
    try:
        login, kind = _login(node.get("author"))
        return RemoteComment(
            node_id=str(node["id"]),
            # fullDatabaseId is a BigInt (a string on the wire): ids past 2**31 no longer fit
            # the deprecated 32-bit databaseId
            database_id=int(node.get("fullDatabaseId") or node.get("databaseId") or 0),
            url=str(node.get("url") or ""),
            author=login,
            author_type=kind,
            body=str(node.get("body") or ""),
            created_at=str(node["createdAt"]),
            updated_at=str(node.get("updatedAt") or node["createdAt"]),
            is_minimized=bool(node.get("isMinimized")),
            minimized_reason=str(node.get("minimizedReason") or ""),
            author_association=str(node.get("authorAssociation") or ""),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ForgeError(f"the forge returned a comment without {e}; is api_url a GitHub API?") from e


def parse_connection(conn: Any) -> Page:
    if not isinstance(conn, dict):
        return Page((), False, None)
    info = conn.get("pageInfo") or {}
    return Page(
        tuple(n for n in conn.get("nodes") or () if n is not None),
        bool(info.get("hasNextPage")),
        info.get("endCursor"),
        int(conn.get("totalCount") or 0),
    )


def parse_issue(node: dict[str, Any], repo: str, comments: tuple[RemoteComment, ...]) -> RemoteIssue:
    """An issue node (without its comment connection, which the caller pages through)."""
    try:
        login, _ = _login(node.get("author"))
        milestone = node.get("milestone") or {}
        labels = parse_connection(node.get("labels")).nodes
        assignees = parse_connection(node.get("assignees")).nodes
        return RemoteIssue(
            repo=repo,
            number=int(node["number"]),
            node_id=str(node.get("id") or ""),
            title=str(node.get("title") or ""),
            body=str(node.get("body") or ""),
            state=str(node.get("state") or "OPEN"),
            url=str(node.get("url") or ""),
            author=login,
            created_at=str(node.get("createdAt") or ""),
            updated_at=str(node["updatedAt"]),
            closed_at=str(node.get("closedAt") or ""),
            labels=tuple(str(lb["name"]) for lb in labels),
            milestone=str(milestone.get("title") or ""),
            milestone_number=int(milestone.get("number") or 0),
            assignees=tuple(str(a["login"]) for a in assignees),
            comments=comments,
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ForgeError(f"the forge returned an issue without {e}; is api_url a GitHub API?") from e
