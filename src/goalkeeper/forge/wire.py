"""The wire: one GitHub API request at a time, over httpx, with everything that can go wrong
on the way handled here, so callers see an answer or one :class:`~goalkeeper.errors.ForgeError`
with a sentence a user can act on:

- 5xx answers, timeouts and dropped connections are retried with exponential backoff (reads and
  idempotent writes only; a `POST` that creates something is never sent twice blindly);
- primary rate limits (`x-ratelimit-remaining: 0`, GraphQL errors typed `RATE_LIMITED` or
  `RATE_LIMIT`) wait until `x-ratelimit-reset`, secondary ones (403/429, or a GraphQL 200 that
  says so) honour `Retry-After` or back off from a minute, and a spent budget is waited out before
  the next request instead of being hit again (:mod:`.limits` reads the answers);
- redirects (renamed repositories, transferred issues) are followed, the token only to the API;
- 401 becomes :class:`~goalkeeper.errors.TokenError`.

The base URL and the httpx transport are injectable (GitHub Enterprise, tests), and so are
`sleep` and `clock`, so tests of hour-long waits take microseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import httpx

from ..constants import DEFAULT_API_URL
from ..errors import ForgeError, ForgeUnavailable, RateLimited, TokenError
from . import limits
from .auth import Token

USER_AGENT = "goalkeeper (+https://github.com/goalkeeper)"
RETRY_STATUSES = frozenset({500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


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


class Wire:
    """The HTTP side of the client: retries, redirects, rate limits, the token header.

    :class:`~goalkeeper.forge.github.GitHubClient` builds on it; use that, as a context manager
    or calling :meth:`close`.
    """

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
        return f"{type(self).__name__}(base_url={self.base_url!r}, token={self._token})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

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
                    f"{error_message(resp) or 'Bad credentials'}); use a valid token or run `gh auth login`"
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
        found = limits.pace(resp, message=error_message(resp) or "", secondary=secondary, now=self.clock(),
                            secondary_wait=self.retry.secondary_wait, max_wait=self.retry.max_wait)
        return None if found is None else (found.seconds, found.secondary)

    @property
    def _graphql_url(self) -> str:
        return graphql_url(self.base_url)


class PageTooHeavy(ForgeError):
    """GitHub gave up on a request (timeout, resource limits); asking for less may work."""



def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port



def error_message(resp: httpx.Response) -> str:
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
