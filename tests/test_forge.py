"""The GitHub client against the local stand-in: tokens, retries, rate limits, faults."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest

from goalkeeper.errors import ForgeError, ForgeUnavailable, RateLimited, TokenError
from goalkeeper.forge.auth import Token, resolve_token, web_host
from goalkeeper.forge.github import GitHubClient
from goalkeeper.forge.wire import RetryPolicy, graphql_url

from .fakegithub import FakeGitHub
from .fakegithub.seed import TOKEN, TRACKER, Sleeps, client
from .fakegithub.server import RESET_EPOCH


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as server:
        server.add_issue(TRACKER, title="One", body="* [ ] a", comments=(("ana-k", "hello"),))
        server.add_issue(TRACKER, title="Two")
        yield server


def _read(c: GitHubClient) -> list[str]:
    page = c.issues_page(TRACKER, since=None, after=None)
    return [i.title for i in page.issues]


# -- tokens -----------------------------------------------------------------------------


def test_token_comes_from_github_token_then_gh_token_then_gh() -> None:
    both = {"GITHUB_TOKEN": "a", "GH_TOKEN": "b"}
    assert resolve_token(both, gh=lambda h: "c") == Token("a", "GITHUB_TOKEN")
    assert resolve_token({"GH_TOKEN": "b"}, gh=lambda h: "c") == Token("b", "GH_TOKEN")
    hosts: list[str] = []
    got = resolve_token({}, api_url="https://ghe.example.com/api/v3", gh=lambda h: hosts.append(h) or "c")
    assert got == Token("c", "gh auth token") and hosts == ["ghe.example.com"]


def test_missing_token_is_one_sentence() -> None:
    with pytest.raises(TokenError) as e:
        resolve_token({"GITHUB_TOKEN": "  "}, gh=lambda h: None)
    assert str(e.value) == "no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or log in with `gh auth login`"


def test_token_never_shows_in_reprs_errors_or_logs(gh: FakeGitHub, caplog: pytest.LogCaptureFixture) -> None:
    secret = "ghp_s3cr3t_value"
    token = Token(secret, "GITHUB_TOKEN")
    assert secret not in repr(token) and secret not in str(token)
    caplog.set_level(logging.DEBUG)
    with GitHubClient(token, base_url=gh.url, sleep=Sleeps()) as c:
        assert secret not in repr(c)
        with pytest.raises(TokenError) as e:
            _read(c)
    assert str(e.value) == (
        "GitHub rejected the token from GITHUB_TOKEN (401 Bad credentials); "
        "use a valid token or run `gh auth login`"
    )
    assert secret not in str(e.value)
    assert all(secret not in r.getMessage() for r in caplog.records)


def test_enterprise_urls() -> None:
    assert graphql_url("https://api.github.com") == "https://api.github.com/graphql"
    assert graphql_url("https://ghe.example.com/api/v3") == "https://ghe.example.com/api/graphql"
    assert web_host("https://api.github.com") == "github.com"
    assert web_host("https://ghe.example.com/api/v3") == "ghe.example.com"
    # GitHub Enterprise Cloud with data residency: `gh auth token --hostname octo.ghe.com`
    assert web_host("https://api.octo.ghe.com") == "octo.ghe.com"
    asked: list[str] = []
    token = resolve_token({"GOALKEEPER_API_URL": "https://api.octo.ghe.com"},
                          api_url="https://api.octo.ghe.com", gh=lambda h: asked.append(h) or "gho_x")
    assert (token.source, asked) == ("gh auth token", ["octo.ghe.com"])


def test_comment_ids_past_32_bits_and_deleted_accounts(gh: FakeGitHub) -> None:
    gh.next_comment_id = 2**31 + 4
    c = gh.add_comment(TRACKER, 2, "", "from an account since deleted")
    gh.minimize_comment(TRACKER, 2, c.id, "OUTDATED")
    with client(gh) as cl:
        issue = cl.issue_with_comments(TRACKER, 2)
    assert issue is not None
    [comment] = issue.comments
    assert comment.database_id == 2**31 + 5 and comment.author == "ghost"
    assert comment.is_minimized and comment.minimized_reason == "outdated"


# -- retries ----------------------------------------------------------------------------


def test_5xx_are_retried_with_exponential_backoff(gh: FakeGitHub) -> None:
    gh.inject("status", status=503, count=3, match="/graphql")  # 502/504 on a page: see heavy pages
    sleeps = Sleeps()
    with client(gh, sleeps=sleeps) as c:
        assert _read(c) == ["One", "Two"]
        assert c.requests == 4
    assert sleeps.calls == [1.0, 2.0, 4.0]


def test_a_forge_that_keeps_failing_gives_up_with_one_sentence(gh: FakeGitHub) -> None:
    gh.inject("status", status=500, count=100)
    with client(gh, retry=RetryPolicy(attempts=3)) as c, pytest.raises(ForgeUnavailable) as e:
        _read(c)
    assert str(e.value) == (
        "reading ferrite-lang/goals issues: GitHub answered 500 3 times in a row; try again later"
    )


def test_dropped_connections_and_slow_answers_are_retried(gh: FakeGitHub) -> None:
    gh.inject("drop", count=2)
    gh.inject("delay", seconds=0.8)
    sleeps = Sleeps()
    with client(gh, sleeps=sleeps, timeout=0.3) as c:
        assert _read(c) == ["One", "Two"]
    assert sleeps.calls == [1.0, 2.0, 4.0]
    assert len(gh.graphql_requests()) == 4


def test_a_create_whose_answer_was_lost_is_not_sent_twice(gh: FakeGitHub) -> None:
    gh.inject("drop", match="POST /repos/ferrite-lang/goals/issues")
    with client(gh) as c, pytest.raises(ForgeUnavailable) as e:
        c.create_issue(TRACKER, title="New", body="", labels=(), milestone=None)
    assert "may or may not have been made; run the command again to resume" in str(e.value)
    assert [r.method for r in gh.log] == ["POST"]


# -- rate limits ------------------------------------------------------------------------


def test_primary_rate_limit_waits_until_the_reset(gh: FakeGitHub) -> None:
    sleeps = Sleeps(now=RESET_EPOCH - 30)
    gh.inject("primary", seconds=RESET_EPOCH)
    with client(gh, sleeps=sleeps) as c:
        assert _read(c) == ["One", "Two"]
    assert sleeps.calls == [31.0]


def test_graphql_rate_limited_error_waits_until_the_reset(gh: FakeGitHub) -> None:
    sleeps = Sleeps(now=RESET_EPOCH - 100)
    gh.inject("graphql-primary", seconds=RESET_EPOCH)
    with client(gh, sleeps=sleeps) as c:
        assert _read(c) == ["One", "Two"]
    assert sleeps.calls == [101.0]


def test_graphql_rate_limit_typed_rate_limit_is_waited_for_too(gh: FakeGitHub) -> None:
    # GitHub also types the error RATE_LIMIT, with x-ratelimit-remaining not always 0.
    sleeps = Sleeps(now=RESET_EPOCH - 100)
    gh.inject("graphql-primary", error_type="RATE_LIMIT", remaining="12", seconds=RESET_EPOCH)
    gh.inject("graphql-primary", error_type="RATE_LIMIT", seconds=RESET_EPOCH)
    with client(gh, sleeps=sleeps) as c:
        assert _read(c) == ["One", "Two"]
    # first a minute (the budget was not said to be spent), then until the reset
    assert sleeps.calls == [60.0, 41.0]


def test_graphql_secondary_limits_as_200_or_403_are_waited_out(gh: FakeGitHub) -> None:
    gh.inject("graphql-secondary", match="/graphql")
    gh.inject("secondary", match="/graphql", retry_after=9)
    sleeps = Sleeps()
    with client(gh, sleeps=sleeps) as c:
        assert _read(c) == ["One", "Two"]
    assert sleeps.calls == [60.0, 9.0]


def test_retry_after_may_be_an_http_date() -> None:
    from goalkeeper.forge.limits import retry_after
    assert retry_after("Wed, 21 Oct 2015 07:28:30 GMT", 1445412480.0) == 30.0
    assert retry_after("120", 0.0) == 120.0
    assert retry_after("soon", 0.0) is None


def test_secondary_limits_honour_retry_after_else_back_off_from_a_minute(gh: FakeGitHub) -> None:
    gh.inject("secondary", retry_after=7)
    gh.inject("secondary", count=2)
    sleeps = Sleeps()
    with client(gh, sleeps=sleeps) as c:
        assert _read(c) == ["One", "Two"]
    assert sleeps.calls == [7.0, 120.0, 240.0]


def test_a_limit_that_resets_too_late_stops_with_one_sentence(gh: FakeGitHub) -> None:
    sleeps = Sleeps(now=RESET_EPOCH - 7200)
    gh.inject("primary", seconds=RESET_EPOCH)
    with client(gh, sleeps=sleeps) as c, pytest.raises(RateLimited) as e:
        _read(c)
    assert str(e.value) == (
        "reading ferrite-lang/goals issues: the GitHub rate limit is spent and resets in 120 "
        "minutes; run again later"
    )
    assert sleeps.calls == []


def test_a_spent_budget_is_waited_out_before_the_next_request(gh: FakeGitHub) -> None:
    gh.remaining = 1  # the next answer says 0 left
    sleeps = Sleeps(now=RESET_EPOCH - 10)
    with client(gh, sleeps=sleeps) as c:
        _read(c)
        assert sleeps.calls == []
        _read(c)
    assert sleeps.calls == [11.0]


def test_writes_are_spaced_by_the_mutation_interval(gh: FakeGitHub) -> None:
    sleeps = Sleeps()
    with client(gh, sleeps=sleeps, retry=RetryPolicy(mutation_interval=1.0)) as c:
        c.add_comment(TRACKER, 1, "one")
        c.add_comment(TRACKER, 1, "two")
        _read(c)  # reads are not spaced
    assert sleeps.calls == [1.0]


def test_a_plain_403_is_a_permission_problem_not_a_rate_limit(gh: FakeGitHub) -> None:
    gh.inject("status", status=403, match="POST")
    with client(gh) as c, pytest.raises(ForgeError) as e:
        c.add_labels(TRACKER, 1, ["x"])
    assert str(e.value) == "labelling ferrite-lang/goals#1: GitHub answered 403: error"


# -- redirects --------------------------------------------------------------------------


def test_writes_to_a_transferred_issue_follow_githubs_301(gh: FakeGitHub) -> None:
    moved = gh.transfer_issue(TRACKER, 1, "ferrite-lang/archive")
    with client(gh) as c:
        c.add_comment(TRACKER, 1, "still here")
        updated = c.update_issue(TRACKER, 1, title="One, moved")
    assert [c.body for c in moved.comments][-1] == "still here"
    assert moved.title == updated.title == "One, moved"
    assert [(r.method, r.status) for r in gh.log] == [("POST", 301), ("POST", 201), ("PATCH", 301),
                                                      ("PATCH", 200)]
    assert gh.log[1].path == f"/repositories/{moved.repo.id}/issues/{moved.number}/comments"


def test_rest_calls_on_a_renamed_repository_follow_the_redirect(gh: FakeGitHub) -> None:
    gh.rename_repo(TRACKER, "ferrite-lang/program")
    with client(gh) as c:
        c.add_labels(TRACKER, 2, ["T-lang"])
        assert c.milestone_number(TRACKER, "2027") is None
    assert gh.issue("ferrite-lang/program", 2).labels == ["T-lang"]


def test_the_token_is_never_sent_to_another_host() -> None:
    with FakeGitHub(token=TOKEN) as home, FakeGitHub(token=TOKEN) as elsewhere:
        home.add_issue(TRACKER, title="One")
        home.inject("redirect", status=307, location=f"{elsewhere.url}/repos/{TRACKER}/labels",
                    match="POST")
        home.inject("redirect", status=302, location=f"{elsewhere.url}/repos/{TRACKER}/milestones",
                    match="GET")
        with client(home) as c:
            with pytest.raises(ForgeError) as e:
                c.add_labels(TRACKER, 1, ["x"])
            assert str(e.value) == (
                f"labelling {TRACKER}#1: GitHub redirected the change to "
                f"{elsewhere.url.removeprefix('http://')}, another host; it was not sent there "
                "(the token stays with the API)"
            )
            assert elsewhere.log == []
            with pytest.raises(ForgeError):
                c.milestone_number(TRACKER, "2026")  # the other host refuses a request without it
        assert [(r.method, r.authorized) for r in elsewhere.log] == [("GET", False)]
        assert all(r.authorized for r in home.log)


# -- pagination -------------------------------------------------------------------------


def test_milestones_and_labels_past_the_first_100_are_found(gh: FakeGitHub) -> None:
    for k in range(130):
        gh.add_milestone(TRACKER, f"m{k:03}", state="closed" if k % 2 else "open")
        gh.repo(TRACKER).labels[f"L{k:03}"] = "ededed"
    with client(gh) as c:
        assert c.milestone_number(TRACKER, "m129") == 130
        assert c.create_milestone(TRACKER, "m128") == 129  # 422 already_exists, then looked up
        page = c.issues_page(TRACKER, since=None, after=None, with_repo_meta=True)
    assert page.labels is not None and page.milestones is not None
    assert len(page.labels) == 130 and len(page.milestones) == 130


# -- reading ----------------------------------------------------------------------------


def test_issue_pages_and_comment_pages(gh: FakeGitHub) -> None:
    big = gh.add_issue(TRACKER, title="Busy", comments=tuple(("ana-k", f"c{i}") for i in range(230)))
    for i in range(60):
        gh.add_issue(TRACKER, title=f"Filler {i}")
    with client(gh, page_size=25) as c:
        pages = []
        page = c.issues_page(TRACKER, since=None, after=None, with_repo_meta=True)
        pages.append(page)
        while page.has_next:
            page = c.issues_page(TRACKER, since=None, after=page.end_cursor)
            pages.append(page)
        assert [len(p.issues) for p in pages] == [25, 25, 13]
        assert pages[0].total == 63 and pages[0].incomplete == {big.number: pages[0].incomplete[big.number]}
        full = c.issues_by_number([(TRACKER, big.number), (TRACKER, 999)])
    issue = full[(TRACKER, big.number)]
    assert issue is not None and [x.body for x in issue.comments] == [f"c{i}" for i in range(230)]
    assert full[(TRACKER, 999)] is None


def test_unknown_repository_is_one_sentence(gh: FakeGitHub) -> None:
    with client(gh) as c, pytest.raises(ForgeError) as e:
        c.issues_page("ferrite-lang/nope", since=None, after=None)
    assert str(e.value) == (
        "repository ferrite-lang/nope was not found, or the token cannot read it; check [project] tracker"
    )


def test_the_stand_in_rejects_what_github_rejects(gh: FakeGitHub) -> None:
    with client(gh) as c:
        with pytest.raises(ForgeError, match="Field 'bogus' doesn't exist on type 'Issue'"):
            c.graphql("query { repository(owner: \"ferrite-lang\", name: \"goals\") "
                      "{ issue(number: 1) { bogus } } }")
        with pytest.raises(ForgeError, match="must provide a `first` or `last`"):
            c.graphql("query { repository(owner: \"ferrite-lang\", name: \"goals\") "
                      "{ issues { totalCount } } }")
        with pytest.raises(ForgeError, match="Variable \\$x is declared by Q but not used"):
            c.graphql("query Q($x: Int) { rateLimit { cost } }", {"x": 1})
        with pytest.raises(ForgeError, match="Fragment F was defined, but not used"):
            c.graphql("query { rateLimit { cost } } fragment F on Issue { number }")


def test_waits_are_announced_with_their_reason(gh: FakeGitHub) -> None:
    told: list[tuple[float, str]] = []
    gh.inject("secondary", retry_after=30)
    gh.inject("status", status=503)
    with client(gh, on_wait=lambda s, why: told.append((s, why))) as c:
        _read(c)
    assert told == [(30.0, "GitHub asked to slow down (a secondary rate limit)"),
                    (1.0, "GitHub answered 503; retrying")]


def test_a_limit_that_never_lifts_is_not_waited_for_forever(gh: FakeGitHub) -> None:
    gh.inject("primary", seconds=1, count=100)  # a reset in the past: the clocks disagree
    sleeps = Sleeps()
    with client(gh, sleeps=sleeps, retry=RetryPolicy(attempts=2)) as c, pytest.raises(RateLimited) as e:
        _read(c)
    assert str(e.value) == (
        "reading ferrite-lang/goals issues: GitHub kept answering that the rate limit is spent "
        "after 4 waits; run again later"
    )
    assert sleeps.calls == [1.0] * 4


def test_the_token_goes_only_where_the_operator_allows() -> None:
    env = {"GITHUB_TOKEN": "ghp_secret"}
    with pytest.raises(TokenError, match="must use https"):
        resolve_token(env, api_url="http://evil.example/api")
    with pytest.raises(TokenError, match=re.escape("GOALKEEPER_API_URL=https://evil.example/api")):
        resolve_token(env, api_url="https://evil.example/api")
    allowed = {**env, "GOALKEEPER_API_URL": "https://ghe.example.com/api/v3"}
    assert resolve_token(allowed, api_url="https://ghe.example.com/api/v3").value == "ghp_secret"
    assert resolve_token(env, api_url="http://127.0.0.1:8080").value == "ghp_secret"  # local stand-in


def test_searches_with_or_are_parenthesised_so_every_qualifier_applies() -> None:
    from goalkeeper.forge.partial import search_text
    assert search_text("o/r", "label:A OR label:B", "open") == (
        "repo:o/r is:issue (label:A OR label:B) is:open")
    assert search_text("o/r", "(label:A OR label:B)", "closed") == (
        "repo:o/r is:issue (label:A OR label:B) is:closed")
    assert search_text("o/r", "label:A", "open") == "repo:o/r is:issue label:A is:open"
