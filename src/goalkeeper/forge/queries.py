"""The GraphQL documents goalkeeper sends, built with variables (never string-pasted values).

Batching is done with aliases: one request can carry a page of issues with their first 100
comments, the repository's labels and milestones, and dozens of linked issues and search counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .partial import search_text

ALIAS_BATCH = 50  # aliased lookups per request
ISSUE_BATCH = 25  # full issues (with 100 comments each) per by-number request

COMMENT_FIELDS = """
fragment CommentFields on IssueComment {
  id fullDatabaseId url body createdAt updatedAt isMinimized minimizedReason authorAssociation
  author { __typename login }
}"""

ISSUE_FIELDS = """
fragment IssueFields on Issue {
  id number title body state url createdAt updatedAt closedAt
  author { __typename login }
  labels(first: 100) { nodes { name } }
  milestone { number title }
  assignees(first: 20) { nodes { login } }
  comments(first: 100) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ...CommentFields }
  }
}"""

# Issue.state (IssueState) and PullRequest.state (PullRequestState) are different types, so one
# response name for both does not validate (GraphQL spec, "Field Selection Merging"): aliased.
LINKED_FIELDS = """
fragment LinkedFields on IssueOrPullRequest {
  __typename
  ... on Issue { number issueState: state title body url }
  ... on PullRequest { number pullState: state title body url }
}"""

RATE_LIMIT = "rateLimit { cost remaining resetAt }"
MINIMIZED = "nodes(ids: $mids) { ... on IssueComment { id isMinimized minimizedReason } }"
NODES_BATCH = 100  # GitHub's most ids for `nodes`


def _linked_parts(
    refs: Sequence[tuple[str, int]], searches: Sequence[tuple[str, str]]
) -> tuple[list[str], list[str], dict[str, Any]]:
    """Variable declarations, aliased selections and variables for linked issues and searches."""
    decls: list[str] = []
    parts: list[str] = []
    variables: dict[str, Any] = {}
    for i, (repo, number) in enumerate(refs):
        owner, _, name = repo.partition("/")
        decls += [f"$lo{i}: String!", f"$ln{i}: String!", f"$lx{i}: Int!"]
        variables |= {f"lo{i}": owner, f"ln{i}": name, f"lx{i}": number}
        parts.append(
            f"l{i}: repository(owner: $lo{i}, name: $ln{i}) {{ nameWithOwner "
            f"issueOrPullRequest(number: $lx{i}) {{ ...LinkedFields }} }}"
        )
    for i, (repo, query) in enumerate(searches):
        decls += [f"$s{i}o: String!", f"$s{i}c: String!"]
        variables |= {f"s{i}o": search_text(repo, query, "open"),
                      f"s{i}c": search_text(repo, query, "closed")}
        parts.append(f"s{i}o: search(query: $s{i}o, type: ISSUE, first: 1) {{ issueCount }}")
        parts.append(f"s{i}c: search(query: $s{i}c, type: ISSUE, first: 1) {{ issueCount }}")
    return decls, parts, variables


def issues_page(
    owner: str,
    name: str,
    *,
    since: str | None,
    after: str | None,
    first: int,
    with_repo_meta: bool,
    linked: Sequence[tuple[str, int]],
    searches: Sequence[tuple[str, str]],
    comment_ids: Sequence[str] = (),
) -> tuple[str, dict[str, Any]]:
    decls, parts, variables = _linked_parts(linked, searches)
    if comment_ids:
        decls.append("$mids: [ID!]!")
        variables["mids"] = list(comment_ids)
        parts.append(f"mins: {MINIMIZED}")
    meta = (
        "labels(first: 100) { pageInfo { hasNextPage } nodes { name color } } "
        "milestones(first: 100, states: [OPEN, CLOSED]) { pageInfo { hasNextPage } "
        "nodes { number title state } }"
        if with_repo_meta
        else ""
    )
    query = f"""query IssuesPage($owner: String!, $name: String!, $since: DateTime, $after: String,
    $first: Int!{"".join(", " + d for d in decls)}) {{
  {RATE_LIMIT}
  repository(owner: $owner, name: $name) {{
    nameWithOwner
    {meta}
    issues(first: $first, after: $after, filterBy: {{since: $since}},
           orderBy: {{field: UPDATED_AT, direction: ASC}}) {{
      totalCount
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ ...IssueFields }}
    }}
  }}
  {" ".join(parts)}
}}
{ISSUE_FIELDS}
{COMMENT_FIELDS}
{LINKED_FIELDS if linked else ""}"""
    variables |= {"owner": owner, "name": name, "since": since, "after": after, "first": first}
    return query, variables


def minimized(ids: Sequence[str]) -> tuple[str, dict[str, Any]]:
    """Whether comments (by node id, at most 100) are minimized now: minimizing a comment does
    not change its issue's updatedAt, so an incremental listing never sees it."""
    query = f"query Minimized($mids: [ID!]!) {{\n  {RATE_LIMIT}\n  mins: {MINIMIZED}\n}}\n"
    return query, {"mids": list(ids)}


def issue_numbers(owner: str, name: str, after: str | None) -> tuple[str, dict[str, Any]]:
    """A cheap listing of every issue number (open and closed): deleted and transferred issues
    are the stored ones it does not name."""
    query = f"""query IssueNumbers($owner: String!, $name: String!, $after: String) {{
  {RATE_LIMIT}
  repository(owner: $owner, name: $name) {{
    issues(first: 100, after: $after) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ number }} }}
  }}
}}"""
    return query, {"owner": owner, "name": name, "after": after}


def comment_pages(
    owner: str, name: str, cursors: Mapping[int, str | None]
) -> tuple[str, dict[str, Any], dict[str, int]]:
    decls = ["$owner: String!", "$name: String!"]
    parts: list[str] = []
    variables: dict[str, Any] = {"owner": owner, "name": name}
    aliases: dict[str, int] = {}
    for i, (number, cursor) in enumerate(cursors.items()):
        decls += [f"$n{i}: Int!", f"$c{i}: String"]
        variables |= {f"n{i}": number, f"c{i}": cursor}
        aliases[f"c{i}"] = number
        parts.append(
            f"c{i}: repository(owner: $owner, name: $name) {{ issue(number: $n{i}) {{ "
            f"comments(first: 100, after: $c{i}) {{ pageInfo {{ hasNextPage endCursor }} "
            "nodes { ...CommentFields } } } }"
        )
    query = f"query MoreComments({', '.join(decls)}) {{\n  {RATE_LIMIT}\n  " + "\n  ".join(parts)
    return query + "\n}\n" + COMMENT_FIELDS, variables, aliases


def issues_by_number(
    refs: Sequence[tuple[str, int]],
) -> tuple[str, dict[str, Any], dict[str, tuple[str, int]]]:
    decls: list[str] = []
    parts: list[str] = []
    variables: dict[str, Any] = {}
    aliases: dict[str, tuple[str, int]] = {}
    for i, (repo, number) in enumerate(refs):
        owner, _, name = repo.partition("/")
        decls += [f"$o{i}: String!", f"$r{i}: String!", f"$n{i}: Int!"]
        variables |= {f"o{i}": owner, f"r{i}": name, f"n{i}": number}
        aliases[f"i{i}"] = (repo, number)
        parts.append(
            f"i{i}: repository(owner: $o{i}, name: $r{i}) {{ nameWithOwner "
            f"issue(number: $n{i}) {{ ...IssueFields }} }}"
        )
    query = f"query IssuesByNumber({', '.join(decls)}) {{\n  {RATE_LIMIT}\n  " + "\n  ".join(parts)
    return query + "\n}\n" + ISSUE_FIELDS + COMMENT_FIELDS, variables, aliases


def linked_only(
    refs: Sequence[tuple[str, int]], searches: Sequence[tuple[str, str]]
) -> tuple[str, dict[str, Any]]:
    decls, parts, variables = _linked_parts(refs, searches)
    head = f"query Linked({', '.join(decls)})" if decls else "query Linked"
    query = f"{head} {{\n  {RATE_LIMIT}\n  " + "\n  ".join(parts) + "\n}\n"
    return query + (LINKED_FIELDS if refs else ""), variables
