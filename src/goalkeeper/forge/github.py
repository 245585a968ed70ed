"""A GitHub client on httpx: GraphQL for reading in batches, REST for the few writes.

    client = GitHubClient(resolve_token(), base_url=config.api_url)
    page = client.issues_page("ferrite-lang/goals", since=None, after=None)

Everything that can go wrong on the wire is handled here, so callers see records or one
:class:`~goalkeeper.errors.ForgeError` with a sentence a user can act on:

- 5xx answers, timeouts and dropped connections are retried with exponential backoff (reads and
  idempotent writes only; a `POST` that creates something is never sent twice blindly);
- primary rate limits (`x-ratelimit-remaining: 0`, GraphQL errors typed `RATE_LIMITED` or
  `RATE_LIMIT`) wait until `x-ratelimit-reset`, secondary ones (403/429, or a GraphQL 200 that
  says so) honour `Retry-After` or back off from a minute, and a spent budget is waited out before
  the next request instead of being hit again (:mod:`.limits` reads the answers);
- 401 becomes :class:`~goalkeeper.errors.TokenError`.

The base URL and the httpx transport are injectable (GitHub Enterprise, tests), and so are
`sleep` and `clock`, so tests of hour-long waits take microseconds. The token is held in a
:class:`Token`, whose repr never shows it; it is sent in the Authorization header and nowhere else.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from ..constants import DEFAULT_API_URL
from ..errors import ForgeError, ForgeUnavailable, RateLimited, TokenError
from . import limits, partial, queries
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

USER_AGENT = "goalkeeper (+https://github.com/goalkeeper)"
RETRY_STATUSES = frozenset({500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
MIN_PAGE_SIZE = 5  # issues per page below which a timeout is retried as it is, not halved
MAX_PAGES = 100  # of a REST list (10,000 items at 100 a page)


@dataclass(frozen=True, slots=True)
class Token:
    """A forge token and where it came from; its repr and str never show the value."""

    value: str = field(repr=False)
    source: str = "GITHUB_TOKEN"

    def __str__(self) -> str:
        return f"<token from {self.source}>"


def resolve_token(
    env: Mapping[str, str] | None = None,
    *,
    api_url: str = DEFAULT_API_URL,
    gh: Callable[[str], str | None] | None = None,
) -> Token:
    """The token from GITHUB_TOKEN, GH_TOKEN or `gh auth token`; TokenError if there is none.

    The API address comes from the repository's goalkeeper.toml, which a pull request can edit,
    so a token is only sent over https; a token from the environment only to api.github.com, a
    loopback address, or the server the person running goalkeeper named in GOALKEEPER_API_URL
    (`gh auth token` is asked for the API's own host, so its token belongs there).
    """
    env = os.environ if env is None else env
    check_api_url(api_url, env, from_env=False)
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = env.get(name, "").strip()
        if value:
            check_api_url(api_url, env, from_env=True)
            return Token(value, name)
    host = web_host(api_url)
    from_gh = (gh or _gh_auth_token)(host)
    if from_gh:
        return Token(from_gh, "gh auth token")
    login = "gh auth login" + (f" --hostname {host}" if host != "github.com" else "")
    raise TokenError(f"no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or log in with `{login}`")


def check_api_url(api_url: str, env: Mapping[str, str], *, from_env: bool) -> None:
    """Refuse to send a token where the repository, rather than its operator, points it."""
    from urllib.parse import urlsplit

    parts = urlsplit(api_url)
    host = (parts.hostname or "").lower()
    if host in ("127.0.0.1", "localhost", "::1"):
        return  # a local stand-in (tests, proxies)
    if parts.scheme != "https":
        raise TokenError(f"refusing to send the GitHub token to {api_url}: the API address must "
                         "use https")
    if host == "api.github.com" or not from_env:
        return
    allowed = env.get("GOALKEEPER_API_URL", "").rstrip("/")
    if allowed != api_url.rstrip("/"):
        raise TokenError(
            f"goalkeeper.toml sends the GitHub token to {api_url}; if that is your GitHub "
            f"Enterprise server, confirm it by setting GOALKEEPER_API_URL={api_url}"
        )


def _gh_auth_token(host: str) -> str | None:
    exe = shutil.which("gh")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "auth", "token", "--hostname", host],
            capture_output=True, text=True, timeout=15, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    token = done.stdout.strip()
    return token if done.returncode == 0 and token else None


def web_host(api_url: str) -> str:
    """`https://api.github.com` → `github.com`; `https://ghe.example/api/v3` → `ghe.example`;
    GitHub Enterprise Cloud with data residency, `https://api.SUB.ghe.com` → `SUB.ghe.com`."""
    host = (urlsplit(api_url).hostname or "github.com").lower()
    if host == "api.github.com":
        return "github.com"
    if host.startswith("api.") and host.endswith(".ghe.com"):
        return host[len("api."):]
    return host


def graphql_url(api_url: str) -> str:
    base = api_url.rstrip("/")
    if base.endswith("/api/v3"):  # GitHub Enterprise Server
        return base[: -len("/v3")] + "/graphql"
    return base + "/graphql"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 6  # tries per request for 5xx and network failures
    backoff: float = 1.0  # first wait; doubled after each failure
    max_backoff: float = 60.0
    secondary_wait: float = 60.0  # first wait on a secondary limit without Retry-After
    max_wait: float = 3600.0  # longest rate-limit wait before giving up with RateLimited
    mutation_interval: float = 1.0  # GitHub asks for a second between writes


def split_repo(repo: str) -> tuple[str, str]:
    owner, _, name = repo.partition("/")
    if not owner or not name or "/" in name:
        raise ForgeError(f"repository must be `owner/name`, found {repo!r}")
    return owner, name


class GitHubClient:
    """A GitHub API client. Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        token: Token | str,
        *,
        base_url: str = DEFAULT_API_URL,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        page_size: int = 50,
        on_wait: Callable[[float, str], None] | None = None,
    ) -> None:
        self._token = token if isinstance(token, Token) else Token(token, "argument")
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.clock = clock
        self.page_size = max(1, min(page_size, 100))
        self.on_wait = on_wait  # told (seconds, reason) before each wait, for displays
        self.requests = 0  # HTTP requests sent, retries included
        #: Repositories GitHub answered under another name (lower-case name asked → new name).
        self.renamed: dict[str, str] = {}
        self.waited = 0.0  # seconds spent sleeping on backoff and rate limits
        self._not_before = 0.0  # when the spent rate limit resets
        self._last_write = 0.0
        self._http = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={
                "Accept": "application/vnd.github+json",
                "User-Agent": USER_AGENT,
                "X-GitHub-Api-Version": "2022-11-28",
            },
        )

    def __repr__(self) -> str:
        return f"GitHubClient(base_url={self.base_url!r}, token={self._token})"

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- the wire -------------------------------------------------------------------------

    def _wait(self, seconds: float, why: str) -> None:
        if seconds > 0:
            if self.on_wait is not None:
                self.on_wait(seconds, why)
            self.waited += seconds
            self.sleep(seconds)

    def request(
        self, method: str, url: str, *, body: Any = None, what: str = "", idempotent: bool = True,
        heavy: bool = False,
    ) -> httpx.Response:
        """Send one API request, retrying what is safe to retry; the final response is returned.

        `idempotent=False` marks a write that must not be sent twice (creating an issue or a
        comment): it is retried only when the forge certainly did not act on it (rate limits,
        connection refused).
        """
        what = what or f"{method} {url}"
        failures = 0
        secondary = 0
        limited = 0
        while True:
            ahead = self._not_before - self.clock()
            if ahead > self.retry.max_wait:
                raise RateLimited(
                    f"{what}: the GitHub rate limit is spent and resets in {ahead / 60:.0f} "
                    "minutes; run again later"
                )
            if ahead > 0:
                self._wait(ahead, "the GitHub rate limit is spent until it resets")
            if method != "GET" and url != self._graphql_url and self.retry.mutation_interval:
                gap = self._last_write + self.retry.mutation_interval - self.clock()
                if self._last_write and gap > 0:
                    self._wait(gap, "spacing writes as GitHub asks")
                self._last_write = self.clock()
            self.requests += 1
            try:
                resp = self._send(method, url, body, what)
            except httpx.TransportError as e:
                sent = not isinstance(e, httpx.ConnectError | httpx.ConnectTimeout)
                if sent and not idempotent:
                    raise ForgeUnavailable(
                        f"{what}: the connection failed ({type(e).__name__}) and the change may "
                        "or may not have been made; run the command again to resume"
                    ) from e
                failures += 1
                if failures >= self.retry.attempts:
                    raise ForgeUnavailable(
                        f"{what}: {urlsplit(url).netloc} did not answer after {failures} attempts "
                        f"({type(e).__name__}); check the network or [project] api_url"
                    ) from e
                self._wait(self._backoff(failures), f"{type(e).__name__}; retrying")
                continue
            self._note_budget(resp)
            if resp.status_code == 401:
                raise TokenError(
                    f"GitHub rejected the token from {self._token.source} (401 "
                    f"{_message(resp) or 'Bad credentials'}); use a valid token or run `gh auth login`"
                )
            pace = self._rate_limit_wait(resp, secondary)
            if pace is not None:
                wait, is_secondary = pace
                secondary += is_secondary
                limited += 1
                if wait > self.retry.max_wait:
                    raise RateLimited(
                        f"{what}: the GitHub rate limit is spent and resets in {wait / 60:.0f} "
                        "minutes; run again later"
                    )
                if limited > 2 * self.retry.attempts:
                    raise RateLimited(
                        f"{what}: GitHub kept answering that the rate limit is spent after "
                        f"{limited - 1} waits; run again later"
                    )
                kind = "a secondary rate limit" if is_secondary else "the rate limit"
                self._wait(wait, f"GitHub asked to slow down ({kind})")
                continue
            if resp.status_code in RETRY_STATUSES:
                if heavy and resp.status_code in (502, 504):
                    raise PageTooHeavy(what)
                if not idempotent:
                    raise ForgeUnavailable(
                        f"{what}: GitHub answered {resp.status_code} and the change may or may not "
                        "have been made; run the command again to resume"
                    )
                failures += 1
                if failures >= self.retry.attempts:
                    raise ForgeUnavailable(
                        f"{what}: GitHub answered {resp.status_code} {failures} times in a row; "
                        "try again later"
                    )
                self._wait(self._backoff(failures), f"GitHub answered {resp.status_code}; retrying")
                continue
            return resp

    def _send(self, method: str, url: str, body: Any, what: str) -> httpx.Response:
        """One request, following redirects: any for reads, same-host ones for writes.

        GitHub answers 301 for renamed repositories and transferred issues (and 307 for some
        moves), asking for the same request at the new address. The token goes only to the API's
        own scheme, host and port; a write redirected elsewhere is refused rather than sent.
        """
        home = _origin(self.base_url)
        for _ in range(MAX_REDIRECTS + 1):
            auth = {"Authorization": f"bearer {self._token.value}"} if _origin(url) == home else {}
            resp = self._http.request(method, url, json=body, headers=auth)
            location = resp.headers.get("location", "")
            if resp.status_code not in REDIRECT_STATUSES or not location:
                return resp
            target = urljoin(url, location)
            if urlsplit(target).scheme not in ("http", "https"):
                raise ForgeError(f"{what}: GitHub redirected to {location!r}, which is not a web address")
            if method != "GET" and _origin(target) != home:
                raise ForgeError(
                    f"{what}: GitHub redirected the change to {urlsplit(target).netloc}, another "
                    "host; it was not sent there (the token stays with the API)"
                )
            if resp.status_code == 303:
                method, body = "GET", None
            url = target
            self.requests += 1
        raise ForgeError(f"{what}: GitHub redirected more than {MAX_REDIRECTS} times; giving up")

    def _backoff(self, failures: int) -> float:
        return float(min(self.retry.backoff * 2 ** (failures - 1), self.retry.max_backoff))

    def _note_budget(self, resp: httpx.Response) -> None:
        """Remember when a spent primary budget resets, so the next request waits for it."""
        remaining = resp.headers.get("x-ratelimit-remaining")
        reset = resp.headers.get("x-ratelimit-reset")
        if remaining == "0" and reset and reset.isdigit() and resp.status_code < 400:
            self._not_before = max(self._not_before, float(reset) + 1)

    def _rate_limit_wait(self, resp: httpx.Response, secondary: int) -> tuple[float, bool] | None:
        """(seconds to wait, is it a secondary limit) if `resp` says we are rate limited."""
        found = limits.pace(resp, message=_message(resp) or "", secondary=secondary, now=self.clock(),
                            secondary_wait=self.retry.secondary_wait, max_wait=self.retry.max_wait)
        return None if found is None else (found.seconds, found.secondary)

    @property
    def _graphql_url(self) -> str:
        return graphql_url(self.base_url)

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
            raise ForgeError(f"{what}: GitHub answered {resp.status_code}: {_message(resp)}")
        try:
            payload = resp.json()
        except ValueError as e:
            raise ForgeError(f"{what}: GitHub answered with something that is not JSON") from e
        if not isinstance(payload, dict):
            raise ForgeError(f"{what}: GitHub answered with JSON that is not a GraphQL response")
        errors = [e for e in payload.get("errors") or () if isinstance(e, dict)]
        allowed = set(tolerate)
        fatal = [e for e in errors if e.get("type") not in allowed and _alias(e) not in partial]
        if heavy and any(_is_timeout(e) for e in fatal):
            raise PageTooHeavy(what)
        if fatal:
            raise ForgeError(f"{what}: {fatal[0].get('message', 'GraphQL error')}")
        data = payload.get("data")
        if not isinstance(data, dict):
            raise ForgeError(f"{what}: GitHub answered without data")
        return data, errors

    def rest(
        self, method: str, path: str, body: Any = None, *, what: str = "", idempotent: bool = True,
        ok: Sequence[int] = (200, 201, 204),
    ) -> Any:
        resp = self.request(
            method, f"{self.base_url}{path}", body=body, what=what or f"{method} {path}",
            idempotent=idempotent,
        )
        if resp.status_code not in ok:
            raise ForgeError(
                f"{what or method + ' ' + path}: GitHub answered {resp.status_code}: {_message(resp)}"
            )
        if resp.status_code == 204 or not resp.content:
            return None
        try:
            return resp.json()
        except ValueError as e:
            raise ForgeError(f"{what}: GitHub answered with something that is not JSON") from e

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
        torn = [e for e in errors if _alias(e) == "repository" and len(e.get("path") or ()) > 1]
        if torn:  # a page with holes would lose stored comments: stop, the next run resumes here
            raise ForgeError(f"reading {repo} issues: GitHub could not read part of the page "
                             f"({partial.reason(torn[0])}); run the sync again")
        if not isinstance(repository, dict):
            sso = [e for e in errors if _alias(e) == "repository" and e.get("type") == "FORBIDDEN"]
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
            torn = {_alias(e) for e in errors if len(e.get("path") or ()) > 2}  # part of an issue
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

    def rest_pages(self, path: str, *, what: str) -> list[Any]:
        """Every item of a paginated REST list, following its `Link: <...>; rel="next"` headers."""
        url = f"{self.base_url}{path}"
        items: list[Any] = []
        for _ in range(MAX_PAGES):
            resp = self.request("GET", url, what=what)
            _expect(resp, (200,), what)
            try:
                page = resp.json()
            except ValueError as e:
                raise ForgeError(f"{what}: GitHub answered with something that is not JSON") from e
            if not isinstance(page, list):
                raise ForgeError(f"{what}: GitHub answered with something that is not a list")
            items += page
            url = resp.links.get("next", {}).get("url", "")
            if not url:
                return items
        raise ForgeError(f"{what}: more than {MAX_PAGES} pages; giving up")

    def labels(self, repo: str) -> tuple[RemoteLabel, ...]:
        found = self.rest_pages(f"/repos/{repo}/labels?per_page=100", what=f"reading labels of {repo}")
        return tuple(RemoteLabel(str(lb["name"]), str(lb.get("color") or ""))
                     for lb in found if isinstance(lb, dict) and "name" in lb)

    def milestones(self, repo: str) -> tuple[RemoteMilestone, ...]:
        found = self.rest_pages(f"/repos/{repo}/milestones?state=all&per_page=100",
                                what=f"reading milestones of {repo}")
        return tuple(RemoteMilestone(int(m["number"]), str(m.get("title") or ""),
                                     str(m.get("state") or "open").upper())
                     for m in found if isinstance(m, dict) and "number" in m)

    def milestone_number(self, repo: str, title: str) -> int | None:
        """The number of the milestone titled `title` (open or closed), reading every page."""
        return next((m.number for m in self.milestones(repo) if m.title == title), None)

    # -- writing ------------------------------------------------------------------------

    def create_label(self, repo: str, name: str, color: str) -> None:
        resp = self.request(
            "POST", f"{self.base_url}/repos/{repo}/labels", body={"name": name, "color": color},
            what=f"creating label {name!r} in {repo}",
        )
        if resp.status_code == 422 and "already_exists" in resp.text:
            return
        _expect(resp, (201,), f"creating label {name!r} in {repo}")

    def create_milestone(self, repo: str, title: str) -> int:
        what = f"creating milestone {title!r} in {repo}"
        resp = self.request("POST", f"{self.base_url}/repos/{repo}/milestones",
                            body={"title": title}, what=what)
        if resp.status_code == 422 and "already_exists" in resp.text:
            number = self.milestone_number(repo, title)
            if number is not None:
                return number
        _expect(resp, (201,), what)
        return int(resp.json()["number"])

    def create_issue(
        self, repo: str, *, title: str, body: str, labels: Sequence[str], milestone: int | None
    ) -> RemoteIssue:
        payload: dict[str, Any] = {"title": title, "body": body, "labels": list(labels)}
        if milestone:
            payload["milestone"] = milestone
        data = self.rest("POST", f"/repos/{repo}/issues", payload, idempotent=False,
                         what=f"creating issue {title!r} in {repo}", ok=(201,))
        return issue_from_rest(data, repo)

    def update_issue(self, repo: str, number: int, **fields: Any) -> RemoteIssue:
        data = self.rest("PATCH", f"/repos/{repo}/issues/{number}", fields,
                         what=f"updating {repo}#{number}")
        return issue_from_rest(data, repo)

    def add_labels(self, repo: str, number: int, labels: Sequence[str]) -> None:
        self.rest("POST", f"/repos/{repo}/issues/{number}/labels", {"labels": list(labels)},
                  what=f"labelling {repo}#{number}")

    def add_comment(self, repo: str, number: int, body: str) -> str:
        data = self.rest("POST", f"/repos/{repo}/issues/{number}/comments", {"body": body},
                         idempotent=False, what=f"commenting on {repo}#{number}", ok=(201,))
        return str(data.get("html_url") or "")

    def lock_issue(self, repo: str, number: int) -> None:
        self.rest("PUT", f"/repos/{repo}/issues/{number}/lock", {"lock_reason": "resolved"},
                  what=f"locking {repo}#{number}")


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


def issue_from_rest(data: Any, repo: str) -> RemoteIssue:
    """A REST issue object (as returned by create/update) as a record, without comments."""
    if not isinstance(data, dict):
        raise ForgeError(f"GitHub answered an issue request on {repo} with no issue")
    milestone = data.get("milestone") or {}
    return RemoteIssue(
        repo=repo,
        number=int(data["number"]),
        node_id=str(data.get("node_id") or ""),
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        state=str(data.get("state") or "open").upper(),
        url=str(data.get("html_url") or ""),
        author=str((data.get("user") or {}).get("login") or "ghost"),
        created_at=str(data.get("created_at") or ""),
        updated_at=str(data.get("updated_at") or ""),
        closed_at=str(data.get("closed_at") or ""),
        labels=tuple(str(lb["name"]) for lb in data.get("labels") or ()),
        milestone=str(milestone.get("title") or ""),
        milestone_number=int(milestone.get("number") or 0),
        assignees=tuple(str(a["login"]) for a in data.get("assignees") or ()),
    )


class PageTooHeavy(ForgeError):
    """GitHub gave up on a request (timeout, resource limits); asking for less may work."""


def _alias(error: dict[str, Any]) -> str:
    path = error.get("path")
    return str(path[0]) if isinstance(path, list) and path else ""


def _is_timeout(error: dict[str, Any]) -> bool:
    message = str(error.get("message") or "").lower()
    return str(error.get("type") or "") == "RESOURCE_LIMITS_EXCEEDED" or "timeout" in message \
        or "timed out" in message


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


def _expect(resp: httpx.Response, ok: Sequence[int], what: str) -> None:
    if resp.status_code not in ok:
        raise ForgeError(f"{what}: GitHub answered {resp.status_code}: {_message(resp)}")


def _message(resp: httpx.Response) -> str:
    try:
        payload = resp.json()
    except ValueError:
        return resp.reason_phrase
    if isinstance(payload, dict):
        if isinstance(payload.get("message"), str):
            return str(payload["message"])
        errors = payload.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("message", ""))
    return resp.reason_phrase
