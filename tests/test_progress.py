"""Progress and updates from synced data: checkboxes, links, TL;DR, help wanted, roles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import goalkeeper
from goalkeeper.forge.names import LOCK_TEXT, continuing_text
from goalkeeper.forge.records import LinkedIssue, RemoteComment, RemoteIssue, SearchCount
from goalkeeper.model import IssueRef
from goalkeeper.season.issue_body import checkboxes, earlier_block, links
from goalkeeper.season.progress import Progress, help_wanted_items, progress_for
from goalkeeper.season.store import Store

from .conftest import EXAMPLE

TRACKER = "ferrite-lang/goals"
FERRITE = "ferrite-lang/ferrite"
_ids = iter(range(1, 10**6))


def comment(author: str, body: str, day: int = 1, **kw: object) -> RemoteComment:
    n = next(_ids)
    return RemoteComment(
        node_id=f"IC_{n}", database_id=n, url=f"https://github.com/{TRACKER}/issues/1#issuecomment-{n}",
        author=author, author_type=str(kw.pop("author_type", "User")), body=body,
        created_at=f"2026-03-{day:02d}T10:00:00Z", updated_at=f"2026-03-{day:02d}T10:00:00Z",
        is_minimized=bool(kw.pop("is_minimized", False)),
    )


def issue(number: int, body: str = "", *, repo: str = TRACKER, state: str = "OPEN",
          comments: tuple[RemoteComment, ...] = (), labels: tuple[str, ...] = ()) -> RemoteIssue:
    return RemoteIssue(repo=repo, number=number, node_id=f"I_{repo}{number}", title=f"#{number}", body=body,
                       state=state, url=f"https://github.com/{repo}/issues/{number}", author="x",
                       created_at="2026-03-01T00:00:00Z", updated_at="2026-03-01T00:00:00Z",
                       labels=labels, comments=comments)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "db.sqlite3") as s:
        yield s


def test_checkboxes_are_counted_outside_code_and_earlier_bodies() -> None:
    body = (
        "* [x] done\n- [X] also done\n  * [ ] nested todo\n* [] not a box\n"
        "```\n* [ ] an example\n```\n"
        + earlier_block("* [ ] last period's task\n* [x] and another", "2025h2")
    )
    assert checkboxes(body) == (2, 3)


def test_links_read_see_also_and_tracked_issues_rows() -> None:
    body = (
        "| Metadata | |\n| --- | --- |\n"
        "| See also | rust-lang/rust#1, https://github.com/rust-lang/rust/issues/2 "
        "https://github.com/rust-lang/cargo/pull/3 [o/r#4] |\n"
        "| Tracked issues | [rust-lang/rust label:A-edition-2024 -label:t-libs](https://x) |\n"
    )
    found = links(body)
    assert [str(r) for r in found.refs] == [
        "rust-lang/rust#2", "rust-lang/rust#1", "o/r#4", "rust-lang/cargo#3"
    ]
    assert found.searches == (("rust-lang/rust", "label:A-edition-2024 -label:t-libs"),)
    assert links("| See also | soon |\n").errors == ("invalid issue URL `soon`",)


def test_progress_follows_see_also_recursively_and_cuts_cycles(store: Store) -> None:
    program = goalkeeper.load(EXAMPLE)
    store.save_batch([
        issue(201, "| See also | ferrite-lang/ferrite#10 |\n\n* [x] a\n* [ ] b\n"),
        issue(202, "| Tracked issues | [ferrite-lang/ferrite label:F-mirror](https://x) |\n"),
        issue(203, "", state="CLOSED"),
        issue(204, "| See also | ferrite-lang/ferrite#99 |"),
        issue(205, "| See also | nonsense |"),
        issue(206, "* [x] a", state="CLOSED"),
        issue(207, "* [x] a\n* [ ] b", state="CLOSED"),
    ], linked={
        (FERRITE, 10): LinkedIssue(FERRITE, 10, "OPEN",
                                   body="| See also | ferrite-lang/ferrite#11, ferrite-lang/goals#201 |"),
        (FERRITE, 11): LinkedIssue(FERRITE, 11, "MERGED", body="| See also | ferrite-lang/ferrite#10 |"),
    }, searches={(FERRITE, "label:F-mirror"): SearchCount(FERRITE, "label:F-mirror", 3, 5)})
    got = {k: v.progress for k, v in progress_for(program, store, milestone="2026").items()}
    assert got["2026/pattern-types"] == Progress.tracked(2, 3)  # 1/2 boxes + #10 (via #11: 1/1)
    assert got["2026/registry-mirroring"] == Progress.tracked(5, 8)
    assert got["2026/jvm-interop"] == Progress.binary(True)
    assert got["2026/kernel-target"] == Progress.error(
        "error parsing ferrite-lang/ferrite#99: not synced; run `goalkeeper sync`")
    assert got["2026/parallel-codegen"] == Progress.error("invalid issue URL `nonsense`")
    assert got["2026/fallible-alloc"].complete and str(got["2026/fallible-alloc"]) == "1/1 (closed)"
    assert not got["2026/reproducible-builds"].complete  # closed with open boxes: will not complete
    assert got["2026/smelt-script"] == Progress.error(
        "ferrite-lang/goals#118 is not synced; run `goalkeeper sync`")
    assert Progress.tracked(2, 3).to_json() == {"Tracked": {"completed": 2, "total": 3}}
    assert Progress.binary(False).to_json() == {"Binary": {"is_closed": False}}
    assert Progress.error("x").to_json() == {"Error": {"message": "x"}}


def test_updates_exclude_minimized_bot_and_tool_comments_and_mark_roles(store: Store) -> None:
    program = goalkeeper.load(EXAMPLE)  # 2026/parallel-codegen: poc gustavo-r, champion emeka-n
    store.save_batch([issue(205, comments=(
        comment("goals-bot", LOCK_TEXT, 1),
        comment("gustavo-r", "Landed.\n\nHelp wanted: someone to review the inliner\nit is big", 2),
        comment("emeka-n", "Reviewed the design.", 3),
        comment("sami-k", "TL;DR: determinism tests pass", 4),
        comment("freya-l", "TL;DR: an older summary is not the summary", 5),
        comment("random", "+1", 6, is_minimized=True),
        comment("triagebot", "Ping!", 7, author_type="Bot"),
        comment("dependabot[bot]", "Bump", 8),
        comment("gustavo-r", "TL;DR: two of five tasks done.\nHelp wanted: perf machines", 9),
        comment("someone", "**Help wanted:**\n- a reviewer\n- docs\n\nThanks!", 10),
    ))])
    gp = progress_for(program, store)["2026/parallel-codegen"]
    assert gp.tldr is not None and gp.tldr.body == "two of five tasks done.\nHelp wanted: perf machines"
    assert gp.tldr.roles == ("point of contact", "task owner")
    assert [(u.author, u.roles) for u in gp.updates] == [
        ("gustavo-r", ("point of contact", "task owner")),
        ("emeka-n", ("champion",)),
        ("sami-k", ("task owner",)),
        ("freya-l", ("task owner",)),
        ("someone", ()),
    ]
    assert gp.help_wanted == ("someone to review the inliner\nit is big", "- a reviewer\n- docs")
    assert gp.has_help_wanted and gp.last_update == "2026-03-10"
    record = gp.to_json()
    assert record["progress"] == {"Binary": {"is_closed": False}}
    assert record["updates"][0] == {
        "author": "@gustavo-r", "body": gp.updates[0].body, "created_at": "2026-03-02",
        "url": gp.updates[0].url, "roles": ["point of contact", "task owner"],
    }
    window = progress_for(program, store, since="2026-03-03", until="2026-03-05")["2026/parallel-codegen"]
    assert [u.author for u in window.updates] == ["emeka-n"] and window.tldr is not None


def test_a_shared_issue_splits_its_updates_between_the_two_periods(store: Store) -> None:
    program = goalkeeper.load(EXAMPLE)  # #118 is 2025h2/smelt-script and 2026/smelt-script
    store.save_batch([issue(118, comments=(
        comment("ines-m", "TL;DR: 2025h2 summary", 1),
        comment("goalkeeper", continuing_text("2026"), 2),
        comment("ines-m", "TL;DR: 2026 summary", 3),
    ), labels=("Flagship Goal",))])
    got = progress_for(program, store)
    old, new = got["2025h2/smelt-script"], got["2026/smelt-script"]
    assert old.tldr is not None and old.tldr.body == "2025h2 summary"
    assert new.tldr is not None and new.tldr.body == "2026 summary"
    assert old.roadmap and new.roadmap  # the old `Flagship Goal` label still counts


def test_help_wanted_items() -> None:
    text = ("intro\n* Help wanted: one\n  more\n\n- **help wanted:** two\n"
            "```\nHelp wanted: code\n```\nHelp wanted:")
    assert help_wanted_items(text) == ["one\nmore", "two"]


def test_goal_without_issue_is_not_listed(store: Store) -> None:
    program = goalkeeper.load(EXAMPLE)
    keys = set(progress_for(program, store))
    assert "2026/python-extensions" not in keys and IssueRef("a", "b", 1) != IssueRef("a", "b", 2)
