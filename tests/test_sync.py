"""`goalkeeper sync` against the local stand-in: batching, incremental syncs, faults, kills."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import goalkeeper
from goalkeeper.errors import StoreError
from goalkeeper.model import Program
from goalkeeper.season.scope import tracker_repo
from goalkeeper.season.store import MIGRATIONS, Store
from goalkeeper.season.sync import sync

from .conftest import EXAMPLE, write_tree
from .fakegithub import FakeGitHub
from .fakegithub.seed import TOKEN, TRACKER, Sleeps, client
from .fakegithub.server import RESET_EPOCH, all_comments


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as server:
        server.add_repo(TRACKER)
        yield server


def tiny_program(root: Path, refs: tuple[str, ...] = (f"{TRACKER}#1",)) -> Program:
    """A program whose goals name `refs` as their tracking issues."""
    files = {"goalkeeper.toml": f'[project]\nname = "T"\ntracker = "{TRACKER}"\n'}
    for i, ref in enumerate(refs):
        files[f"src/2026/goal-{i}.md"] = f"""
            # Goal {i}

            | Metadata         |          |
            | ---------------- | -------- |
            | Point of contact | @ana-k   |
            | Status           | Accepted |
            | Tracking issue   | [{ref}]  |

            ## Summary

            Goal {i}.
        """
    return goalkeeper.load(write_tree(root, files))


def populate(gh: FakeGitHub, issues: int, comments: int) -> None:
    for n in range(1, issues + 1):
        gh.add_issue(TRACKER, number=n, title=f"Goal {n}", body=f"* [x] one\n* [ ] two {n}",
                     labels=("C-tracking-issue",),
                     comments=tuple((f"user{k % 7}", f"update {k} on #{n}") for k in range(comments)))


def stored_comments(store: Store) -> dict[str, str]:
    ids = store.comment_ids()
    assert len(ids) == len(set(ids)), "a comment is stored twice"
    return {c.node_id: c.body for i in store.issues() for c in i.comments}


def forge_comments(gh: FakeGitHub) -> dict[str, str]:
    return {c.node_id: c.body for c in all_comments(gh, TRACKER)}


def test_first_sync_of_100_issues_takes_at_most_5_requests_and_then_1(gh: FakeGitHub, tmp_path: Path) -> None:
    populate(gh, 100, 20)
    program = tiny_program(tmp_path / "p")
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        first = sync(program, c, store)
        assert first.requests <= 5 and first.requests == 2
        assert (first.issues, first.comments, first.full) == (100, 2000, True)
        assert store.counts()["issues"] == 100 and stored_comments(store) == forge_comments(gh)
        again = sync(program, c, store)
        assert again.requests == 1 and not again.full
        assert again.issues <= 1  # only the boundary issue, fetched again by an inclusive `since`
    assert [r.operation for r in gh.graphql_requests()] == ["IssuesPage"] * 3


def test_incremental_sync_fetches_changed_issues_and_reflects_edits_and_deletions(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    populate(gh, 30, 5)
    program = tiny_program(tmp_path / "p")
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        sync(program, c, store)
        gh.add_comment(TRACKER, 5, "ana-k", "a new update")
        edited = gh.issue(TRACKER, 7).comments[2]
        gh.edit_comment(TRACKER, 7, edited.id, "an edited update")
        gone = gh.issue(TRACKER, 9).comments[0]
        gh.delete_comment(TRACKER, 9, gone.id)
        gh.set_state(TRACKER, 11, "closed")
        gh.add_issue(TRACKER, number=31, title="New goal", comments=(("ana-k", "hi"),))
        report = sync(program, c, store)
        assert report.requests == 1
        assert report.issues == 5 + 1  # the five changed, and the boundary issue again
        assert report.deleted == 1
        assert stored_comments(store) == forge_comments(gh)
        issue7 = store.issue(TRACKER, 7)
        assert issue7 is not None and issue7.comments[2].body == "an edited update"
        issue9 = store.issue(TRACKER, 9)
        assert issue9 is not None and gone.node_id not in {x.node_id for x in issue9.comments}
        issue11 = store.issue(TRACKER, 11)
        assert issue11 is not None and issue11.is_closed
        assert store.counts()["issues"] == 31


def test_full_sync_fetches_everything_again(gh: FakeGitHub, tmp_path: Path) -> None:
    populate(gh, 10, 2)
    program = tiny_program(tmp_path / "p")
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        sync(program, c, store)
        first = gh.issue(TRACKER, 3).comments[0]
        gh.minimize_comment(TRACKER, 3, first.id)  # does not touch the issue's updatedAt
        report = sync(program, c, store, full=True)
        assert report.full and report.issues == 10
        issue = store.issue(TRACKER, 3)
        assert issue is not None and issue.comments[0].is_minimized


def test_issues_with_hundreds_of_comments_are_completed_in_batches(gh: FakeGitHub, tmp_path: Path) -> None:
    populate(gh, 4, 250)
    program = tiny_program(tmp_path / "p")
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        report = sync(program, c, store)
        assert report.comments == 1000
        # 1 page of issues, then pages 2 and 3 of each issue's comments, 4 issues per request
        assert report.requests == 3
        assert stored_comments(store) == forge_comments(gh)


def test_faults_during_a_sync_change_nothing_in_the_result(gh: FakeGitHub, tmp_path: Path) -> None:
    populate(gh, 60, 3)
    program = tiny_program(tmp_path / "p")
    gh.inject("status", status=502)
    gh.inject("drop")
    gh.inject("secondary", retry_after=3)
    gh.inject("graphql-primary", seconds=0)
    gh.inject("status", status=503)
    sleeps = Sleeps(now=RESET_EPOCH - 5)
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh, sleeps=sleeps, page_size=20) as c:
        report = sync(program, c, store)
        assert report.issues == 60 and stored_comments(store) == forge_comments(gh)
    assert gh.faults == [] and len(sleeps.calls) == 5


def test_a_sync_that_fails_half_way_resumes_from_the_last_saved_page(gh: FakeGitHub, tmp_path: Path) -> None:
    populate(gh, 50, 2)
    program = tiny_program(tmp_path / "p")
    with Store.open(tmp_path / "db.sqlite3") as store:
        saved = 0

        def crash(name: str) -> None:
            nonlocal saved
            saved += name == "issue"
            if saved == 30:  # the tenth issue of the second page, inside its transaction
                raise KeyboardInterrupt

        store.on_step = crash
        with client(gh, page_size=20) as c, pytest.raises(KeyboardInterrupt):
            sync(program, c, store)
        assert store.counts()["issues"] == 20  # the first page; the second was rolled back
        store.on_step = None
        gh.reset_log()
        with client(gh, page_size=20) as c:
            report = sync(program, c, store)
        assert report.issues == 31  # from the watermark on: the boundary issue and the rest
        assert stored_comments(store) == forge_comments(gh) and store.counts()["issues"] == 50


KILL_CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    import goalkeeper
    from goalkeeper.forge.github import GitHubClient
    from goalkeeper.forge.wire import RetryPolicy
    from goalkeeper.season.store import Store
    from goalkeeper.season.sync import sync

    root, url, db, kill_at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = Store.open(Path(db))
    steps = 0

    def step(name):
        global steps
        steps += 1
        if steps == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    store.on_step = step
    client = GitHubClient("t0ken", base_url=url, page_size=7,
                          retry=RetryPolicy(mutation_interval=0))
    report = sync(goalkeeper.load(root), client, store)
    print("done", steps, report.issues)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_at_random_points_the_next_sync_completes_with_each_comment_once(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    rng = random.Random(20260513)
    for n in range(1, 41):
        many = 130 if n == 17 else rng.randrange(0, 12)
        gh.add_issue(TRACKER, number=n, title=f"Goal {n}", body=f"issue {n}",
                     comments=tuple((f"u{k % 5}", f"c{k} #{n}") for k in range(many)))
    tiny_program(tmp_path / "p", (f"{TRACKER}#17", f"{TRACKER}#3"))
    db = tmp_path / "db.sqlite3"
    script = tmp_path / "child.py"
    script.write_text(KILL_CHILD)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def run(kill_at: int, after: float | None = None) -> str:
        args = [sys.executable, str(script), str(tmp_path / "p"), gh.url, str(db), str(kill_at)]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        if after is not None:
            time.sleep(after)
            proc.kill()
        out, err = proc.communicate(timeout=60)
        if proc.returncode == 0:
            return out
        assert proc.returncode == -signal.SIGKILL, err
        return ""

    # A clean run counts the steps, so kills can land anywhere in a run (a step is a point inside
    # a transaction: after an issue, after its comments, before the commit, just after it).
    steps = int(run(0).split()[1])
    db.unlink()
    for trial, k in enumerate(sorted(rng.sample(range(1, steps + 1), 3))):
        for leftover in tmp_path.glob("db.sqlite3*"):
            leftover.unlink()
        assert run(k) == "", f"the child was not killed at step {k}"
        gh.add_comment(TRACKER, rng.randrange(1, 41), "ana-k", f"written while killed at {k}")
        assert run(0).startswith("done")
        with Store.open(db) as store:
            assert stored_comments(store) == forge_comments(gh), f"trial {trial}, killed at {k}"
    # An incremental sync killed at a moment chosen by the clock, not by a step.
    for n in range(1, 41, 3):
        gh.add_comment(TRACKER, n, "ana-k", "a later update")
    run(0, after=0.3)
    edited = gh.issue(TRACKER, 17).comments[5]
    gh.edit_comment(TRACKER, 17, edited.id, "edited between runs")
    assert run(0).startswith("done")

    with Store.open(db) as store:
        assert stored_comments(store) == forge_comments(gh)
        assert store.counts()["issues"] == 40
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# -- linked issues and stragglers ------------------------------------------------------------


def test_see_also_and_tracked_issues_are_fetched_and_refreshed_in_the_first_request(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    gh.add_issue(TRACKER, number=1, title="Goal",
                 body="| Metadata | |\n| --- | --- |\n| See also | ferrite-lang/ferrite#10 |\n"
                      "| Tracked issues | [ferrite-lang/ferrite label:F-x](https://github.com) |\n")
    see_also = "| See also | https://github.com/ferrite-lang/ferrite/issues/11, ferrite-lang/goals#1 |"
    gh.add_issue("ferrite-lang/ferrite", number=10, title="Impl", body=see_also)
    gh.add_issue("ferrite-lang/ferrite", number=11, title="Part",
                 body="| See also | ferrite-lang/ferrite#10 |")
    for state in ("open", "closed", "closed"):
        gh.add_issue("ferrite-lang/ferrite", title="F-x issue", labels=("F-x",), state=state)
    program = tiny_program(tmp_path / "p")
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        first = sync(program, c, store)
        assert first.requests == 3  # the listing, then #10 and the search, then #11
        linked = store.linked("ferrite-lang/ferrite", 11)
        assert linked is not None and linked.state == "OPEN"
        count = store.search_count("ferrite-lang/ferrite", "label:F-x")
        assert count is not None and (count.open, count.closed) == (1, 2)
        gh.set_state("ferrite-lang/ferrite", 11, "closed")
        again = sync(program, c, store)
        assert again.requests == 1  # links ride along with the listing
        linked = store.linked("ferrite-lang/ferrite", 11)
        assert linked is not None and linked.is_closed


def test_tracking_issues_outside_the_tracker_are_fetched_by_number(gh: FakeGitHub, tmp_path: Path) -> None:
    gh.add_issue(TRACKER, number=1, title="Goal")
    gh.add_issue("ferrite-lang/ferrite", number=77, title="Elsewhere", comments=(("ana-k", "hi"),))
    program = tiny_program(tmp_path / "p", (f"{TRACKER}#1", "ferrite-lang/ferrite#77", f"{TRACKER}#404"))
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        report = sync(program, c, store)
        assert [str(r) for r in report.missing] == [f"{TRACKER}#404"]
        issue = store.issue("ferrite-lang/ferrite", 77)
        assert issue is not None and [x.body for x in issue.comments] == ["hi"]


def test_the_tracker_defaults_to_the_repository_most_goals_name(tmp_path: Path) -> None:
    program = goalkeeper.load(EXAMPLE)
    assert tracker_repo(program) == "ferrite-lang/goals"
    root = write_tree(tmp_path, {"src/2026/a.md": "# A\n\n| Metadata | |\n| --- | --- |\n"
                                 "| Point of contact | @a |\n| Status | Accepted |\n"
                                 "| Tracking issue | [x/goals#3] |\n"})
    assert tracker_repo(goalkeeper.load(root)) == "x/goals"


# -- the store ------------------------------------------------------------------------------


def test_store_is_wal_and_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c" / "db.sqlite3") as store:
        assert store.schema_version() == len(MIGRATIONS)
    with sqlite3.connect(tmp_path / "c" / "db.sqlite3") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_older_database_is_migrated_in_place_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    from goalkeeper.season.store import _statements

    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.execute("INSERT INTO issues (repo, number, repo_name, title) VALUES ('a/b', 1, 'a/B', 'kept')")
    conn.close()
    with Store.open(path) as store:
        assert store.schema_version() == len(MIGRATIONS)
        issue = store.issue("a/b", 1)
        assert issue is not None and issue.title == "kept"
        assert store.labels("a/b") == []


def test_a_newer_locked_or_damaged_database_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with Store.open(path):
        pass
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StoreError, match="written by a newer goalkeeper"):
        Store.open(path)

    locked = tmp_path / "locked.sqlite3"
    with Store.open(locked) as store:
        holder = sqlite3.connect(locked, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError) as e:
                Store.open(locked, timeout=0.05).save_batch(())
            assert "locked by another goalkeeper" in str(e.value)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert store.counts()["issues"] == 0

    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="damaged; delete it"):
        Store.open(damaged)


def test_a_renamed_tracker_keeps_the_name_the_goals_use(gh: FakeGitHub, tmp_path: Path) -> None:
    gh.add_issue(TRACKER, number=1, title="Goal", comments=(("ana-k", "hi"),))
    gh.repos["ferrite-lang/rust-project-goals"] = gh.repo(TRACKER)  # GitHub follows renames
    old = "ferrite-lang/rust-project-goals"
    files = {"goalkeeper.toml": f'[project]\ntracker = "{old}"\n',
             "src/2026/g.md": "# G\n\n| Metadata | |\n| --- | --- |\n| Point of contact | @a |\n"
                              f"| Status | Accepted |\n| Tracking issue | [{old}#1] |\n"}
    program = goalkeeper.load(write_tree(tmp_path / "p", files))
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        assert sync(program, c, store).requests == 1
        assert sync(program, c, store).requests == 1  # no straggler fetched by number
        issue = store.issue("ferrite-lang/rust-project-goals", 1)
        assert issue is not None and [x.body for x in issue.comments] == ["hi"]


# -- partial failures, renames, heavy pages, vanished issues -------------------------------


def test_one_bad_link_is_marked_unavailable_and_the_sync_finishes(gh: FakeGitHub, tmp_path: Path) -> None:
    # An SSO-protected organisation (FORBIDDEN with partial data), a deleted repository, a search
    # GitHub cannot parse and one over 256 characters: each is unavailable with its reason.
    long = "label:" + "x" * 260
    gh.add_issue(TRACKER, number=1, title="Goal", comments=(("ana-k", "TL;DR: fine"),),
                 body="| Metadata | |\n| --- | --- |\n"
                      "| See also | secret-org/plans#3, gone-org/deleted#4, ferrite-lang/ferrite#5 |\n"
                      "| Tracked issues | [ferrite-lang/ferrite label:\"F-x](https://github.com) |\n"
                      f"| Tracked issues | [ferrite-lang/ferrite {long}](https://github.com) |\n")
    gh.add_issue("secret-org/plans", number=3, title="Hidden")
    gh.sso_orgs.add("secret-org")
    gh.add_issue("ferrite-lang/ferrite", number=5, title="Fine", state="closed")
    program = tiny_program(tmp_path / "p")
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        report = sync(program, c, store)
        fine = store.linked("ferrite-lang/ferrite", 5)
        assert fine is not None and fine.is_closed  # partial data kept
        reasons = dict(report.unavailable)
    assert reasons["secret-org/plans#3"].startswith("GitHub refused access (Resource protected by "
                                                    "organization SAML enforcement")
    assert reasons["gone-org/deleted#4"] == "not found (deleted, or the token cannot see it)"
    assert reasons['search `ferrite-lang/ferrite label:"F-x`'] == (
        "the search has unbalanced parentheses or quotes")
    assert reasons[f"search `ferrite-lang/ferrite {long}`"].startswith("the search is 3")
    assert gh.invalid_queries == []


def test_unavailable_links_show_in_goals_and_exit_0(gh: FakeGitHub, tmp_path: Path) -> None:
    from click.testing import CliRunner

    import goalkeeper.cli.tracking as cli_tracking
    from goalkeeper.cli.group import main

    gh.add_issue(TRACKER, number=1, title="Goal", body="| See also | secret-org/plans#3 |\n")
    gh.add_issue("secret-org/plans", number=3, title="Hidden")
    gh.sso_orgs.add("secret-org")
    program = tiny_program(tmp_path / "p")
    (program.root / "goalkeeper.toml").write_text(
        f'[project]\nname = "T"\ntracker = "{TRACKER}"\napi_url = "{gh.url}"\n')
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli_tracking, "make_client", lambda program: client(gh))
        done = runner.invoke(main, ["sync", str(program.root)])
    assert done.exit_code == 0, done.stderr
    assert "warning: secret-org/plans#3 is unavailable: GitHub refused access" in done.stderr
    assert done.stderr.count("secret-org/plans#3") == 1
    shown = runner.invoke(main, ["goals", str(program.root)])
    assert "secret-org/plans#3" in shown.stdout and "GitHub refused access" in shown.stdout
    needs = runner.invoke(main, ["attention", str(program.root), "--today", "2026-03-10"])
    assert needs.exit_code == 0, needs.stderr
    [line] = [x for x in needs.stdout.splitlines() if "secret-org/plans#3" in x]
    assert "progress unavailable" in line and "GitHub refused access" in line


def test_an_sso_protected_tracker_is_one_sentence(gh: FakeGitHub, tmp_path: Path) -> None:
    from goalkeeper.errors import ForgeError

    gh.add_issue(TRACKER, number=1, title="Goal")
    gh.sso_orgs.add("ferrite-lang")
    program = tiny_program(tmp_path / "p")
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c, pytest.raises(ForgeError) as e:
        sync(program, c, store)
    assert str(e.value).startswith(f"GitHub refused access to {TRACKER} (Resource protected by")
    assert str(e.value).endswith("organization.); authorise the token for that organisation, or "
                                 "check [project] tracker")


def test_renamed_repositories_are_keyed_by_the_name_asked(gh: FakeGitHub, tmp_path: Path) -> None:
    # A tracking issue with more than 100 comments and a See-also link, in repositories renamed
    # since the documents were written: stored under the old names, fetched once, said once.
    gh.add_issue(TRACKER, number=1, title="Goal", body="| See also | old-org/impl#2 |\n")
    gh.add_issue("old-org/elsewhere", number=7, title="Far",
                 comments=tuple(("ana-k", f"update {k}") for k in range(130)))
    gh.add_issue("old-org/impl", number=2, title="Impl", state="closed")
    gh.rename_repo("old-org/elsewhere", "new-org/elsewhere")
    gh.rename_repo("old-org/impl", "new-org/impl")
    program = tiny_program(tmp_path / "p", (f"{TRACKER}#1", "old-org/elsewhere#7"))
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        report = sync(program, c, store)
        far = store.issue("old-org/elsewhere", 7)
        assert far is not None and len(far.comments) == 130
        impl = store.linked("old-org/impl", 2)
        assert impl is not None and impl.is_closed and impl.repo == "old-org/impl"
        assert dict(report.renamed) == {"old-org/elsewhere": "new-org/elsewhere",
                                        "old-org/impl": "new-org/impl"}
        assert store.aliases() == dict(report.renamed)
        gh.reset_log()
        again = sync(program, c, store)
        assert again.missing == () and again.unavailable == ()
        assert "Linked" not in {r.operation for r in gh.log}  # the renamed link is known, not refetched
        assert len(stored_comments(store)) == 130


def test_a_page_that_times_out_is_asked_again_at_half_size_and_the_size_is_kept(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    populate(gh, 30, 2)
    gh.heavy_limit = 12  # GitHub gives up (502) on pages of more than 12 issues
    program = tiny_program(tmp_path / "p")
    sleeps = Sleeps()
    with Store.open(tmp_path / "db.sqlite3") as store:
        with client(gh, sleeps=sleeps) as c:
            report = sync(program, c, store)
        assert report.issues == 30 and report.page_size == 12
        assert len(store.issues()) == 30
        assert store.page_size(TRACKER) == 12
        gh.reset_log()
        with client(gh, sleeps=sleeps) as c:
            again = sync(program, c, store, full=True)
        assert again.issues == 30
        assert all(r.status == 200 for r in gh.log)  # the size that worked was remembered


def test_deleted_and_transferred_issues_leave_the_cache(gh: FakeGitHub, tmp_path: Path) -> None:
    populate(gh, 5, 1)
    program = tiny_program(tmp_path / "p")
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        sync(program, c, store)
        assert store.numbers(TRACKER) == [1, 2, 3, 4, 5]
        gh.delete_issue(TRACKER, 4)
        gh.transfer_issue(TRACKER, 5, "ferrite-lang/archive")
        report = sync(program, c, store, full=True)
        assert report.dropped == 2 and store.numbers(TRACKER) == [1, 2, 3]
        assert {c.body for i in store.issues() for c in i.comments} == {
            f"update 0 on #{n}" for n in (1, 2, 3)}


def test_a_comment_minimized_after_a_sync_stops_counting_without_an_extra_request(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    gh.add_issue(TRACKER, number=1, title="Goal",
                 comments=(("ana-k", "TL;DR: going well"), ("ana-k", "TL;DR: spam by mistake")))
    gh.add_issue(TRACKER, number=2, title="Later", comments=(("bo", "hi"),))  # the newest change
    program = tiny_program(tmp_path / "p")
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        sync(program, c, store)
        spam = gh.issue(TRACKER, 1).comments[1]
        gh.minimize_comment(TRACKER, 1, spam.id, "SPAM")  # the issue's updatedAt does not move
        again = sync(program, c, store)
        assert again.requests == 1 and again.issues == 1  # only #2, the watermark's own issue
        issue = store.issue(TRACKER, 1)
        assert issue is not None
        assert [(x.is_minimized, x.minimized_reason) for x in issue.comments] == [(False, ""), (True, "spam")]


def test_a_page_with_a_hole_stops_with_one_sentence_and_loses_nothing(gh: FakeGitHub, tmp_path: Path) -> None:
    from goalkeeper.errors import ForgeError

    populate(gh, 3, 2)
    gh.add_issue("ferrite-lang/ferrite", number=9, title="Elsewhere", comments=(("ana-k", "hi"),))
    program = tiny_program(tmp_path / "p", (f"{TRACKER}#1", "ferrite-lang/ferrite#9"))
    with Store.open(tmp_path / "db.sqlite3") as store, client(gh) as c:
        sync(program, c, store)
        before = stored_comments(store)
        gh.add_comment(TRACKER, 3, "ana-k", "new")
        gh.broken.add((TRACKER.lower(), 3))
        with pytest.raises(ForgeError) as e:
            sync(program, c, store)
        assert str(e.value) == (f"reading {TRACKER} issues: GitHub could not read part of the page "
                                "(Something went wrong while executing your query.); run the sync again")
        assert stored_comments(store) == before
        gh.broken = {("ferrite-lang/ferrite", 9)}  # a tracking issue read by number: kept as it was
        sync(program, c, store)
        assert stored_comments(store) == forge_comments(gh) | {
            k: v for k, v in before.items() if v == "hi"}
