"""Every query shape the client can send validates against GitHub's published GraphQL schema.

The schema is tests/github_schema/schema.graphql (npm `@octokit/graphql-schema`, version in
tests/github_schema/VERSION); validation is graphql-core's standard rules, as the stand-in
applies them to every request.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from goalkeeper.forge import queries

from .fakegithub.schema import NODE_LIMIT, cost, schema_version, validate

REFS = [("ferrite-lang/goals", 7), ("other-org/thing", 12)]
SEARCHES = [("ferrite-lang/goals", "label:A-widgets"), ("ferrite-lang/goals", "label:B -label:C")]


def _page(**kw: Any) -> tuple[str, dict[str, Any]]:
    args: dict[str, Any] = {"since": None, "after": None, "first": 50, "with_repo_meta": False,
                            "linked": (), "searches": ()}
    return queries.issues_page("ferrite-lang", "goals", **(args | kw))


#: Every shape, by the builder that makes it. A new builder in queries.py must be added here.
SHAPES: dict[str, list[Callable[[], tuple[Any, ...]]]] = {
    "issues_page": [
        lambda: _page(),
        lambda: _page(since="2026-03-01T09:00:00Z", after="Y3Vyc29y", first=1),
        lambda: _page(with_repo_meta=True),
        lambda: _page(with_repo_meta=True, linked=REFS),
        lambda: _page(with_repo_meta=True, searches=SEARCHES),
        lambda: _page(with_repo_meta=True, linked=REFS, searches=SEARCHES),
        lambda: _page(with_repo_meta=True, linked=REFS, searches=SEARCHES, comment_ids=["IC_a", "IC_b"]),
    ],
    "minimized": [lambda: queries.minimized(["IC_a", "IC_b"])],
    "issue_numbers": [
        lambda: queries.issue_numbers("ferrite-lang", "goals", None),
        lambda: queries.issue_numbers("ferrite-lang", "goals", "Y3Vyc29y"),
    ],
    "comment_pages": [
        lambda: queries.comment_pages("ferrite-lang", "goals", {5: "Y3Vyc29y"}),
        lambda: queries.comment_pages("ferrite-lang", "goals", {5: None, 6: "Y3Vyc29y"}),
    ],
    "issues_by_number": [
        lambda: queries.issues_by_number(REFS[:1]),
        lambda: queries.issues_by_number(REFS),
    ],
    "linked_only": [
        lambda: queries.linked_only(REFS, ()),
        lambda: queries.linked_only((), SEARCHES),
        lambda: queries.linked_only(REFS, SEARCHES),
    ],
}


def test_the_schema_is_vendored_with_its_version_and_licence() -> None:
    assert schema_version().count(".") == 2
    from .fakegithub.schema import SCHEMA_DIR
    assert "MIT" in (SCHEMA_DIR / "LICENSE.md").read_text(encoding="utf-8")


def test_every_query_builder_is_listed() -> None:
    builders = {name for name, fn in inspect.getmembers(queries, inspect.isfunction)
                if fn.__module__ == queries.__name__ and not name.startswith("_")}
    assert builders == set(SHAPES)


@pytest.mark.parametrize(("builder", "index"), [(b, i) for b, fs in SHAPES.items() for i in range(len(fs))])
def test_every_query_shape_is_valid_against_githubs_schema(builder: str, index: int) -> None:
    query, variables = SHAPES[builder][index]()[:2]
    assert validate(query, variables) == []


def test_the_validator_catches_what_github_would_reject() -> None:
    # The shape before the fix: `state` on Issue and PullRequest under one name.
    bad = """query { repository(owner: "a", name: "b") { issueOrPullRequest(number: 1) {
      ... on Issue { state } ... on PullRequest { state } } } }"""
    [error] = validate(bad)
    assert "Fields 'state' conflict" in error["message"]
    [error] = validate("query Q($n: Int!) { rateLimit { cost } repository(owner: \"a\", name: \"b\") "
                       "{ issue(number: $n) { number } } }", {"n": "seven"})
    assert error["message"].startswith("Variable '$n' got invalid value 'seven'")


@pytest.mark.parametrize(("builder", "index"), [(b, i) for b, fs in SHAPES.items() for i in range(len(fs))])
def test_every_query_shape_is_within_githubs_node_limit_and_cheap(builder: str, index: int) -> None:
    query, variables = SHAPES[builder][index]()[:2]
    points, nodes = cost(query, variables)
    assert nodes <= NODE_LIMIT
    assert points <= 3  # an hour's budget in Actions is 1,000 points


def test_cost_and_nodes_are_computed_as_github_documents() -> None:
    # 50 issues with 100 labels, 20 assignees and 100 comments each, plus 100 labels and
    # 100 milestones: 1 + 3 * 50 + 2 = 153 requests (cost 2) and 11,250 possible nodes.
    query, variables = _page(with_repo_meta=True)
    assert cost(query, variables) == (2, 50 + 50 * 100 + 50 * 20 + 50 * 100 + 200)


def test_the_stand_in_refuses_a_query_over_the_node_limit() -> None:
    from goalkeeper.errors import ForgeError

    from .fakegithub import FakeGitHub
    from .fakegithub.seed import TOKEN, client

    big = """query { repository(owner: "a", name: "b") { issues(first: 100) { nodes {
      comments(first: 100) { nodes { reactions(first: 100) { totalCount } } } } } } }"""
    with FakeGitHub(token=TOKEN) as gh, client(gh) as c, pytest.raises(ForgeError) as e:
        c.graphql(big)
    assert "1,010,100 possible nodes which exceeds the maximum limit of 500,000" in str(e.value)
