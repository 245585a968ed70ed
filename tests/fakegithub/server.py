"""A stand-in for the GitHub API on 127.0.0.1: GraphQL and the REST endpoints goalkeeper uses.

    with FakeGitHub(token="t0ken") as gh:
        repo = gh.add_repo("ferrite-lang/goals")
        gh.add_issue("ferrite-lang/goals", title="...", comments=[("alice", "TL;DR: ...")])
        client = GitHubClient("t0ken", base_url=gh.url)

Responses are shaped like GitHub's (field names, null handling, error objects, rate-limit
headers, REST status codes), and faults can be injected per request: 5xx answers, primary and
secondary rate limits, slow answers and dropped connections. Every request is logged.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import graphql, schema

START = datetime(2026, 3, 1, 9, 0, 0, tzinfo=UTC)
RESET_EPOCH = 1_900_000_000


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text.replace(".000", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass
class FakeComment:
    id: int
    author: str
    body: str
    created_at: datetime
    updated_at: datetime
    author_type: str = "User"
    is_minimized: bool = False
    minimized_reason: str | None = None
    issue: FakeIssue | None = None
    graphql_type = "IssueComment"

    @property
    def node_id(self) -> str:
        return "IC_" + base64.b64encode(f"comment:{self.id}".encode()).decode().rstrip("=")


@dataclass
class FakeMilestone:
    number: int
    title: str
    state: str = "open"
    graphql_type = "Milestone"


@dataclass
class FakeIssue:
    repo: FakeRepo
    number: int
    title: str
    body: str
    author: str
    created_at: datetime
    updated_at: datetime
    state: str = "open"
    closed_at: datetime | None = None
    labels: list[str] = field(default_factory=list)
    milestone: int | None = None
    assignees: list[str] = field(default_factory=list)
    comments: list[FakeComment] = field(default_factory=list)
    is_pr: bool = False
    locked: bool = False

    @property
    def graphql_type(self) -> str:
        return "PullRequest" if self.is_pr else "Issue"

    @property
    def node_id(self) -> str:
        return "I_" + base64.b64encode(f"{self.repo.full}#{self.number}".encode()).decode().rstrip("=")

    @property
    def html_url(self) -> str:
        kind = "pull" if self.is_pr else "issues"
        return f"https://github.com/{self.repo.full}/{kind}/{self.number}"


@dataclass
class FakeRepo:
    owner: str
    name: str
    issues: dict[int, FakeIssue] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # name → color
    milestones: dict[int, FakeMilestone] = field(default_factory=dict)
    id: int = 0
    moved: dict[int, tuple[FakeRepo, int]] = field(default_factory=dict)  # transferred issues
    deleted: set[int] = field(default_factory=set)  # deleted issues (REST answers 410)
    graphql_type = "Repository"

    @property
    def full(self) -> str:
        return f"{self.owner}/{self.name}"

    def label(self, name: str, color: str = "ededed") -> str:
        """The label called `name` in any case (GitHub's names ignore case), made if new."""
        found = next((n for n in self.labels if n.lower() == name.lower()), None)
        if found is None:
            self.labels[name] = color
        return found or name


@dataclass
class Conn:
    nodes: list[Any]
    node_type: str
    total: int
    has_next: bool
    end_cursor: str | None
    graphql_type = "Connection"


@dataclass
class Fault:
    kind: str  # status | drop | delay | primary | secondary | graphql-primary | graphql-secondary
    count: int = 1
    match: str | None = None  # a substring of "METHOD /path"
    status: int = 500
    seconds: float = 0.0
    retry_after: int | None = None
    location: str = ""  # redirect: where to
    error_type: str = "RATE_LIMITED"  # graphql-primary: GitHub also answers RATE_LIMIT
    remaining: str = "0"  # graphql-primary: the header is not always 0 then


@dataclass
class Request:
    method: str
    path: str
    operation: str = ""  # the GraphQL operation name, if any
    status: int = 0
    authorized: bool = False  # whether it carried an Authorization header


def _cursor(*key: Any) -> str:
    return base64.b64encode(json.dumps(["cursor:v2", *key]).encode()).decode()


def _uncursor(text: str | None) -> list[Any] | None:
    if not text:
        return None
    try:
        data = json.loads(base64.b64decode(text))
    except ValueError as e:
        raise graphql.GraphQLError(f"`{text}` does not appear to be a valid cursor.") from e
    return list(data[1:])


class FakeGitHub:
    """The forge's state, its HTTP server and the knobs tests turn."""

    def __init__(self, token: str = "t0ken") -> None:
        self.token = token
        self.repos: dict[str, FakeRepo] = {}
        self.now = START
        self.lock = threading.RLock()
        self.faults: list[Fault] = []
        self.log: list[Request] = []
        self.renamed: dict[str, FakeRepo] = {}  # old owner/name (lower case) → the repository
        self.sso_orgs: set[str] = set()  # organisations whose SAML SSO the token is not authorised for
        self.scopes: str | None = "repo, read:org"  # x-oauth-scopes (None: a fine-grained token)
        self.broken: set[tuple[str, int]] = set()  # issues whose comments fail to resolve
        self.heavy_limit = 0  # when set, a page of more issues than this times out (502)
        self.invalid_queries: list[str] = []  # queries GitHub's schema rejected
        self.remaining = 5000  # the GraphQL budget (points), spent by each query's cost
        self.core_remaining = 5000  # the REST budget (requests), separate from GraphQL's
        self.last_cost = 1  # rateLimit.cost of the query being answered
        self.costs: list[int] = []  # the cost of every GraphQL query answered
        self.next_comment_id = 1000
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------

    def __enter__(self) -> FakeGitHub:
        schema.github_schema()  # built once per process, before any request can time out on it
        handler = _make_handler(self)
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.05})
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- state --------------------------------------------------------------------------

    def tick(self, seconds: int = 1) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def add_repo(self, full: str) -> FakeRepo:
        owner, name = full.split("/")
        with self.lock:
            found = self.repos.get(full.lower())
            if found is None:
                found = self.repos[full.lower()] = FakeRepo(owner, name, id=1000 + len(self.repos))
            return found

    def rename_repo(self, old: str, new: str) -> FakeRepo:
        """Rename (or transfer) a repository; the old name keeps answering, as on GitHub."""
        with self.lock:
            repo = self.repos.pop(old.lower())
            repo.owner, repo.name = new.split("/")
            self.repos[new.lower()] = repo
            self.renamed[old.lower()] = repo
            return repo

    def delete_repo(self, full: str) -> None:
        with self.lock:
            del self.repos[full.lower()]

    def transfer_issue(self, full: str, number: int, to: str) -> FakeIssue:
        """Move an issue to another repository, where it gets a new number."""
        with self.lock:
            old = self.repo(full)
            issue = old.issues.pop(number)
            target = self.add_repo(to)
            issue.repo, issue.number = target, max(target.issues, default=0) + 1
            issue.updated_at = self.tick()
            target.issues[issue.number] = issue
            old.moved[number] = (target, issue.number)
            return issue

    def delete_issue(self, full: str, number: int) -> None:
        with self.lock:
            repo = self.repo(full)
            del repo.issues[number]
            repo.deleted.add(number)

    def repo_by_id(self, repo_id: int) -> FakeRepo | None:
        return next((r for r in self.repos.values() if r.id == repo_id), None)

    def repo(self, full: str) -> FakeRepo:
        return self.repos[full.lower()]

    def add_milestone(self, full: str, title: str, state: str = "open") -> FakeMilestone:
        with self.lock:
            repo = self.add_repo(full)
            m = FakeMilestone(len(repo.milestones) + 1, title, state)
            repo.milestones[m.number] = m
            return m

    def add_issue(
        self,
        full: str,
        *,
        title: str,
        body: str = "",
        number: int | None = None,
        author: str = "goals-bot",
        labels: tuple[str, ...] = (),
        milestone: str | None = None,
        state: str = "open",
        comments: tuple[tuple[str, str], ...] = (),
        is_pr: bool = False,
    ) -> FakeIssue:
        with self.lock:
            repo = self.add_repo(full)
            if number is None:
                number = max(repo.issues, default=0) + 1
            t = self.tick()
            ms = None
            if milestone is not None:
                ms = next((m.number for m in repo.milestones.values() if m.title == milestone), None)
                if ms is None:
                    ms = self.add_milestone(full, milestone).number
            named = [repo.label(lb) for lb in labels]
            issue = FakeIssue(repo, number, title, body, author, t, t, state=state,
                              closed_at=t if state == "closed" else None, labels=named,
                              milestone=ms, is_pr=is_pr)
            repo.issues[number] = issue
            for who, text in comments:
                self.add_comment(full, number, who, text)
            return issue

    def issue(self, full: str, number: int) -> FakeIssue:
        return self.repo(full).issues[number]

    def add_comment(
        self, full: str, number: int, author: str, body: str, author_type: str = "User"
    ) -> FakeComment:
        with self.lock:
            issue = self.issue(full, number)
            t = self.tick()
            self.next_comment_id += 1
            c = FakeComment(self.next_comment_id, author, body, t, t, author_type, issue=issue)
            issue.comments.append(c)
            issue.updated_at = t
            return c

    def edit_comment(self, full: str, number: int, comment_id: int, body: str) -> None:
        with self.lock:
            issue = self.issue(full, number)
            c = next(c for c in issue.comments if c.id == comment_id)
            c.body = body
            c.updated_at = issue.updated_at = self.tick()

    def delete_comment(self, full: str, number: int, comment_id: int) -> None:
        with self.lock:
            issue = self.issue(full, number)
            issue.comments = [c for c in issue.comments if c.id != comment_id]
            issue.updated_at = self.tick()

    def minimize_comment(self, full: str, number: int, comment_id: int, reason: str = "OUTDATED") -> None:
        with self.lock:
            issue = self.issue(full, number)
            c = next(c for c in issue.comments if c.id == comment_id)
            c.is_minimized, c.minimized_reason = True, reason

    def set_state(self, full: str, number: int, state: str) -> None:
        with self.lock:
            issue = self.issue(full, number)
            issue.state = state
            issue.updated_at = self.tick()
            issue.closed_at = issue.updated_at if state == "closed" else None

    def inject(self, kind: str, *, count: int = 1, match: str | None = None, **kw: Any) -> None:
        """Make the next `count` matching requests fail with `kind` (see :class:`Fault`)."""
        with self.lock:
            self.faults.append(Fault(kind, count, match, **kw))

    # -- what happened ------------------------------------------------------------------

    def graphql_requests(self) -> list[Request]:
        return [r for r in self.log if r.path == "/graphql"]

    def writes(self) -> list[Request]:
        return [r for r in self.log if r.method != "GET" and r.path != "/graphql" and r.status < 400]

    def reset_log(self) -> None:
        with self.lock:
            self.log.clear()

    # -- GraphQL ------------------------------------------------------------------------

    def find_repo(self, owner: str, name: str) -> FakeRepo:
        key = f"{owner}/{name}".lower()
        repo = self.repos.get(key) or self.renamed.get(key)  # GitHub follows renames
        if repo is None:
            raise graphql.GraphQLError(
                f"Could not resolve to a Repository with the name '{owner}/{name}'.", type_="NOT_FOUND"
            )
        if repo.owner.lower() in self.sso_orgs:
            raise graphql.GraphQLError(
                f"Resource protected by organization SAML enforcement. You must grant your Personal "
                f"Access token access to the `{repo.owner}` organization.", type_="FORBIDDEN")
        return repo

    def readable_comments(self, issue: FakeIssue) -> list[FakeComment]:
        """An issue's comments, unless a test made them fail (a field error inside a page)."""
        if (issue.repo.full.lower(), issue.number) in self.broken:
            raise graphql.GraphQLError("Something went wrong while executing your query.",
                                       type_="INTERNAL")
        return issue.comments

    def nodes(self, ids: list[str]) -> list[Any]:
        """`nodes(ids:)`: comments by node id (None for ids that no longer resolve)."""
        if len(ids) > 100:
            raise graphql.GraphQLError("You may not request more than 100 node IDs at once.")
        by_id = {c.node_id: c for r in self.repos.values() for i in r.issues.values() for c in i.comments}
        return [by_id.get(x) for x in ids]

    def search(self, query: str) -> list[FakeIssue]:
        if len(query) > 256:
            raise graphql.GraphQLError("The search is longer than 256 characters.")
        if query.count("(") != query.count(")") or query.count('"') % 2:
            raise graphql.GraphQLError("Unable to parse the search: unbalanced parentheses or quotes.")
        terms = query.replace("(", " ").replace(")", " ").split()
        found: list[FakeIssue] = []
        repos = [t[5:].lower() for t in terms if t.startswith("repo:")]
        for full, repo in self.repos.items():
            if repos and full not in repos:
                continue
            for issue in repo.issues.values():
                if _matches(issue, terms):
                    found.append(issue)
        return found


def _matches(issue: FakeIssue, terms: list[str]) -> bool:
    for t in terms:
        if (t == "is:issue" and issue.is_pr) or (t == "is:pr" and not issue.is_pr):
            return False
        if (t == "is:open" and issue.state != "open") or (t == "is:closed" and issue.state != "closed"):
            return False
        have = {lb.lower() for lb in issue.labels}
        if t.startswith("label:") and t[6:].strip('"').lower() not in have:
            return False
        if t.startswith("-label:") and t[7:].strip('"').lower() in have:
            return False
    return True


def _conn(items: list[Any], node_type: str, args: dict[str, Any], key: Callable[[Any], list[Any]]) -> Conn:
    after = _uncursor(args.get("after"))
    if after is not None:
        items = [i for i in items if key(i) > after]
    first = args.get("first")
    page = items[:first] if first is not None else items[-int(args.get("last") or 0):]
    has_next = len(items) > len(page)
    return Conn(page, node_type, len(items), has_next, _cursor(*key(page[-1])) if page else None)


def _issue_list(repo: FakeRepo, args: dict[str, Any]) -> Conn:
    filt = args.get("filterBy") or {}
    items = [i for i in repo.issues.values() if not i.is_pr]
    states = args.get("states") or filt.get("states")
    if states:
        items = [i for i in items if i.state.upper() in states]
    labels = args.get("labels") or filt.get("labels")
    if labels:
        items = [i for i in items if set(labels) & set(i.labels)]
    if filt.get("since"):
        since = parse_iso(filt["since"])
        items = [i for i in items if i.updated_at >= since]
    if filt.get("milestoneNumber"):
        items = [i for i in items if str(i.milestone) == str(filt["milestoneNumber"])]
    order = args.get("orderBy") or {"field": "CREATED_AT", "direction": "ASC"}
    attr = {"UPDATED_AT": "updated_at", "CREATED_AT": "created_at"}[order["field"]]

    def key(i: FakeIssue) -> list[Any]:
        return [iso(getattr(i, attr)), i.number]

    items.sort(key=key, reverse=order.get("direction") == "DESC")
    if order.get("direction") == "DESC":
        after = _uncursor(args.get("after"))
        if after is not None:
            items = [i for i in items if key(i) < after]
        return _conn(items, "Issue", {**args, "after": None}, key)
    return _conn(items, "Issue", args, key)


@dataclass
class Actor:
    login: str
    graphql_type: str = "User"


def _actor(login: str, kind: str = "User") -> Actor:
    return Actor(login, kind)


def _field(attr: str) -> graphql.Resolver:
    return lambda obj, args, ctx: (getattr(obj, attr), None)


def _key(key: str) -> graphql.Resolver:
    return lambda obj, args, ctx: (obj[key], None)


SCHEMA: dict[str, dict[str, graphql.Resolver]] = {
    "Query": {
        "repository": lambda obj, a, ctx: (ctx.state.find_repo(a["owner"], a["name"]), "Repository"),
        "nodes": lambda obj, a, ctx: (ctx.state.nodes(a["ids"]), "Node"),
        "rateLimit": lambda obj, a, ctx: (
            {"cost": ctx.state.last_cost, "remaining": ctx.state.remaining, "limit": 5000,
             "resetAt": iso(datetime.fromtimestamp(RESET_EPOCH, UTC))}, "RateLimit"),
        "search": lambda obj, a, ctx: (
            _conn(ctx.state.search(a["query"]), "Issue", a, lambda i: [i.repo.full, i.number]),
            "Connection"),
    },
    "RateLimit": {k: _key(k) for k in ("cost", "remaining", "limit", "resetAt")},
    "Repository": {
        "nameWithOwner": lambda obj, a, ctx: (obj.full, None),
        "name": _field("name"),
        "issues": lambda obj, a, ctx: (_issue_list(obj, a), "Connection"),
        "issue": lambda obj, a, ctx: _issue(obj, a["number"], pr_ok=False),
        "issueOrPullRequest": lambda obj, a, ctx: _issue(obj, a["number"], pr_ok=True),
        "labels": lambda obj, a, ctx: (
            _conn([{"name": n, "color": c} for n, c in sorted(obj.labels.items())], "Label", a,
                  lambda lb: [lb["name"]]), "Connection"),
        "milestones": lambda obj, a, ctx: (
            _conn([m for m in obj.milestones.values()
                   if not a.get("states") or m.state.upper() in a["states"]], "Milestone", a,
                  lambda m: [m.number]), "Connection"),
    },
    "Connection": {
        "nodes": lambda obj, a, ctx: (obj.nodes, obj.node_type),
        "totalCount": lambda obj, a, ctx: (obj.total, None),
        "issueCount": lambda obj, a, ctx: (obj.total, None),
        "pageInfo": lambda obj, a, ctx: ({"hasNextPage": obj.has_next, "endCursor": obj.end_cursor},
                                         "PageInfo"),
    },
    "PageInfo": {k: _key(k) for k in ("hasNextPage", "endCursor")},
    "Label": {k: _key(k) for k in ("name", "color")},
    "Milestone": {
        "number": _field("number"), "title": _field("title"),
        "state": lambda obj, a, ctx: (obj.state.upper(), None),
    },
    "Issue": {
        "id": lambda obj, a, ctx: (obj.node_id, None),
        "number": _field("number"),
        "title": _field("title"),
        "body": _field("body"),
        "state": lambda obj, a, ctx: (obj.state.upper(), None),
        "url": lambda obj, a, ctx: (obj.html_url, None),
        "createdAt": lambda obj, a, ctx: (iso(obj.created_at), None),
        "updatedAt": lambda obj, a, ctx: (iso(obj.updated_at), None),
        "closedAt": lambda obj, a, ctx: (iso(obj.closed_at) if obj.closed_at else None, None),
        "author": lambda obj, a, ctx: ((_actor(obj.author), "User") if obj.author else (None, None)),
        "labels": lambda obj, a, ctx: (
            _conn([{"name": n, "color": obj.repo.labels.get(n, "ededed")} for n in obj.labels],
                  "Label", a, lambda lb: [lb["name"]]), "Connection"),
        "milestone": lambda obj, a, ctx: (obj.repo.milestones.get(obj.milestone) if obj.milestone else None,
                                          "Milestone"),
        "assignees": lambda obj, a, ctx: (
            _conn([_actor(x) for x in obj.assignees], "User", a, lambda u: [u.login]), "Connection"),
        "comments": lambda obj, a, ctx: (
            _conn(list(ctx.state.readable_comments(obj)), "IssueComment", a, lambda c: [c.id]),
            "Connection"),
    },
    "IssueComment": {
        "id": lambda obj, a, ctx: (obj.node_id, None),
        "databaseId": _field("id"),
        "fullDatabaseId": lambda obj, a, ctx: (str(obj.id), None),  # BigInt: a string
        "url": lambda obj, a, ctx: (f"{obj.issue.html_url}#issuecomment-{obj.id}", None),
        "body": _field("body"),
        "createdAt": lambda obj, a, ctx: (iso(obj.created_at), None),
        "updatedAt": lambda obj, a, ctx: (iso(obj.updated_at), None),
        "isMinimized": _field("is_minimized"),
        "minimizedReason": lambda obj, a, ctx: (  # GitHub answers in lower case ("outdated")
            obj.minimized_reason.lower() if obj.minimized_reason else None, None),
        "authorAssociation": lambda obj, a, ctx: ("CONTRIBUTOR", None),
        "author": lambda obj, a, ctx: (  # a deleted account: null
            (_actor(obj.author, obj.author_type), obj.author_type) if obj.author else (None, None)),
    },
    "User": {"login": _field("login")},
    "Bot": {"login": _field("login")},
}
SCHEMA["PullRequest"] = {k: SCHEMA["Issue"][k] for k in ("number", "title", "body", "state", "url")}
SCHEMA["PullRequest"]["state"] = lambda obj, a, ctx: (
    "MERGED" if obj.state == "merged" else obj.state.upper(), None)


def _issue(repo: FakeRepo, number: int, *, pr_ok: bool) -> tuple[Any, str]:
    issue = repo.issues.get(number)
    if issue is None or (issue.is_pr and not pr_ok):
        kind = "issue or pull request" if pr_ok else "Issue"
        raise graphql.GraphQLError(
            f"Could not resolve to an {kind} with the number of {number}.", type_="NOT_FOUND"
        )
    return issue, issue.graphql_type


# -- REST ---------------------------------------------------------------------------------

def rest_label(repo: FakeRepo, name: str) -> dict[str, Any]:
    return {"id": abs(hash(name)) % 10**8, "node_id": f"LA_{name}", "name": name,
            "color": repo.labels.get(name, "ededed"), "default": False, "description": None,
            "url": f"https://api.github.com/repos/{repo.full}/labels/{name}"}


def rest_milestone(repo: FakeRepo, m: FakeMilestone) -> dict[str, Any]:
    return {"number": m.number, "title": m.title, "state": m.state, "id": m.number * 7,
            "node_id": f"MI_{m.number}", "description": None, "due_on": None,
            "html_url": f"https://github.com/{repo.full}/milestone/{m.number}"}


def rest_issue(issue: FakeIssue) -> dict[str, Any]:
    repo = issue.repo
    m = repo.milestones.get(issue.milestone) if issue.milestone else None
    return {
        "id": issue.number * 1000, "node_id": issue.node_id, "number": issue.number,
        "title": issue.title, "body": issue.body, "state": issue.state, "locked": issue.locked,
        "url": f"https://api.github.com/repos/{repo.full}/issues/{issue.number}",
        "html_url": issue.html_url,
        "user": {"login": issue.author, "type": "User"},
        "labels": [rest_label(repo, n) for n in issue.labels],
        "assignees": [{"login": a, "type": "User"} for a in issue.assignees],
        "milestone": rest_milestone(repo, m) if m else None,
        "comments": len(issue.comments),
        "created_at": iso(issue.created_at), "updated_at": iso(issue.updated_at),
        "closed_at": iso(issue.closed_at) if issue.closed_at else None,
    }


def rest_comment(c: FakeComment) -> dict[str, Any]:
    assert c.issue is not None
    return {
        "id": c.id, "node_id": c.node_id, "body": c.body,
        "user": {"login": c.author, "type": c.author_type},
        "html_url": f"{c.issue.html_url}#issuecomment-{c.id}",
        "created_at": iso(c.created_at), "updated_at": iso(c.updated_at),
        "author_association": "CONTRIBUTOR",
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out or are dropped on purpose break pipes; that is expected


def _make_handler(gh: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as separate writes

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

        def do_PATCH(self) -> None:
            self._handle("PATCH")

        def do_PUT(self) -> None:
            self._handle("PUT")

        def _handle(self, method: str) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            path = urlsplit(self.path).path
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            op = ""
            if path == "/graphql" and isinstance(body, dict):
                m = re.match(r"\s*(?:query|mutation)\s+(\w+)", body.get("query") or "")
                op = m.group(1) if m else ""
            record = Request(method, path, op, authorized=bool(self.headers.get("authorization")))
            with gh.lock:
                gh.log.append(record)
                fault = self._take_fault(f"{method} {path}")
            if fault is not None:
                if fault.kind == "delay":
                    time.sleep(fault.seconds)
                elif fault.kind == "drop":
                    record.status = -1
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    return
                else:
                    self._fault_response(fault, record)
                    return
            auth = self.headers.get("authorization", "")
            scheme, _, value = auth.partition(" ")
            if scheme.lower() not in ("bearer", "token") or value != gh.token:
                record.status = 401
                self._send(401, {"message": "Bad credentials",
                                 "documentation_url": "https://docs.github.com/rest", "status": "401"})
                return
            with gh.lock:
                status, payload = self._route(method, path, body, urlsplit(self.path).query)
            record.status = status
            headers = {"location": payload["url"]} if status == 301 else {}
            if isinstance(payload, Paged) and payload.last > 1:
                headers["link"] = _link(gh.url, self.path, payload)
            self._send(status, payload, headers)

        def _take_fault(self, where: str) -> Fault | None:
            for f in gh.faults:
                if f.match is None or f.match in where:
                    f.count -= 1
                    if f.count <= 0:
                        gh.faults.remove(f)
                    return f
            return None

        def _fault_response(self, f: Fault, record: Request) -> None:
            headers: dict[str, str] = {}
            if f.kind == "redirect":
                record.status = f.status
                self._send(f.status, {"message": "Moved", "url": f.location}, {"location": f.location})
                return
            if f.kind == "status":
                record.status = f.status
                self._send(f.status, {"message": "Server Error"} if f.status >= 500 else {"message": "error"})
                return
            if f.kind == "primary":
                record.status = 403
                self._send(403, {
                    "message": "API rate limit exceeded for user ID 1. If you reach out to GitHub "
                    "Support for help, please include the request ID.",
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                }, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(f.seconds) or RESET_EPOCH)})
                return
            if f.kind == "graphql-primary":
                record.status = 200
                reset = str(int(f.seconds) or RESET_EPOCH)
                error: dict[str, Any] = {"type": f.error_type,
                                         "message": "API rate limit already exceeded for user ID 1."}
                if f.error_type == "RATE_LIMIT":
                    error["code"] = "graphql_rate_limit"
                self._send(200, {"errors": [error]},
                           {"x-ratelimit-remaining": f.remaining, "x-ratelimit-reset": reset})
                return
            if f.kind == "graphql-secondary":  # a secondary limit said in a 200, without a type
                record.status = 200
                self._send(200, {"errors": [{
                    "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                    "before you try again. If you reach out to GitHub Support for help, please "
                    "include the request ID F4KE:0001."}]})
                return
            if f.kind == "secondary":
                if f.retry_after is not None:
                    headers["retry-after"] = str(f.retry_after)
                record.status = 403
                self._send(403, {
                    "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                    "before you try again. If you reach out to GitHub Support for help, please "
                    "include the request ID.",
                    "documentation_url": "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                }, headers)
                return
            raise AssertionError(f"unknown fault {f.kind}")

        def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode() if payload is not None else b""
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                self.send_header("x-github-request-id", "F4KE:0001")
                if gh.scopes is not None:
                    self.send_header("x-oauth-scopes", gh.scopes)
                left = gh.remaining if self.path == "/graphql" else gh.core_remaining
                base = {
                    "x-ratelimit-limit": "5000", "x-ratelimit-remaining": str(left),
                    "x-ratelimit-reset": str(RESET_EPOCH), "x-ratelimit-used": str(5000 - left),
                    "x-ratelimit-resource": "graphql" if self.path == "/graphql" else "core",
                }
                base.update(headers or {})
                for k, v in base.items():
                    self.send_header(k, v)
                self.end_headers()
                if data:
                    self.wfile.write(data)
            except OSError:
                self.close_connection = True

        def _route(self, method: str, path: str, body: Any, query: str) -> tuple[int, Any]:
            if path == "/graphql" and method == "POST":
                if not isinstance(body, dict) or not isinstance(body.get("query"), str):
                    return 400, {"message": "Problems parsing JSON"}
                invalid = schema.validate(body["query"], body.get("variables"))
                if invalid:
                    gh.invalid_queries.append(body["query"])
                    return 200, {"errors": invalid}
                first = (body.get("variables") or {}).get("first")
                heavy_op = re.match(r"\s*query\s+IssuesPage\b", body["query"]) is not None
                if gh.heavy_limit and heavy_op and isinstance(first, int) and first > gh.heavy_limit:
                    return 502, {"message": "We couldn't respond to your request in time. Sorry about "
                                 "that. Please try resubmitting your request and contact us if the "
                                 "problem persists."}
                cost, nodes = schema.cost(body["query"], body.get("variables"))
                if nodes > schema.NODE_LIMIT:
                    return 200, {"errors": [{
                        "type": "MAX_NODE_LIMIT_EXCEEDED",
                        "message": f"This query requests up to {nodes:,} possible nodes which exceeds "
                        f"the maximum limit of {schema.NODE_LIMIT:,}."}]}
                gh.last_cost = cost
                gh.costs.append(cost)
                gh.remaining = max(gh.remaining - cost, 0)
                return 200, graphql.run(body["query"], body.get("variables"), SCHEMA, gh)
            gh.core_remaining = max(gh.core_remaining - 1, 0)
            not_found = 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
            if path == "/rate_limit" and method == "GET":  # free: it spends no budget
                gh.core_remaining += 1
                reset = RESET_EPOCH
                return 200, {"resources": {
                    "core": {"limit": 5000, "remaining": gh.core_remaining, "reset": reset},
                    "graphql": {"limit": 5000, "remaining": gh.remaining, "reset": reset},
                    "search": {"limit": 30, "remaining": 30, "reset": reset}}}
            by_id = re.fullmatch(r"/repositories/(\d+)(/.*)?", path)
            m = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
            if by_id is not None:
                found = gh.repo_by_id(int(by_id[1]))
                rest = by_id[2] or ""
            elif m is not None:
                key = f"{m[1]}/{m[2]}".lower()
                found = gh.repos.get(key)
                rest = m[3] or ""
                if found is None and key in gh.renamed:  # REST answers a renamed repository with 301
                    return _moved(gh, f"/repositories/{gh.renamed[key].id}{rest}", query)
            else:
                return not_found
            if found is None:
                return not_found
            moved = re.fullmatch(r"/issues/(\d+)(/.*)?", rest)
            if moved is not None and int(moved[1]) in found.moved:
                target, number = found.moved[int(moved[1])]
                return _moved(gh, f"/repositories/{target.id}/issues/{number}{moved[2] or ''}", query)
            if moved is not None and int(moved[1]) in found.deleted:
                return 410, {"message": "This issue was deleted",
                             "documentation_url": "https://docs.github.com/rest/issues/issues"}
            return _rest(gh, found, method, rest, body or {}, parse_qs(query))

    return Handler


class Paged(list[Any]):
    """A page of a REST list; `last` is the number of pages (for the Link header)."""

    page: int = 1
    last: int = 1


def _paged(items: list[Any], qs: dict[str, list[str]]) -> Paged:
    per = max(1, min(int((qs.get("per_page") or ["30"])[0]), 100))
    page = max(1, int((qs.get("page") or ["1"])[0]))
    out = Paged(items[(page - 1) * per : page * per])
    out.page, out.last = page, max(1, -(-len(items) // per))
    return out


def _link(base: str, path_qs: str, page: Paged) -> str:
    """GitHub's Link header: next and last (and prev and first) pages of the same request."""
    parts = urlsplit(path_qs)
    qs = {k: v[0] for k, v in parse_qs(parts.query).items()}

    def url(n: int) -> str:
        query = "&".join(f"{k}={v}" for k, v in (qs | {"page": str(n)}).items())
        return f"<{base}{parts.path}?{query}>"

    rels = []
    if page.page < page.last:
        rels += [f'{url(page.page + 1)}; rel="next"', f'{url(page.last)}; rel="last"']
    if page.page > 1:
        rels += [f'{url(page.page - 1)}; rel="prev"', f'{url(1)}; rel="first"']
    return ", ".join(rels)


def _moved(gh: FakeGitHub, path: str, query: str) -> tuple[int, Any]:
    url = f"{gh.url}{path}" + (f"?{query}" if query else "")
    return 301, {"message": "Moved Permanently", "url": url,
                 "documentation_url": "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"}


def _invalid(resource: str, code: str, field: str) -> tuple[int, Any]:
    return 422, {"message": "Validation Failed",
                 "errors": [{"resource": resource, "code": code, "field": field}]}


def _rest(
    gh: FakeGitHub, repo: FakeRepo, method: str, rest: str, body: Any, qs: dict[str, list[str]]
) -> tuple[int, Any]:
    not_found = 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
    if rest == "/labels":
        if method == "GET":
            return 200, _paged([rest_label(repo, n) for n in sorted(repo.labels)], qs)
        name = body.get("name", "")
        if name.lower() in {n.lower() for n in repo.labels}:
            return 422, {"message": "Validation Failed",
                         "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}]}
        repo.labels[name] = body.get("color", "ededed")
        return 201, rest_label(repo, name)
    if rest == "/milestones":
        if method == "GET":
            state = (qs.get("state") or ["open"])[0]
            return 200, _paged([rest_milestone(repo, ms) for ms in repo.milestones.values()
                                if state == "all" or ms.state == state], qs)
        title = body.get("title", "")
        if any(ms.title == title for ms in repo.milestones.values()):
            return 422, {"message": "Validation Failed",
                         "errors": [{"resource": "Milestone", "code": "already_exists", "field": "title"}]}
        ms = gh.add_milestone(repo.full, title)
        return 201, rest_milestone(repo, ms)
    if rest == "/issues" and method == "POST":
        if not body.get("title"):
            return _invalid("Issue", "missing_field", "title")
        ms_title = None
        if body.get("milestone") is not None:
            found = repo.milestones.get(int(body["milestone"]))
            if found is None:
                return _invalid("Issue", "invalid", "milestone")
            ms_title = found.title
        issue = gh.add_issue(repo.full, title=body["title"], body=body.get("body") or "",
                             labels=tuple(body.get("labels") or ()), milestone=ms_title,
                             author="goalkeeper-user")
        return 201, rest_issue(issue)
    m = re.fullmatch(r"/issues/(\d+)(/comments|/labels|/lock)?", rest)
    if m is None:
        return not_found
    issue = repo.issues.get(int(m[1]))
    if issue is None:
        return not_found
    sub = m[2] or ""
    if sub == "" and method == "GET":
        return 200, rest_issue(issue)
    if sub == "" and method == "PATCH":
        if "title" in body:
            issue.title = body["title"]
        if "body" in body:
            issue.body = body["body"]
        if "state" in body:
            issue.state = body["state"]
            issue.closed_at = gh.now if body["state"] == "closed" else None
        if "milestone" in body:
            if body["milestone"] is not None and int(body["milestone"]) not in repo.milestones:
                return _invalid("Issue", "invalid", "milestone")
            issue.milestone = body["milestone"]
        if "labels" in body:
            issue.labels = list(dict.fromkeys(repo.label(lb) for lb in body["labels"]))
        issue.updated_at = gh.tick()
        return 200, rest_issue(issue)
    if sub == "/comments":
        if method == "GET":
            page = int((qs.get("page") or ["1"])[0])
            per = int((qs.get("per_page") or ["30"])[0])
            return 200, [rest_comment(c) for c in issue.comments[(page - 1) * per : page * per]]
        c = gh.add_comment(repo.full, issue.number, "goalkeeper-user", body.get("body", ""))
        return 201, rest_comment(c)
    if sub == "/labels" and method == "POST":
        for lb in body.get("labels") or ():
            lb = repo.label(lb)
            if lb not in issue.labels:
                issue.labels.append(lb)
        issue.updated_at = gh.tick()
        return 200, [rest_label(repo, n) for n in issue.labels]
    if sub == "/lock" and method == "PUT":
        issue.locked = True
        return 204, None
    return not_found


def all_comments(gh: FakeGitHub, full: str) -> Iterator[FakeComment]:
    for issue in gh.repo(full).issues.values():
        yield from issue.comments
