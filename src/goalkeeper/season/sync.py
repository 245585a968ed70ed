"""`goalkeeper sync`: bring the tracker's issues and comments (and what they link to) home.

One sync is:

1. the tracker repository's issues updated since the last sync (all of them the first time),
   oldest change first, a page at a time with up to 100 comments each; issues with more comments
   are completed with batched follow-up queries. The first request also carries the repository's
   labels and milestones and refreshes the issues and searches the tracking issues link to, so a
   sync when nothing changed is one request;
2. tracking issues named by goals but not in the tracker (or never seen), by number;
3. `See also` issues and `Tracked issues` searches newly named by the bodies, followed
   recursively with a guard against cycles.

Each page is saved in one transaction together with the watermark (the newest `updatedAt` in
it), so a sync killed anywhere resumes from the last saved page and never stores a comment twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from ..forge import queries
from ..forge.github import GitHubClient, complete_page
from ..forge.records import LinkedIssue, SearchCount
from ..model import IssueRef, Program
from .issue_body import links
from .scope import canonical, selected_goals, tracker_repo
from .store import Store

MAX_LINK_DEPTH = 10
LIST_EVERY = timedelta(days=7)  # how often an incremental sync checks for vanished issues
MINIMIZED_WINDOW_DAYS = 45  # comments this recent get their minimized state refreshed


@dataclass(frozen=True, slots=True)
class SyncEvent:
    """A step of a sync, for progress displays."""

    done: int  # issues saved so far
    total: int | None  # issues expected from the listing, when known
    message: str


@dataclass(frozen=True, slots=True)
class SyncReport:
    repo: str
    requests: int
    issues: int  # issues fetched and saved
    comments: int  # comments fetched with them
    deleted: int  # stored comments that no longer exist on the forge
    linked: int  # linked issues and searches refreshed
    missing: tuple[IssueRef, ...]  # tracking issues named by goals that the forge does not have
    full: bool
    seconds: float
    unavailable: tuple[tuple[str, str], ...] = ()  # (link or search, why it could not be read)
    renamed: tuple[tuple[str, str], ...] = ()  # (repository the documents name, GitHub's new name)
    dropped: int = 0  # stored issues deleted or transferred away on the forge
    page_size: int = 0  # issues per page that GitHub answered in time


def goal_refs(program: Program, milestone: str | None, tracker: str) -> list[IssueRef]:
    refs = [
        canonical(g.tracking_issue, program, tracker)
        for g in selected_goals(program, milestone)
        if g.tracking_issue is not None
    ]
    return list(dict.fromkeys(refs))


def linked_closure(store: Store, roots: Iterable[IssueRef]) -> tuple[list[IssueRef], list[tuple[str, str]]]:
    """Every issue and search reachable from the roots' bodies through `See also` rows.

    Issues of the tracker itself are read from the issue table; others from the linked-issue
    table. A visited set stops cycles (A says see also B, B says see also A).
    """
    seen: set[tuple[str, int]] = set()
    out_refs: list[IssueRef] = []
    searches: dict[tuple[str, str], None] = {}
    frontier = list(roots)
    for _ in range(MAX_LINK_DEPTH):
        nxt: list[IssueRef] = []
        for ref in frontier:
            key = (ref.repository.lower(), ref.number)
            if key in seen:
                continue
            seen.add(key)
            stored = store.body(ref.repository, ref.number)
            body = stored[0] if stored is not None else None
            if stored is None:
                linked = store.linked(ref.repository, ref.number)
                body = linked.body if linked is not None and not linked.error else None
            if body is None:
                continue
            found = links(body)
            for r in found.refs:
                if (r.repository.lower(), r.number) not in seen:
                    nxt.append(r)
                    out_refs.append(r)
            searches.update(dict.fromkeys(found.searches))
        if not nxt:
            break
        frontier = nxt
    return list(dict.fromkeys(out_refs)), list(searches)


def sync(
    program: Program,
    client: GitHubClient,
    store: Store,
    *,
    milestone: str | None = None,
    full: bool = False,
    on_event: Callable[[SyncEvent], None] | None = None,
) -> SyncReport:
    """Fetch what changed on the forge into `store`; see the module docstring."""
    started = time.monotonic()
    requests_before = client.requests
    repo = tracker_repo(program)
    scope = repo.lower()
    since = None if full else store.watermark(scope)
    roots = goal_refs(program, milestone, repo)
    learnt = store.page_size(scope)
    if learnt:
        client.page_size = min(client.page_size, learnt)
    page_size_before = client.page_size
    listed: set[int] = set()

    def emit(done: int, total: int | None, message: str) -> None:
        if on_event is not None:
            on_event(SyncEvent(done, total, message))

    # What the stored bodies already link to is refreshed in the listing's first request.
    known_refs, known_searches = linked_closure(store, roots)
    external = [r for r in known_refs if store.body(r.repository, r.number) is None]
    first_refs = [(r.repository, r.number) for r in external[: queries.ALIAS_BATCH]]
    first_searches = known_searches[: queries.ALIAS_BATCH // 2]

    saved = comments = deleted = 0
    refreshed_links: set[tuple[str, int]] = set()
    refreshed_searches: set[tuple[str, str]] = set()
    # Minimizing a comment does not touch its issue, so an incremental listing never sees it: the
    # state of the newest comments (up to 100, of the last 45 days) rides along; --full reads all.
    recent = store.recent_comment_ids(scope, MINIMIZED_WINDOW_DAYS)[: queries.NODES_BATCH] if since else []
    page = client.issues_page(repo, since=since, after=None, with_repo_meta=True,
                              linked=first_refs, searches=first_searches, comment_ids=recent)
    if recent:
        store.set_minimized(page.minimized)
    total = page.total
    first = True
    while True:
        issues = complete_page(client, page)
        if page.repo.lower() != scope:  # a renamed tracker: keep the name the goals use
            issues = tuple(replace(i, repo=repo) for i in issues)
        watermark = max((i.updated_at for i in issues), default=None)
        deleted += store.save_batch(
            issues,
            scope=scope,
            watermark=watermark,
            labels=(repo, page.labels) if page.labels is not None else None,
            milestones=(repo, page.milestones) if page.milestones is not None else None,
            linked=page.linked if first else None,
            searches=page.searches if first else None,
        )
        if first:
            refreshed_links |= {(r.lower(), n) for r, n in first_refs}
            refreshed_searches |= {(r.lower(), q) for r, q in first_searches}
        first = False
        saved += len(issues)
        listed |= {i.number for i in issues}
        comments += sum(len(i.comments) for i in issues)
        emit(saved, total, f"saved {saved} of {total} {repo} issues"
             + (f" changed since {since}" if since else ""))
        if not page.has_next:
            break
        page = client.issues_page(repo, since=since, after=page.end_cursor)

    if client.page_size != page_size_before:
        store.set_sync_meta(scope, page_size=client.page_size)
    dropped = _drop_vanished(client, store, repo, listed if since is None else None, emit, saved, total)

    # Tracking issues the listing cannot have brought: other repositories, or never seen.
    stragglers = [
        r for r in roots
        if r.repository.lower() != scope or store.body(r.repository, r.number) is None
    ]
    missing: list[IssueRef] = []
    unavailable: dict[str, str] = {}
    if stragglers:
        emit(saved, total, f"reading {len(stragglers)} tracking issues by number")
        reasons: dict[tuple[str, int], str] = {}
        found = client.issues_by_number([(r.repository, r.number) for r in stragglers], reasons)
        got = [i for i in found.values() if i is not None]
        missing = [r for r in stragglers if found.get((r.repository.lower(), r.number)) is None]
        refused = {k: LinkedIssue(k[0], k[1], error=why) for k, why in reasons.items()
                   if not why.startswith("not found")}
        missing = [r for r in missing if (r.repository.lower(), r.number) not in refused]
        unavailable |= {f"{k[0]}#{k[1]}": li.error for k, li in refused.items()}
        deleted += store.save_batch(got, linked=refused)
        saved += len(got)
        comments += sum(len(i.comments) for i in got)

    # Links the (new) bodies name that were not refreshed with the first request.
    for _ in range(MAX_LINK_DEPTH):
        refs, searches = linked_closure(store, roots)
        need_refs = [
            (r.repository, r.number) for r in refs
            if (r.repository.lower(), r.number) not in refreshed_links
            and store.body(r.repository, r.number) is None
        ]
        need_searches = [(r, q) for r, q in searches if (r.lower(), q) not in refreshed_searches]
        if not need_refs and not need_searches:
            break
        emit(saved, total, f"reading {len(need_refs) + len(need_searches)} linked issues and searches")
        got_links, got_counts = client.linked(need_refs, need_searches)
        store.save_batch((), linked=got_links, searches=got_counts)
        unavailable |= _unavailable(got_links, got_counts)
        refreshed_links |= {(r.lower(), n) for r, n in need_refs}
        refreshed_searches |= {(r.lower(), q) for r, q in need_searches}

    store.save_aliases(client.renamed)
    return SyncReport(
        repo=repo,
        requests=client.requests - requests_before,
        issues=saved,
        comments=comments,
        deleted=deleted,
        linked=len(refreshed_links) + len(refreshed_searches),
        missing=tuple(missing),
        full=since is None,
        seconds=time.monotonic() - started,
        unavailable=tuple(sorted(unavailable.items())),
        renamed=tuple(sorted(client.renamed.items())),
        dropped=dropped,
        page_size=client.page_size,
    )


def _unavailable(
    links: Mapping[tuple[str, int], LinkedIssue], counts: Mapping[tuple[str, str], SearchCount]
) -> dict[str, str]:
    out = {f"{li.repo}#{li.number}": li.error for li in links.values() if li.error}
    out |= {f"search `{sc.repo} {sc.query}`": sc.error for sc in counts.values() if sc.error}
    return out


def _drop_vanished(
    client: GitHubClient, store: Store, repo: str, listed: set[int] | None,
    emit: Callable[[int, int | None, str], None], saved: int, total: int | None,
) -> int:
    """Forget stored issues of the tracker that GitHub no longer lists (deleted, or transferred
    to another repository). A full sync's listing names every issue; otherwise the numbers are
    listed cheaply once a week."""
    now = datetime.now(UTC)
    last = store.listed_at(repo)
    if listed is None:
        if last and now - datetime.fromisoformat(last.replace("Z", "+00:00")) < LIST_EVERY:
            return 0
        emit(saved, total, f"listing {repo} issue numbers (deleted and transferred issues)")
        listed = client.issue_numbers(repo)
    gone = [n for n in store.numbers(repo) if n not in listed]
    dropped = store.drop_issues(repo, gone) if gone else 0
    store.set_sync_meta(repo, listed_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return dropped
