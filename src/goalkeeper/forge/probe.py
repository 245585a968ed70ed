"""`goalkeeper sync --probe`: one cheap look at the live API before a first real sync.

Two requests: `GET /rate_limit` (free: it does not count against any budget) for the REST,
GraphQL and search budgets, and the sync's own first query for one issue (cost 1), whose answer
tells the token's scopes (`x-oauth-scopes`, classic tokens only), when the token expires, the
query's cost, and any deprecation GitHub reports (`Deprecation`/`Sunset` headers, warnings in the
GraphQL `extensions`). Nothing is stored; the token is never printed.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import ForgeError
from . import queries
from .github import GitHubClient, split_repo


def probe(client: GitHubClient, repo: str) -> list[tuple[str, str]]:
    """(what, what GitHub said) pairs, in the order a person reads them."""
    out: list[tuple[str, str]] = [("API", client.base_url)]
    resp = client.request("GET", f"{client.base_url}/rate_limit", what="reading the rate limits")
    if resp.status_code == 200:
        resources = _json(resp).get("resources") or {}
        for name in ("core", "graphql", "search"):
            r = resources.get(name)
            if isinstance(r, dict):
                out.append((f"budget {name}", f"{r.get('remaining')} of {r.get('limit')} left, "
                                              f"resets at epoch {r.get('reset')}"))
    else:
        out.append(("budgets", f"GET /rate_limit answered {resp.status_code}"))
    owner, name = split_repo(repo)
    query, variables = queries.issues_page(owner, name, since=None, after=None, first=1,
                                           with_repo_meta=False, linked=(), searches=())
    resp = client.request("POST", client._graphql_url, body={"query": query, "variables": variables},
                          what=f"probing {repo}")
    if resp.status_code != 200:
        raise ForgeError(f"probing {repo}: GitHub answered {resp.status_code}")
    payload = _json(resp)
    scopes = resp.headers.get("x-oauth-scopes")
    out.append(("token scopes", scopes if scopes is not None else
                "not reported (a fine-grained or GitHub App token: its permissions are per repository)"))
    expires = resp.headers.get("github-authentication-token-expiration")
    if expires:
        out.append(("token expires", expires))
    data = payload.get("data") or {}
    repository = data.get("repository") if isinstance(data, dict) else None
    if isinstance(repository, dict):
        issues = repository.get("issues") or {}
        out.append(("tracker", f"{repository.get('nameWithOwner')}: {issues.get('totalCount')} issues"))
    for e in payload.get("errors") or ():
        if isinstance(e, dict):
            out.append(("error", f"{e.get('type') or ''} {e.get('message') or ''}".strip()))
    cost = (data.get("rateLimit") or {}) if isinstance(data, dict) else {}
    if cost:
        out.append(("query cost", f"{cost.get('cost')} point(s); {cost.get('remaining')} left"))
    seen = [f"{h}: {resp.headers[h]}" for h in ("deprecation", "sunset") if h in resp.headers]
    warnings = (payload.get("extensions") or {}).get("warnings") if isinstance(payload, dict) else None
    for w in warnings if isinstance(warnings, list) else ():
        seen.append(str(w.get("message") if isinstance(w, dict) else w))
    out.append(("deprecations", "; ".join(seen) if seen else "none reported"))
    return out


def _json(resp: Any) -> dict[str, Any]:
    try:
        payload = json.loads(resp.content)
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}
