"""Pull requests in the stand-in: changed files, head commits, merges, and rfcbot's FCP labels.

Importing this module registers the resolvers GitHub's schema has for them
(`Repository.pullRequests`, `Repository.object`, `PullRequest`'s fields, `Blob`), so the goal
proposals' sync runs against the stand-in as against GitHub.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import graphql
from .server import SCHEMA, Conn, FakeGitHub, FakeIssue, FakeRepo, _actor, _cursor, _uncursor, iso


@dataclass
class PullDetail:
    files: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # path → (change, text)
    head_oid: str = ""
    head_repo: str = ""
    is_draft: bool = False
    merged_at: datetime | None = None


@dataclass
class Blob:
    text: str
    graphql_type = "Blob"


def _oid(number: int, files: dict[str, tuple[str, str | None]], n: int) -> str:
    data = repr((number, sorted(files.items()), n)).encode()
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def detail(issue: FakeIssue) -> PullDetail:
    d = getattr(issue, "pull_detail", None)
    if d is None:
        d = PullDetail()
        issue.pull_detail = d  # type: ignore[attr-defined]
    return d


def add_pull(gh: FakeGitHub, full: str, *, title: str, files: dict[str, str | None],
             number: int | None = None, author: str = "proposer", draft: bool = False,
             head_repo: str = "", labels: tuple[str, ...] = (), changes: dict[str, str] | None = None
             ) -> FakeIssue:
    """A pull request adding (or, per `changes`, modifying/deleting) `files` (path → text)."""
    with gh.lock:
        issue = gh.add_issue(full, title=title, number=number, author=author, labels=labels, is_pr=True)
        d = detail(issue)
        d.files = {p: ((changes or {}).get(p, "ADDED"), t) for p, t in files.items()}
        d.head_repo = head_repo or full
        d.is_draft = draft
        d.head_oid = _oid(issue.number, d.files, 0)
        if d.head_repo.lower() != full.lower():
            gh.add_repo(d.head_repo)
        return issue


def push(gh: FakeGitHub, full: str, number: int, files: dict[str, str | None]) -> str:
    """A new head commit with these files' new text; returns its id."""
    with gh.lock:
        issue = gh.issue(full, number)
        d = detail(issue)
        for p, t in files.items():
            d.files[p] = (d.files.get(p, ("ADDED", None))[0], t)
        d.head_oid = _oid(number, d.files, int(gh.tick().timestamp()))
        issue.updated_at = gh.now
        return d.head_oid


def merge(gh: FakeGitHub, full: str, number: int) -> None:
    with gh.lock:
        issue = gh.issue(full, number)
        issue.state = "merged"
        issue.updated_at = issue.closed_at = gh.tick()
        detail(issue).merged_at = issue.closed_at


def _pull_list(gh: FakeGitHub, repo: FakeRepo, args: dict[str, Any]) -> Conn:
    items = [i for i in repo.issues.values() if i.is_pr]
    states = args.get("states")
    if states:
        items = [i for i in items if ("MERGED" if i.state == "merged" else i.state.upper()) in states]
    order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "ASC"}
    attr = {"UPDATED_AT": "updated_at", "CREATED_AT": "created_at"}[order["field"]]

    def key(i: FakeIssue) -> list[Any]:
        return [iso(getattr(i, attr)), i.number]

    desc = order.get("direction") == "DESC"
    items.sort(key=key, reverse=desc)
    after = _uncursor(args.get("after"))
    if after is not None:
        items = [i for i in items if (key(i) < after if desc else key(i) > after)]
    first = int(args.get("first") or 0)
    if not 0 < first <= 100:
        raise graphql.GraphQLError("You must provide a `first` value between 1 and 100 to paginate "
                                   "the `pullRequests` connection.")
    page = items[:first]
    return Conn(page, "PullRequest", len([i for i in repo.issues.values() if i.is_pr]),
                len(items) > len(page), _cursor(*key(page[-1])) if page else None)


def _object(gh: FakeGitHub, repo: FakeRepo, expression: str) -> tuple[Any, str | None]:
    oid, _, path = expression.partition(":")
    for r in gh.repos.values():
        for issue in r.issues.values():
            d = getattr(issue, "pull_detail", None)
            if d is None or d.head_oid != oid or d.head_repo.lower() != repo.full.lower():
                continue
            change, text = d.files.get(path, ("", None))
            if text is None or change == "REMOVED":
                return None, None
            return Blob(text), "Blob"
    return None, None


def _files(issue: FakeIssue, args: dict[str, Any]) -> Conn:
    d = detail(issue)
    nodes = [{"path": p, "changeType": c} for p, (c, _) in sorted(d.files.items())]
    first = int(args.get("first") or 100)
    return Conn(nodes[:first], "PullRequestChangedFile", len(nodes), len(nodes) > first, None)


SCHEMA["Repository"]["pullRequests"] = lambda obj, a, ctx: (_pull_list(ctx.state, obj, a), "Connection")
SCHEMA["Repository"]["object"] = lambda obj, a, ctx: _object(ctx.state, obj, a["expression"])
SCHEMA["Blob"] = {
    "text": lambda obj, a, ctx: (obj.text, None),
    "isTruncated": lambda obj, a, ctx: (False, None),
    "byteSize": lambda obj, a, ctx: (len(obj.text.encode()), None),
}
SCHEMA["PullRequestChangedFile"] = {
    "path": lambda obj, a, ctx: (obj["path"], None),
    "changeType": lambda obj, a, ctx: (obj["changeType"], None),
}
SCHEMA["PullRequest"].update({
    "isDraft": lambda obj, a, ctx: (detail(obj).is_draft, None),
    "createdAt": lambda obj, a, ctx: (iso(obj.created_at), None),
    "updatedAt": lambda obj, a, ctx: (iso(obj.updated_at), None),
    "closedAt": lambda obj, a, ctx: (iso(obj.closed_at) if obj.closed_at else None, None),
    "mergedAt": lambda obj, a, ctx: (iso(m) if (m := detail(obj).merged_at) else None, None),
    "headRefOid": lambda obj, a, ctx: (detail(obj).head_oid, None),
    "author": lambda obj, a, ctx: (_actor(obj.author), "User"),
    "headRepository": lambda obj, a, ctx: (
        ctx.state.repos.get(detail(obj).head_repo.lower()), "Repository"),
    "files": lambda obj, a, ctx: (_files(obj, a), "Connection"),
    "labels": SCHEMA["Issue"]["labels"],
    "id": SCHEMA["Issue"]["id"],
    "comments": SCHEMA["Issue"]["comments"],
})
