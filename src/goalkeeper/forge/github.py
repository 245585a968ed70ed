"""A GitHub client on httpx: GraphQL for reading in batches, REST for the few writes.

    client = GitHubClient(resolve_token(), base_url=config.api_url)
    page = client.issues_page("ferrite-lang/goals", since=None, after=None)

The client is built in layers, each its own module: :mod:`.wire` sends one request (retries,
redirects, rate limits, the token header), :mod:`.rest` adds the REST writes and lists, and this
module the GraphQL reads (pages of issues, comments, linked issues, search counts; the queries
are built by :mod:`.queries`, partial answers read by :mod:`.partial`). The token comes from
:mod:`.auth`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import ForgeError
from . import partial, queries
from .records import (
    LinkedIssue,
    RemoteComment,
    RemoteIssue,
    RemoteLabel,
    RemoteMilestone,
    SearchCount,
    parse_comment,
    parse_connection,
    parse_issue,
)
from .rest import RestClient
from .wire import PageTooHeavy, error_message

MIN_PAGE_SIZE = 5  # issues per page below which a timeout is retried as it is, not halved


def split_repo(repo: str) -> tuple[str, str]:
    owner, _, name = repo.partition("/")
    if not owner or not name or "/" in name:
        raise ForgeError(f"repository must be `owner/name`, found {repo!r}")
    return owner, name


class GitHubClient(RestClient):
    """A GitHub API client. Use as a context manager, or call :meth:`close`."""

    def graphql(
        self, query: str, variables: Mapping[str, Any] | None = None, *, what: str = "GraphQL query",
        tolerate: Iterable[str] = (), partial: Collection[str] = (), heavy: bool = False,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Run a query; returns (data, tolerated errors). Other errors raise ForgeError.

        `tolerate` names error types (such as NOT_FOUND) the caller handles per alias; errors
        under the top-level aliases in `partial` are the caller's too, whatever their type (the
        rest of the answer is kept). With `heavy`, a timeout (502/504, or GitHub's resource
        limits) raises :class:`PageTooHeavy` at once, so the caller can ask for less.
        """
        resp = self.request(
            "POST", self._graphql_url, body={"query": query, "variables": dict(variables or {})},
            what=what, heavy=heavy,
        )
        if resp.status_code != 200:
            raise ForgeError(f"{what}: GitHub answered {resp.status_code}: {error_message(resp)}")
        try:
            payload = resp.json()
        except ValueError as e:
            raise ForgeError(f"{what}: GitHub answered with something that is not JSON") from e
        if not isinstance(payload, dict):
            raise ForgeError(f"{what}: GitHub answered with JSON that is not a GraphQL response")
        errors = [e for e in payload.get("errors") or () if isinstance(e, dict)]
        allowed = set(tolerate)
        fatal = [e for e in errors if e.get("type") not in allowed and _error_alias(e) not in partial]
        if heavy and any(_is_timeout(e) for e in fatal):
            raise PageTooHeavy(what)
        if fatal:
            raise ForgeError(f"{what}: {fatal[0].get('message', 'GraphQL error')}")
        data = payload.get("data")
        if not isinstance(data, dict):
            raise ForgeError(f"{what}: GitHub answered without data")
        return data, errors

    # -- reading ------------------------------------------------------------------------

    def issues_page(
        self,
        repo: str,
        *,
        since: str | None,
        after: str | None,
        with_repo_meta: bool = False,
        linked: Sequence[tuple[str, int]] = (),
        searches: Sequence[tuple[str, str]] = (),
        comment_ids: Sequence[str] = (),
    ) -> IssuesPage:
        """One page of the repository's issues updated at or after `since`, oldest change first.

        Each issue comes with up to 100 comments; `incomplete` lists the issues with more, to be
        finished with :meth:`more_comments`. The first page can carry the repository's labels and
        milestones and, in the same request, `linked` issues and `searches` counts.
        """
        owner, name = split_repo(repo)
        refused = {(r.lower(), q): SearchCount(r, q, error=why)
                   for r, q in searches if (why := partial.search_problem(r, q))}
        searches = [(r, q) for r, q in searches if (r.lower(), q) not in refused]
        aliases = {"repository", "mins"} | {f"l{i}" for i in range(len(linked))} | {
            f"s{i}{s}" for i in range(len(searches)) for s in "oc"}
        while True:
            query, variables = queries.issues_page(
                owner, name, since=since, after=after, first=self.page_size,
                with_repo_meta=with_repo_meta, linked=linked, searches=searches,
                comment_ids=comment_ids[: queries.NODES_BATCH],
            )
            try:
                data, errors = self.graphql(query, variables, what=f"reading {repo} issues",
                                            tolerate=("NOT_FOUND",), partial=aliases,
                                            heavy=self.page_size > MIN_PAGE_SIZE)
            except PageTooHeavy:
                self.page_size = max(MIN_PAGE_SIZE, self.page_size // 2)
                self._wait(self.retry.backoff, f"GitHub timed out; asking for {self.page_size} "
                           "issues a page")
                continue
            break
        repository = data.get("repository")
        torn = [e for e in errors if _error_alias(e) == "repository" and len(e.get("path") or ()) > 1]
        if torn:  # a page with holes would lose stored comments: stop, the next run resumes here
            raise ForgeError(f"reading {repo} issues: GitHub could not read part of the page "
                             f"({partial.reason(torn[0])}); run the sync again")
        if not isinstance(repository, dict):
            sso = [e for e in errors if _error_alias(e) == "repository" and e.get("type") == "FORBIDDEN"]
            if sso:
                raise ForgeError(
                    f"GitHub refused access to {repo} ({str(sso[0].get('message') or '').strip()}); "
                    "authorise the token for that organisation, or check [project] tracker"
                )
            raise ForgeError(
                f"repository {repo} was not found, or the token cannot read it; "
                "check [project] tracker"
            )
        canonical = str(repository.get("nameWithOwner") or repo)
        partial.note_rename(self.renamed, repo, canonical)
        conn = parse_connection(repository.get("issues"))
        issues: list[RemoteIssue] = []
        incomplete: dict[int, str | None] = {}
        for node in conn.nodes:
            comments = parse_connection(node.get("comments"))
            issue = parse_issue(node, canonical, tuple(parse_comment(c) for c in comments.nodes))
            issues.append(issue)
            if comments.has_next:
                incomplete[issue.number] = comments.end_cursor
        labels: tuple[RemoteLabel, ...] | None = None
        milestones: tuple[RemoteMilestone, ...] | None = None
        if with_repo_meta:
            label_page = parse_connection(repository.get("labels"))
            labels = tuple(RemoteLabel(str(n["name"]), str(n.get("color") or "")) for n in label_page.nodes)
            if label_page.has_next:  # more than 100: read them all, a page at a time
                labels = self.labels(canonical)
            ms_page = parse_connection(repository.get("milestones"))
            milestones = tuple(
                RemoteMilestone(int(n["number"]), str(n["title"]), str(n.get("state") or "OPEN"))
                for n in ms_page.nodes
            )
            if ms_page.has_next:
                milestones = self.milestones(canonical)
        return IssuesPage(
            repo=canonical,
            issues=tuple(issues),
            incomplete=incomplete,
            has_next=conn.has_next,
            end_cursor=conn.end_cursor,
            total=conn.total,
            labels=labels,
            milestones=milestones,
            linked=partial.linked_results(data, errors, linked, self.renamed),
            searches=partial.search_results(data, errors, searches) | refused,
            minimized=_minimized(data),
        )

    def more_comments(
        self, repo: str, cursors: Mapping[int, str | None]
    ) -> dict[int, tuple[RemoteComment, ...]]:
        """The comments after each cursor, for issues with more than one page of comments."""
        owner, name = split_repo(repo)
        out: dict[int, list[RemoteComment]] = {n: [] for n in cursors}
        pending = dict(cursors)
        while pending:
            batch = dict(list(pending.items())[: queries.ALIAS_BATCH])
            query, variables, aliases = queries.comment_pages(owner, name, batch)
            # Any error but NOT_FOUND (an issue deleted meanwhile) stops: an issue saved with a
            # comment page missing would lose stored comments.
            data, _ = self.graphql(query, variables, what=f"reading comments in {repo}",
                                   tolerate=("NOT_FOUND",))
            for alias, number in aliases.items():
                issue = (data.get(alias) or {}).get("issue") or {}
                page = parse_connection(issue.get("comments"))
                out[number].extend(parse_comment(c) for c in page.nodes)
                if page.has_next:
                    pending[number] = page.end_cursor
                else:
                    pending.pop(number, None)
        return {n: tuple(cs) for n, cs in out.items()}

    def issues_by_number(
        self, refs: Sequence[tuple[str, int]], reasons: dict[tuple[str, int], str] | None = None,
    ) -> dict[tuple[str, int], RemoteIssue | None]:
        """Full issues (comments included) by (repo, number); None for those that cannot be read
        (why, in `reasons`). Keyed and named by the repository asked, even if GitHub answers
        with a new name (a rename, remembered in :attr:`renamed`)."""
        out: dict[tuple[str, int], RemoteIssue | None] = {}
        for start in range(0, len(refs), queries.ISSUE_BATCH):
            batch = list(refs[start : start + queries.ISSUE_BATCH])
            query, variables, aliases = queries.issues_by_number(batch)
            data, errors = self.graphql(query, variables, what="reading issues",
                                        tolerate=("NOT_FOUND",), partial=set(aliases))
            why = partial.alias_errors(errors)
            torn = {_error_alias(e) for e in errors if len(e.get("path") or ()) > 2}  # part of an issue
            more: dict[str, dict[int, tuple[str | None, tuple[str, int]]]] = {}
            for alias, (repo, number) in aliases.items():
                key = (repo.lower(), number)
                repository = data.get(alias) or {}
                node = repository.get("issue") if isinstance(repository, dict) else None
                if not isinstance(node, dict) or alias in torn:  # never save half an issue
                    out[key] = None
                    if reasons is not None:
                        reasons[key] = why.get(alias, "not found")
                    continue
                canonical = str(repository.get("nameWithOwner") or repo)
                partial.note_rename(self.renamed, repo, canonical)
                comments = parse_connection(node.get("comments"))
                out[key] = parse_issue(node, repo, tuple(parse_comment(c) for c in comments.nodes))
                if comments.has_next:
                    more.setdefault(canonical, {})[number] = (comments.end_cursor, key)
            for canonical, pending in more.items():
                extra = self.more_comments(canonical, {n: c for n, (c, _) in pending.items()})
                for number, comments_after in extra.items():
                    key = pending[number][1]
                    issue = out[key]
                    if issue is not None:
                        out[key] = _with_comments(issue, issue.comments + comments_after)
        return out

    def minimized(self, ids: Sequence[str]) -> dict[str, tuple[bool, str]]:
        """Comment node id → (is minimized, reason) now; deleted comments are left out."""
        out: dict[str, tuple[bool, str]] = {}
        for start in range(0, len(ids), queries.NODES_BATCH):
            query, variables = queries.minimized(ids[start : start + queries.NODES_BATCH])
            data, _ = self.graphql(query, variables, what="reading minimized comments",
                                   tolerate=("NOT_FOUND",), partial={"mins"})
            out |= _minimized(data)
        return out

    def issue_numbers(self, repo: str) -> set[int]:
        """Every issue number of the repository, open and closed (100 a request, cost 1 each)."""
        owner, name = split_repo(repo)
        numbers: set[int] = set()
        after: str | None = None
        while True:
            query, variables = queries.issue_numbers(owner, name, after)
            data, _ = self.graphql(query, variables, what=f"listing {repo} issues")
            conn = parse_connection((data.get("repository") or {}).get("issues"))
            numbers |= {int(n["number"]) for n in conn.nodes if isinstance(n, dict)}
            if not conn.has_next:
                return numbers
            after = conn.end_cursor

    def linked(
        self, refs: Sequence[tuple[str, int]], searches: Sequence[tuple[str, str]] = ()
    ) -> tuple[dict[tuple[str, int], LinkedIssue], dict[tuple[str, str], SearchCount]]:
        """`See also` issues and `Tracked issues` counts, many per request."""
        issues: dict[tuple[str, int], LinkedIssue] = {}
        counts = {(r.lower(), q): SearchCount(r, q, error=why)
                  for r, q in searches if (why := partial.search_problem(r, q))}
        refs = list(refs)
        searches = [(r, q) for r, q in searches if (r.lower(), q) not in counts]
        while refs or searches:
            r_batch, refs = refs[: queries.ALIAS_BATCH], refs[queries.ALIAS_BATCH :]
            s_batch, searches = searches[: queries.ALIAS_BATCH // 2], searches[queries.ALIAS_BATCH // 2 :]
            query, variables = queries.linked_only(r_batch, s_batch)
            aliases = {f"l{i}" for i in range(len(r_batch))} | {
                f"s{i}{s}" for i in range(len(s_batch)) for s in "oc"}
            data, errors = self.graphql(query, variables, what="reading linked issues",
                                        tolerate=("NOT_FOUND",), partial=aliases)
            issues.update(partial.linked_results(data, errors, r_batch, self.renamed))
            counts.update(partial.search_results(data, errors, s_batch))
        return issues, counts

    def issue_with_comments(self, repo: str, number: int) -> RemoteIssue | None:
        """One issue with all its comments (one request unless it has over 100 comments)."""
        return self.issues_by_number([(repo, number)])[(repo.lower(), number)]


@dataclass(frozen=True, slots=True)
class IssuesPage:
    repo: str
    issues: tuple[RemoteIssue, ...]
    incomplete: dict[int, str | None]  # issue number → cursor of its next comment page
    has_next: bool
    end_cursor: str | None
    total: int
    labels: tuple[RemoteLabel, ...] | None = None
    milestones: tuple[RemoteMilestone, ...] | None = None
    linked: dict[tuple[str, int], LinkedIssue] = field(default_factory=dict)
    searches: dict[tuple[str, str], SearchCount] = field(default_factory=dict)
    minimized: dict[str, tuple[bool, str]] = field(default_factory=dict)  # comment id → state


def _minimized(data: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    nodes = data.get("mins")
    return {
        str(n["id"]): (bool(n.get("isMinimized")), str(n.get("minimizedReason") or ""))
        for n in (nodes if isinstance(nodes, list) else ())
        if isinstance(n, dict) and n.get("id")
    }


def _with_comments(issue: RemoteIssue, comments: tuple[RemoteComment, ...]) -> RemoteIssue:
    return replace(issue, comments=comments)


def complete_page(client: GitHubClient, page: IssuesPage) -> tuple[RemoteIssue, ...]:
    """The page's issues with every comment, fetching the missing comment pages (batched)."""
    if not page.incomplete:
        return page.issues
    extra = client.more_comments(page.repo, page.incomplete)
    return tuple(
        _with_comments(i, i.comments + extra[i.number]) if i.number in extra else i
        for i in page.issues
    )



def _error_alias(error: dict[str, Any]) -> str:
    path = error.get("path")
    return str(path[0]) if isinstance(path, list) and path else ""


def _is_timeout(error: dict[str, Any]) -> bool:
    message = str(error.get("message") or "").lower()
    return str(error.get("type") or "") == "RESOURCE_LIMITS_EXCEEDED" or "timeout" in message \
        or "timed out" in message
