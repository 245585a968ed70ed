"""Pull requests that propose goals: listed with their changed files, documents read at the head.

Two kinds of GraphQL request, both through :meth:`GitHubClient.graphql` (so the same token,
retry and rate-limit rules as the issue sync apply):

1. a page of the repository's pull requests, most recently updated first, with up to 100
   changed files each; an incremental sync stops paging at the first pull request not updated
   since the last one;
2. the text of the goal documents at each pull request's head commit, fifty per request by
   aliases, read from the head repository (a fork, usually).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..errors import ForgeError
from .queries import ALIAS_BATCH, RATE_LIMIT
from .records import RemoteIssue, parse_comment, parse_connection, parse_issue

if TYPE_CHECKING:
    from .github import GitHubClient

PULLS_PAGE = 50  # pull requests per page (each with up to 100 files)
MAX_DOC_BYTES = 1_000_000  # documents larger than this are not read (GitHub truncates them too)

PULLS_QUERY = f"""query PullsPage($owner: String!, $name: String!, $first: Int!, $after: String) {{
  {RATE_LIMIT}
  repository(owner: $owner, name: $name) {{
    nameWithOwner
    pullRequests(first: $first, after: $after, states: [OPEN, CLOSED, MERGED],
                 orderBy: {{field: UPDATED_AT, direction: DESC}}) {{
      totalCount
      pageInfo {{ hasNextPage endCursor }}
      nodes {{
        number title url state isDraft createdAt updatedAt closedAt mergedAt headRefOid
        author {{ login }}
        headRepository {{ nameWithOwner }}
        files(first: 100) {{ totalCount nodes {{ path changeType }} }}
      }}
    }}
  }}
}}"""


@dataclass(frozen=True, slots=True)
class PullFile:
    path: str
    change: str  # ADDED, MODIFIED, RENAMED, DELETED, COPIED, CHANGED
    text: str | None = None  # the document at the head commit; None when not read


@dataclass(frozen=True, slots=True)
class RemotePull:
    repo: str
    number: int
    title: str
    url: str
    state: str  # OPEN, CLOSED, MERGED
    is_draft: bool
    author: str
    created_at: str
    updated_at: str
    closed_at: str
    merged_at: str
    head_oid: str
    head_repo: str  # where the head commit lives ("" when the fork was deleted)
    files: tuple[PullFile, ...]

    @property
    def is_open(self) -> bool:
        return self.state.upper() == "OPEN"


def parse_pull(node: dict[str, Any], repo: str) -> RemotePull:
    try:
        files = tuple(PullFile(str(f["path"]), str(f.get("changeType") or "CHANGED"))
                      for f in parse_connection(node.get("files")).nodes)
        author = node.get("author") or {}
        head = node.get("headRepository") or {}
        return RemotePull(
            repo=repo, number=int(node["number"]), title=str(node.get("title") or ""),
            url=str(node.get("url") or ""), state=str(node.get("state") or "OPEN").upper(),
            is_draft=bool(node.get("isDraft")), author=str(author.get("login") or "ghost"),
            created_at=str(node.get("createdAt") or ""), updated_at=str(node.get("updatedAt") or ""),
            closed_at=str(node.get("closedAt") or ""), merged_at=str(node.get("mergedAt") or ""),
            head_oid=str(node.get("headRefOid") or ""),
            head_repo=str(head.get("nameWithOwner") or ""), files=files,
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ForgeError(f"{repo}: a pull request in GitHub's answer lacks {e}") from e


def goal_paths(pull: RemotePull, source: str, milestone: str) -> list[PullFile]:
    """The files of `pull` that are goal documents of `milestone` (``<source>/<milestone>/*.md``,
    not a README or roadmap), added or changed (not deleted)."""
    prefix = f"{source.strip('/')}/{milestone}/"
    out = []
    for f in pull.files:
        if not f.path.startswith(prefix) or "/" in f.path[len(prefix):]:
            continue
        name = f.path[len(prefix):]
        if not name.endswith(".md") or name.lower() == "readme.md" or name.startswith("roadmap-"):
            continue
        if f.change.upper() == "DELETED":
            continue
        out.append(f)
    return out


def list_pulls(client: GitHubClient, repo: str, *, since: str | None) -> tuple[list[RemotePull], str]:
    """Pull requests updated at or after `since` (all when None), newest change first; and the
    repository's name as GitHub spells it."""
    owner, _, name = repo.partition("/")
    out: list[RemotePull] = []
    after: str | None = None
    canonical = repo
    while True:
        data, _ = client.graphql(PULLS_QUERY, {"owner": owner, "name": name, "first": PULLS_PAGE,
                                               "after": after}, what=f"reading {repo} pull requests")
        repository = data.get("repository")
        if not isinstance(repository, dict):
            raise ForgeError(f"repository {repo} was not found, or the token cannot read it")
        canonical = str(repository.get("nameWithOwner") or repo)
        page = parse_connection(repository.get("pullRequests"))
        stop = False
        for node in page.nodes:
            pull = parse_pull(node, canonical)
            if since and pull.updated_at and pull.updated_at < since:
                stop = True
                break
            out.append(pull)
        if stop or not page.has_next:
            return out, canonical
        after = page.end_cursor


_BLOB = "... on Blob { text isTruncated byteSize }"


def read_documents(client: GitHubClient, wanted: Sequence[tuple[str, str, str]]
                   ) -> dict[tuple[str, str, str], str | None]:
    """{(repo, commit, path): text} for each wanted file, ``ALIAS_BATCH`` per request; None for a
    file that is missing, binary, truncated or larger than :data:`MAX_DOC_BYTES`."""
    out: dict[tuple[str, str, str], str | None] = {}
    items = list(dict.fromkeys(wanted))
    for start in range(0, len(items), ALIAS_BATCH):
        batch = items[start:start + ALIAS_BATCH]
        decls: list[str] = []
        parts: list[str] = []
        variables: dict[str, Any] = {}
        for i, (repo, oid, path) in enumerate(batch):
            owner, _, name = repo.partition("/")
            decls += [f"$o{i}: String!", f"$n{i}: String!", f"$e{i}: String!"]
            variables |= {f"o{i}": owner, f"n{i}": name, f"e{i}": f"{oid}:{path}"}
            parts.append(f"d{i}: repository(owner: $o{i}, name: $n{i}) {{ object(expression: $e{i}) "
                         f"{{ {_BLOB} }} }}")
        query = (f"query GoalDocuments({', '.join(decls)}) {{\n  {RATE_LIMIT}\n  "
                 + "\n  ".join(parts) + "\n}")
        data, _ = client.graphql(query, variables, what="reading proposed goal documents",
                                 tolerate=("NOT_FOUND",))
        for i, key in enumerate(batch):
            obj = (data.get(f"d{i}") or {}).get("object") or {}
            text = obj.get("text")
            ok = isinstance(text, str) and not obj.get("isTruncated") and \
                int(obj.get("byteSize") or 0) <= MAX_DOC_BYTES
            out[key] = text if ok else None
    return out


def with_documents(client: GitHubClient, pulls: Sequence[RemotePull], source: str, milestone: str
                   ) -> list[RemotePull]:
    """`pulls` with the text of their goal documents at the head commit filled in."""
    wanted = [(p.head_repo or p.repo, p.head_oid, f.path) for p in pulls if p.head_oid
              for f in goal_paths(p, source, milestone)]
    texts = read_documents(client, wanted) if wanted else {}
    out = []
    for p in pulls:
        files = tuple(replace(f, text=texts.get((p.head_repo or p.repo, p.head_oid, f.path)))
                      for f in p.files)
        out.append(replace(p, files=files))
    return out


_SAFE_PATH = re.compile(r"^[\w./ -]+$")


def safe_path(path: str) -> bool:
    """A repository path goalkeeper is willing to show and check (no `..`, no control bytes)."""
    return bool(_SAFE_PATH.match(path)) and ".." not in path.split("/")


# --------------------------------------------------------------------------------------------
# Watched issues, pull requests and RFCs (the report's initiatives)

_WATCHED_FIELDS = """
fragment WatchedComment on IssueComment {
  id databaseId url body createdAt updatedAt author { __typename login }
}
fragment WatchedItem on IssueOrPullRequest {
  __typename
  ... on Issue {
    id number title url issueState: state createdAt updatedAt closedAt author { login }
    labels(first: 50) { nodes { name } }
    comments(last: 100) { nodes { ...WatchedComment } }
  }
  ... on PullRequest {
    id number title url pullState: state createdAt updatedAt closedAt author { login }
    labels(first: 50) { nodes { name } }
    comments(last: 100) { nodes { ...WatchedComment } }
  }
}"""


def read_watched(client: GitHubClient, refs: Sequence[tuple[str, int]]
                 ) -> dict[tuple[str, int], RemoteIssue | None]:
    """Watched issues and pull requests by (repo, number), with labels and their last 100
    comments (where rfcbot's FCP comments are); a merged pull request has state MERGED. None
    for those that do not exist or cannot be read."""
    out: dict[tuple[str, int], RemoteIssue | None] = {}
    items = list(dict.fromkeys((r.lower(), n) for r, n in refs))
    for start in range(0, len(items), ALIAS_BATCH):
        batch = items[start:start + ALIAS_BATCH]
        decls: list[str] = []
        parts: list[str] = []
        variables: dict[str, Any] = {}
        for i, (repo, number) in enumerate(batch):
            owner, _, name = repo.partition("/")
            decls += [f"$o{i}: String!", f"$n{i}: String!", f"$x{i}: Int!"]
            variables |= {f"o{i}": owner, f"n{i}": name, f"x{i}": number}
            parts.append(f"w{i}: repository(owner: $o{i}, name: $n{i}) {{ nameWithOwner "
                         f"issueOrPullRequest(number: $x{i}) {{ ...WatchedItem }} }}")
        query = (f"query Watched({', '.join(decls)}) {{\n  {RATE_LIMIT}\n  " + "\n  ".join(parts)
                 + "\n}\n" + _WATCHED_FIELDS)
        data, _ = client.graphql(query, variables, what="reading watched issues and pull requests",
                                 tolerate=("NOT_FOUND",))
        for i, key in enumerate(batch):
            node = ((data.get(f"w{i}") or {}).get("issueOrPullRequest")) or None
            if not isinstance(node, dict) or "number" not in node:
                out[key] = None
                continue
            node = {**node, "state": node.get("issueState") or node.get("pullState") or "OPEN"}
            comments = tuple(parse_comment(c) for c in parse_connection(node.get("comments")).nodes)
            out[key] = parse_issue(node, key[0], comments)
    return out
