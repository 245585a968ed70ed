"""What GitHub's answers say about pace: rate limits, secondary limits, and how long to wait.

GitHub signals a spent budget in several ways (see docs/github.md for what each rests on):

- REST: 403 or 429 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (primary), or with
  `retry-after` / a "secondary rate limit" message (secondary);
- GraphQL: HTTP 200 with an error typed `RATE_LIMITED` or `RATE_LIMIT` (the header
  `x-ratelimit-remaining` is not always 0 then), HTTP 200 with a "secondary rate limit" message
  and no type, or the REST-style 403 with `retry-after`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

RATE_LIMIT_TYPES = frozenset({"RATE_LIMITED", "RATE_LIMIT"})


@dataclass(frozen=True, slots=True)
class Pace:
    """How long to wait before asking again, and whether it is a secondary limit."""

    seconds: float
    secondary: bool


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds from a `retry-after` header: delta-seconds or an HTTP date (RFC 9110)."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(when.timestamp() - now, 0.0)


def graphql_limit(resp: httpx.Response) -> str:
    """For a 200 GraphQL answer: "typed" (RATE_LIMITED/RATE_LIMIT), "message" (a secondary limit
    said in words only) or "" (not a rate limit)."""
    if "json" not in resp.headers.get("content-type", ""):
        return ""
    try:
        payload = json.loads(resp.content)
    except ValueError:
        return ""
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if not isinstance(errors, list):
        return ""
    found = ""
    for e in errors:
        if not isinstance(e, dict):
            continue
        if str(e.get("type") or "") in RATE_LIMIT_TYPES:
            return "typed"
        message = str(e.get("message") or "").lower()
        if "secondary rate limit" in message or "rate limit exceeded" in message or "abuse" in message:
            found = "message"
    return found


def pace(
    resp: httpx.Response, *, message: str, secondary: int, now: float,
    secondary_wait: float, max_wait: float,
) -> Pace | None:
    """The wait `resp` asks for, or None if it is not a rate limit (a plain 403 is permission).

    `secondary` counts the secondary waits already made for this request (backoff doubles).
    """
    status = resp.status_code
    limit = graphql_limit(resp) if status == 200 else ""
    if status not in (403, 429) and not limit:
        return None
    after = retry_after(resp.headers.get("retry-after"), now)
    if after is not None:
        return Pace(after, True)
    reset = resp.headers.get("x-ratelimit-reset", "").strip()
    until_reset = max(float(reset) - now, 0.0) + 1.0 if reset.isdigit() else None
    if resp.headers.get("x-ratelimit-remaining") == "0" and until_reset is not None:
        return Pace(until_reset, False)
    lowered = message.lower()
    if status == 429 or limit or "secondary rate limit" in lowered or "abuse" in lowered:
        wait = float(min(secondary_wait * 2**secondary, max_wait + 1))
        if limit == "typed" and until_reset is not None:
            wait = min(wait, until_reset)  # the hour's points are spent: no need to wait longer
        return Pace(wait, True)
    return None
