"""Progress and updates of each goal, computed from the synced forge data (no network).

    with Store.open(Store.default_path(root)) as store:
        for key, gp in progress_for(program, store).items():
            print(key, gp.progress, gp.tldr.body if gp.tldr else "")

Progress follows the Rust program's rules (reference §4.3), line by line over the tracking
issue's body: task-list checkboxes count; a `Tracked issues` row adds the open/closed counts of
its search; a `See also` row adds each linked issue, followed recursively (a linked issue with no
boxes of its own counts as one task, done when closed). Unlike the Rust tool, cycles are cut (an
issue already visited counts nothing the second time), `[X]` counts as checked, code blocks and a
continuing goal's earlier body are ignored. Nothing to count means open/closed.

Updates are the issue's comments except minimized ones, bots' and the tool's own; for a goal that
continues an earlier milestone's issue, only the comments of its own period (after the
continuing-goal comment for its milestone, before the next one). The newest update starting with
`TL;DR:` is the summary; `Help wanted:` lines become help requests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..forge.names import continuing_milestone, is_roadmap_label, is_tool_comment
from ..forge.records import RemoteComment, RemoteIssue
from ..model import USER_RE, Goal, IssueRef, Program, all_roadmaps
from .issue_body import body_for, checkboxes, links
from .scope import canonical, selected_goals, tracker_repo
from .store import Store

TLDR_PREFIX = "TL;DR:"
HELP_RE = re.compile(r"^[*-]?\s*(?:help wanted:|\*\*help wanted:\*\*)\s?(?P<text>.*)$", re.I)
FENCE_RE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True, slots=True)
class Progress:
    kind: str  # "binary", "tracked" or "error"
    is_closed: bool = False
    completed: int = 0
    total: int = 0
    message: str = ""

    @classmethod
    def binary(cls, is_closed: bool) -> Progress:
        return cls("binary", is_closed=is_closed)

    @classmethod
    def tracked(cls, completed: int, total: int, is_closed: bool = False) -> Progress:
        return cls("tracked", is_closed=is_closed, completed=completed, total=total)

    @classmethod
    def error(cls, message: str) -> Progress:
        return cls("error", message=message)

    @property
    def complete(self) -> bool:
        """Closed with every task done (a closed issue with open tasks "will not complete")."""
        return self.is_closed and (self.kind == "binary" or self.completed >= self.total)

    def to_json(self) -> dict[str, Any]:
        """The Rust JSON API's externally tagged shape (reference §4.5)."""
        if self.kind == "tracked":
            return {"Tracked": {"completed": self.completed, "total": self.total}}
        if self.kind == "error":
            return {"Error": {"message": self.message}}
        return {"Binary": {"is_closed": self.is_closed}}

    def __str__(self) -> str:
        if self.kind == "error":
            return f"error: {self.message}"
        if self.kind == "tracked":
            text = f"{self.completed}/{self.total}"
            return text + (" (closed)" if self.is_closed else "")
        return "closed" if self.is_closed else "open"


@dataclass(frozen=True, slots=True)
class Update:
    author: str
    body: str
    created_at: str
    url: str
    roles: tuple[str, ...] = ()  # "point of contact", "task owner", "champion"

    @property
    def date(self) -> str:
        return self.created_at[:10]

    def to_json(self) -> dict[str, Any]:
        return {"author": f"@{self.author}", "body": self.body, "created_at": self.date,
                "url": self.url, "roles": list(self.roles)}


@dataclass(frozen=True, slots=True)
class GoalProgress:
    goal: str  # milestone/slug
    issue: IssueRef | None
    synced: bool
    progress: Progress
    state: str = ""  # "open" or "closed"
    title: str = ""
    url: str = ""
    roadmap: bool = False
    labels: tuple[str, ...] = ()  # the tracking issue's labels (e.g. `Flagship Goal`)
    milestone: str = ""  # the tracking issue's milestone in the tracker (e.g. `2025h2-goals`)
    assignees: tuple[str, ...] = ()
    updates: tuple[Update, ...] = ()  # oldest first, the TL;DR excluded
    tldr: Update | None = None
    help_wanted: tuple[str, ...] = ()
    has_help_wanted: bool = False

    @property
    def last_update(self) -> str:
        dates = [u.date for u in self.updates] + ([self.tldr.date] if self.tldr else [])
        return max(dates, default="")

    def to_json(self) -> dict[str, Any]:
        return {
            "issue": str(self.issue) if self.issue else None,
            "synced": self.synced,
            "state": self.state or None,
            "progress": self.progress.to_json(),
            "roadmap": self.roadmap,
            "tldr": self.tldr.body if self.tldr else None,
            "help_wanted": list(self.help_wanted),
            "has_help_wanted": self.has_help_wanted,
            "last_update": self.last_update or None,
            "updates": [u.to_json() for u in self.updates],
        }


Resolver = Callable[[IssueRef], "tuple[str, bool] | str"]  # (body, closed) or an error message


def body_progress(
    body: str, is_closed: bool, resolve: Resolver, store: Store | None, *, this: IssueRef | None = None
) -> Progress:
    """Progress of an issue body (of issue `this`); `resolve` looks up `See also` issues."""
    visited = {(this.repository.lower(), this.number)} if this is not None else set()
    return _progress(body, is_closed, resolve, store, visited)


def _progress(
    body: str, is_closed: bool, resolve: Resolver, store: Store | None, visited: set[tuple[str, int]]
) -> Progress:
    done, total = checkboxes(body)
    found = links(body)
    if found.errors:
        return Progress.error(found.errors[0])
    for repo, query in found.searches:
        count = store.search_count(repo, query) if store is not None else None
        if count is None:
            return Progress.error(f"search `{repo} {query}` is not synced; run `goalkeeper sync`")
        if count.error:
            return Progress.error(f"search `{repo} {query}` failed: {count.error}")
        done += count.closed
        total += count.open + count.closed
    for ref in found.refs:
        key = (ref.repository.lower(), ref.number)
        if key in visited:
            continue  # a cycle, or an issue already counted
        visited.add(key)
        got = resolve(ref)
        if isinstance(got, str):
            return Progress.error(f"error parsing {ref}: {got}")
        sub = _progress(got[0], got[1], resolve, store, visited)
        if sub.kind == "error":
            return Progress.error(f"error parsing {ref}: {sub.message}")
        if sub.kind == "binary":
            total += 1
            done += sub.is_closed
        else:
            done += sub.completed
            total += sub.total
    if total == 0:
        return Progress.binary(is_closed)
    return Progress.tracked(done, total, is_closed)


def store_resolver(store: Store) -> Resolver:
    def resolve(ref: IssueRef) -> tuple[str, bool] | str:
        stored = store.body(ref.repository, ref.number)
        if stored is not None:
            return stored
        linked = store.linked(ref.repository, ref.number)
        if linked is None:
            return "not synced; run `goalkeeper sync`"
        if linked.error:
            return linked.error
        return linked.body, linked.is_closed

    return resolve


def roles_of(goal: Goal) -> dict[str, tuple[str, ...]]:
    """Login (lower case) → the roles that make their comments updates "by the goal"."""
    roles: dict[str, list[str]] = {}
    for p in goal.points_of_contact:
        roles.setdefault(p.lower(), []).append("point of contact")
    for o in goal.task_owners:
        for login in USER_RE.findall(o) or [o]:
            if "task owner" not in roles.setdefault(login.lower(), []):
                roles[login.lower()].append("task owner")
    for c in goal.champions:
        for login in c.logins:
            if "champion" not in roles.setdefault(login.lower(), []):
                roles[login.lower()].append("champion")
    return {k: tuple(v) for k, v in roles.items()}


def period_comments(comments: tuple[RemoteComment, ...], milestone: str) -> list[RemoteComment]:
    """The comments of `milestone`'s period on an issue shared by continuing goals.

    The period starts after the continuing-goal comment for `milestone` (or at the first comment
    when there is none) and ends at the next continuing-goal comment for another milestone.
    """
    marks = [(i, continuing_milestone(c.body)) for i, c in enumerate(comments)]
    own = [i for i, m in marks if m == milestone]
    start = own[0] + 1 if own else 0
    end = next((i for i, m in marks if i >= start and m is not None and m != milestone), len(comments))
    return list(comments[start:end])


def is_update(c: RemoteComment) -> bool:
    return not c.is_minimized and not c.is_bot and not is_tool_comment(c.body)


def help_wanted_items(text: str) -> list[str]:
    """`Help wanted:` items: the rest of the line plus the following non-blank lines."""
    items: list[list[str]] = []
    open_item = False
    fence = False
    for line in text.splitlines():
        if FENCE_RE.match(line):
            fence, open_item = not fence, False
            continue
        if fence:
            continue
        m = HELP_RE.match(line.strip())
        if m:
            items.append([m.group("text").strip()])
            open_item = True
        elif open_item and line.strip():
            items[-1].append(line.strip())
        else:
            open_item = False
    return [t for t in ("\n".join(x for x in item if x) for item in items) if t]


def goal_progress(
    goal: Goal, issue: RemoteIssue | None, ref: IssueRef | None, store: Store,
    *, since: str | None = None, until: str | None = None,
) -> GoalProgress:
    roadmap = bool(all_roadmaps(goal))
    if ref is None:
        return GoalProgress(goal.key, None, False, Progress.error("no tracking issue"), roadmap=roadmap)
    if issue is None:
        unavailable = store.linked(ref.repository, ref.number)  # why the last sync could not read it
        why = (f"{ref} is unavailable: {unavailable.error}" if unavailable is not None and unavailable.error
               else f"{ref} is not synced; run `goalkeeper sync`")
        return GoalProgress(goal.key, ref, False, Progress.error(why), roadmap=roadmap)
    roles = roles_of(goal)
    updates: list[Update] = []
    for c in period_comments(issue.comments, goal.milestone):
        if not is_update(c):
            continue
        if (since and c.created_at[:10] < since) or (until and c.created_at[:10] >= until):
            continue
        updates.append(Update(c.author, c.body, c.created_at, c.url, roles.get(c.author.lower(), ())))
    tldr_at = next((i for i in range(len(updates) - 1, -1, -1)
                    if updates[i].body.startswith(TLDR_PREFIX)), None)
    tldr = None
    if tldr_at is not None:
        u = updates.pop(tldr_at)
        tldr = Update(u.author, u.body[len(TLDR_PREFIX):].strip(), u.created_at, u.url, u.roles)
    wanted = [item for u in updates for item in help_wanted_items(u.body)]
    return GoalProgress(
        goal=goal.key,
        issue=ref,
        synced=True,
        progress=body_progress(body_for(issue.body, goal.key, goal.milestone), issue.is_closed,
                               store_resolver(store), store, this=ref),
        state="closed" if issue.is_closed else "open",
        title=issue.title,
        url=issue.url,
        roadmap=roadmap or any(is_roadmap_label(lb) for lb in issue.labels),
        labels=issue.labels,
        milestone=issue.milestone,
        assignees=issue.assignees,
        updates=tuple(updates),
        tldr=tldr,
        help_wanted=tuple(wanted),
        has_help_wanted=bool(wanted) or bool(tldr and help_wanted_items(tldr.body)),
    )


def progress_for(
    program: Program,
    store: Store,
    *,
    milestone: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> dict[str, GoalProgress]:
    """Progress and updates of every goal with a tracking issue, keyed by `milestone/slug`.

    `since`/`until` (YYYY-MM-DD, until exclusive) narrow the updates to a reporting window.
    Goals whose issue is not in the store get an error progress saying to sync.
    """
    tracker = tracker_repo(program)
    out: dict[str, GoalProgress] = {}
    for goal in selected_goals(program, milestone):
        if goal.tracking_issue is None:
            continue
        ref = canonical(goal.tracking_issue, program, tracker)
        issue = store.issue(ref.repository, ref.number)
        out[goal.key] = goal_progress(goal, issue, ref, store, since=since, until=until)
    return out


def cached_progress(program: Program) -> dict[str, GoalProgress] | None:
    """Progress from the cache at ROOT/.goalkeeper-cache, or None when nothing was synced yet."""
    path = Store.default_path(program.root)
    if not path.is_file():
        return None
    with Store.open(path, readonly=True) as store:
        return progress_for(program, store)
