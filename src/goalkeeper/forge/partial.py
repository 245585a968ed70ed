"""Reading GraphQL answers that are partly there: per-alias errors, renames, unavailable links.

GitHub answers a query with many aliased lookups (`l3: repository(...)`, `s1o: search(...)`) with
whatever it could resolve, and one error per alias it could not, its `path` starting with the
alias: NOT_FOUND (a deleted repository or issue), FORBIDDEN (an organisation that enforces SAML
SSO the token is not authorised for), or a failed search. Those become records marked
unavailable with the reason, so one bad link never stops a sync. It also follows repository
renames silently, answering with the new `nameWithOwner`: results stay keyed by the name asked.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping, Sequence
from typing import Any

from .records import LinkedIssue, SearchCount

MAX_SEARCH = 256  # GitHub's longest search text


def alias_errors(errors: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The first error of each top-level alias, as a reason a person can read."""
    out: dict[str, str] = {}
    for e in errors:
        path = e.get("path")
        if isinstance(path, list) and path and isinstance(path[0], str):
            out.setdefault(path[0], reason(e))
    return out


def reason(error: dict[str, Any]) -> str:
    kind = str(error.get("type") or "")
    message = str(error.get("message") or "GitHub could not resolve it").strip()
    if kind == "FORBIDDEN":
        return f"GitHub refused access ({message})"
    if kind == "NOT_FOUND":
        return "not found (deleted, or the token cannot see it)"
    return message


def note_rename(renamed: MutableMapping[str, str], asked: str, answered: Any) -> None:
    """Remember that GitHub answered `asked` with another repository name (a rename)."""
    name = str(answered or "")
    if name and name.lower() != asked.lower():
        renamed[asked.lower()] = name


def search_text(repo: str, query: str, state: str) -> str:
    """The search sent for a `Tracked issues` row; user queries with OR are parenthesised so the
    repository and state qualifiers apply to every alternative."""
    inner = query.strip()
    if any(op in f" {inner} " for op in (" OR ", " AND ", " NOT ")) and not (
        inner.startswith("(") and inner.endswith(")")
    ):
        inner = f"({inner})"
    return f"repo:{repo} is:issue {inner} is:{state}".replace("  ", " ")


def search_problem(repo: str, query: str) -> str:
    """Why GitHub would refuse this search before it is sent ("" when it would not)."""
    longest = max(len(search_text(repo, query, s)) for s in ("open", "closed"))
    if longest > MAX_SEARCH:
        return f"the search is {longest} characters long; GitHub accepts at most {MAX_SEARCH}"
    if query.count("(") != query.count(")") or query.count('"') % 2:
        return "the search has unbalanced parentheses or quotes"
    return ""


def linked_results(
    data: dict[str, Any], errors: Sequence[dict[str, Any]], refs: Sequence[tuple[str, int]],
    renamed: MutableMapping[str, str],
) -> dict[tuple[str, int], LinkedIssue]:
    """`See also` issues from aliases l0, l1, ...; keyed and named by the repository asked."""
    why = alias_errors(errors)
    out: dict[tuple[str, int], LinkedIssue] = {}
    for i, (repo, number) in enumerate(refs):
        repository = data.get(f"l{i}")
        node = repository.get("issueOrPullRequest") if isinstance(repository, dict) else None
        if isinstance(repository, dict):
            note_rename(renamed, repo, repository.get("nameWithOwner"))
        if not isinstance(node, dict):
            out[(repo.lower(), number)] = LinkedIssue(repo, number, error=why.get(f"l{i}", "not found"))
            continue
        out[(repo.lower(), number)] = LinkedIssue(
            repo=repo,
            number=int(node.get("number") or number),
            state=str(node.get("issueState") or node.get("pullState") or ""),
            title=str(node.get("title") or ""),
            body=str(node.get("body") or ""),
            url=str(node.get("url") or ""),
        )
    return out


def search_results(
    data: dict[str, Any], errors: Sequence[dict[str, Any]], searches: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], SearchCount]:
    why = alias_errors(errors)
    out: dict[tuple[str, str], SearchCount] = {}
    for i, (repo, query) in enumerate(searches):
        opened = data.get(f"s{i}o")
        closed = data.get(f"s{i}c")
        if not isinstance(opened, dict) or not isinstance(closed, dict):
            message = why.get(f"s{i}o") or why.get(f"s{i}c") or "search failed"
            out[(repo.lower(), query)] = SearchCount(repo, query, error=message)
            continue
        out[(repo.lower(), query)] = SearchCount(
            repo, query, int(opened.get("issueCount") or 0), int(closed.get("issueCount") or 0)
        )
    return out
