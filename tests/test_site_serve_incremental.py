"""`goalkeeper serve` after a save: what is made again, what is kept, and that every page that
shows the change has it (the preview's incremental rebuilds, against full builds)."""

from __future__ import annotations

import os
import shutil
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from goalkeeper.loader import ParseCache, load
from goalkeeper.site.build import SiteBuilder, build_site
from goalkeeper.site.serve import Preview
from goalkeeper.site.watch import Watcher
from goalkeeper.sources import teams as team_data

from .conftest import EXAMPLE, write_tree
from .test_site_serve import request, wait_until

GOAL = "src/2026/kernel-target.md"
TITLE = "# Ferrite for Kernels: freestanding kernel targets"
#: the pages that show the goal's title (the navigation and previous/next links show SUMMARY.md's):
#: a page of the milestone whose directive lists it, and pages made from the program
LISTING_PAGES = ("/2026/goals.html", "/areas.html", "/champions.html", "/dashboard.html", "/highlights.html",
                 "/teams/compiler.html", "/teams/infra.html", "/teams/lang.html")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dst = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, dst)
    return dst


@pytest.fixture
def preview(root: Path) -> Iterator[Preview]:
    p = Preview(root, port=0, poll=0.02)
    p.start()
    yield p
    p.close()


def edit(root: Path, path: str, old: str, new: str) -> None:
    f = root / path
    text = f.read_text()
    assert old in text
    f.write_text(text.replace(old, new, 1))


def page(p: Preview, url: str) -> bytes:
    status, _, body = request(p, url)
    assert status == 200, (url, status)
    return body


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux only")
def test_a_save_wakes_the_watcher_without_waiting_for_a_poll(root: Path) -> None:
    with Preview(root, port=0, poll=60) as p:  # no scan for a minute: only inotify can notice
        p.start()
        assert p._watcher.wakes
        token = p.state.token
        edit(root, GOAL, TITLE, "# Kernels, noticed at once")
        wait_until(lambda: p.state.token != token, timeout=10)
        assert b"Kernels, noticed at once" in page(p, "/2026/kernel-target.html")
        # a new folder is watched too (a milestone created while serving)
        (root / "src/2027").mkdir()
        token = p.state.token
        (root / "src/2027/new-goal.md").write_text((root / GOAL).read_text().replace(
            "# Kernels, noticed at once", "# A goal in a new folder", 1))
        wait_until(lambda: b"A goal in a new folder" in request(p, "/2027/new-goal.html")[2],
                   timeout=10)
        assert p.state.token != token


def test_pages_made_from_the_program_show_a_saved_change(preview: Preview, root: Path) -> None:
    # made on request (lazily) in the preview: asking for them after the save gives the new text
    for url in LISTING_PAGES:
        assert b"Ferrite for Kernels: freestanding kernel targets" in page(preview, url), url
    token = preview.state.token
    edit(root, GOAL, TITLE, "# Kernels, renamed")
    wait_until(lambda: preview.state.token != token)
    for url in LISTING_PAGES:
        body = page(preview, url)
        assert b"Kernels, renamed" in body and b"freestanding kernel targets" not in body, url
    for url in ("/2026/kernel-target.html", "/search-index.js", "/print.html"):
        assert b"Kernels, renamed" in page(preview, url), url


def test_a_change_only_pages_made_on_request_show_reloads(preview: Preview, root: Path) -> None:
    # an override of the teams page's template: every page made up front keeps its bytes, yet
    # open pages reload (one may be the teams page)
    before = {u: page(preview, u) for u in ("/2026/kernel-target.html", "/2026/goals.html")}
    token = preview.state.token
    (root / "templates").mkdir()
    (root / "templates" / "teams.html").write_text(
        "{% extends 'base.html' %}{% block content %}Our own teams page{% endblock %}")
    wait_until(lambda: preview.state.token != token)
    assert b"Our own teams page" in page(preview, "/teams/index.html")
    for url, body in before.items():
        assert page(preview, url).split(b"/__goalkeeper/live.js")[0] == body.split(
            b"/__goalkeeper/live.js")[0]


def test_a_broken_override_of_a_page_made_on_request_is_shown(preview: Preview, root: Path) -> None:
    (root / "templates").mkdir()
    token = preview.state.token
    (root / "templates" / "dashboard.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ no_such_thing }}{% endblock %}")
    wait_until(lambda: preview.state.token != token)
    status, _, body = request(preview, "/dashboard.html")
    assert status == 500 and b"no_such_thing" in body and b"/__goalkeeper/live.js" in body
    assert page(preview, "/2026/kernel-target.html")  # the rest is served
    (root / "templates" / "dashboard.html").unlink()
    wait_until(lambda: request(preview, "/dashboard.html")[0] == 200)


# --------------------------------------------------------------------------- rebuilds in-process


class Live:
    """What the preview keeps between builds (its parse cache and builder), without a server."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache = ParseCache()
        self.builder = SiteBuilder(lazy=True)
        self.site = self.builder.build(load(root, cache=self.cache))

    def rebuild(self) -> tuple[dict[str, bytes], dict[str, bytes]]:
        """Build again; the document pages' bytes before and after."""
        before = {u: self.site.files[u] for u in self.site.sources}
        self.site = self.builder.build(load(self.root, cache=self.cache))
        return before, {u: self.site.files[u] for u in self.site.sources}

    def assert_same_as_a_full_build(self) -> None:
        fresh = build_site(load(self.root))
        assert list(self.site.files) == list(fresh.files)
        for url in fresh.files:  # the pages made on request too
            assert self.site.files[url] == fresh.files[url], url


def save(root: Path, path: str, old: str, new: str) -> None:
    """Edit a file as a later save would: its modification time moves on even when two saves
    fall in one tick of the file system's clock (the preview tells changes by time and size)."""
    f = root / path
    was = f.stat().st_mtime_ns
    edit(root, path, old, new)
    if f.stat().st_mtime_ns <= was:
        os.utime(f, ns=(was + 1_000_000, was + 1_000_000))


@pytest.fixture
def live(root: Path) -> Live:
    return Live(root)


def kept(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The pages whose bytes are the very same object: not made again."""
    return {u for u in after if u in before and after[u] is before[u]}


def test_a_body_edit_remakes_only_its_own_page(live: Live, root: Path) -> None:
    read, parsed = live.cache.read, live.cache.parsed
    save(root, GOAL, "## Motivation\n", "## Motivation\n\nA sentence added by a test.\n")
    before, after = live.rebuild()
    assert live.cache.read == read + 1 and live.cache.parsed == parsed + 1
    assert (live.builder.prepared, live.builder.rendered, live.builder.templated) == (1, 1, 1)
    assert kept(before, after) == set(after) - {"2026/kernel-target.html"}
    assert b"A sentence added by a test." in after["2026/kernel-target.html"]
    live.assert_same_as_a_full_build()


def test_a_title_edit_remakes_the_pages_that_list_the_goal(live: Live, root: Path) -> None:
    save(root, GOAL, TITLE, "# Kernels, retitled")
    before, after = live.rebuild()
    changed = {u for u in after if after[u] != before.get(u)}
    assert {"2026/kernel-target.html", "2026/goals.html"} <= changed
    assert b"Kernels, retitled" in after["2026/goals.html"]
    # a page is templated only when what it shows changed; other milestones' are kept
    assert live.builder.templated == len(changed)
    assert set(after) - changed == kept(before, after)
    assert not any(u.startswith("2025h2/") for u in changed)
    # documents of the milestone without a directive (most goals) are not prepared again
    mine = [p for p in live.site.sources.values() if p.startswith("src/2026/")]
    plain = [p for p in mine if p != GOAL and "roadmap-" not in p
             and not any(m in (root / p).read_text() for m in ("(((", "<!--"))]
    assert plain and live.builder.prepared == len(mine) - len(plain)
    live.assert_same_as_a_full_build()


def test_the_saved_page_first_the_pages_that_list_it_on_request(root: Path) -> None:
    cache, builder = ParseCache(), SiteBuilder(lazy=True)
    first = builder.build(load(root, cache=cache))
    listing = first.files["2026/goals.html"]
    save(root, GOAL, TITLE, "# Kernels, retitled")
    site = builder.build(load(root, cache=cache))
    # the saved document's page is made with the build; the milestone page that lists the goal
    # (a document of its own, unchanged) when it is asked for
    assert "2026/kernel-target.html" not in site.files.waiting()
    assert "2026/goals.html" in site.files.waiting()
    assert builder.templated == 1
    made = site.files["2026/goals.html"]
    assert b"Kernels, retitled" in made and made != listing
    # what was made on request is kept by the next build as if it had made it
    save(root, GOAL, "## Motivation\n", "## Motivation\n\nA sentence added by a test.\n")
    again = builder.build(load(root, cache=cache))
    assert "2026/goals.html" not in again.files.waiting()
    assert again.files["2026/goals.html"] is made
    assert (builder.prepared, builder.rendered, builder.templated) == (1, 1, 1)


def test_a_status_edit_moves_the_goal_between_listings(live: Live, root: Path) -> None:
    assert b"Kernel targets" not in live.site.files["2026/not_accepted.html"]
    save(root, GOAL, "| Status              | Accepted ", "| Status              | Not accepted ")
    _, after = live.rebuild()
    assert b"freestanding kernel targets" in after["2026/not_accepted.html"]
    assert b"freestanding kernel targets" not in after["2026/goals.html"]
    assert b"freestanding kernel targets" in live.site.files["not-accepted.html"]
    live.assert_same_as_a_full_build()


def test_a_team_ask_edit_updates_the_team_pages(live: Live, root: Path) -> None:
    assert b"freestanding kernel targets" in live.site.files["teams/infra.html"]
    row = "| [infra]    | Small         | CI capacity for two more targets"
    text = (root / GOAL).read_text()
    line = text[text.index(row):text.index("\n", text.index(row)) + 1]
    save(root, GOAL, line, "")
    live.rebuild()
    assert b"freestanding kernel targets" not in live.site.files["teams/infra.html"]
    live.assert_same_as_a_full_build()


def test_a_summary_edit_expands_the_milestone_again(live: Live, root: Path) -> None:
    # directives show a goal's summary (not its other sections): its milestone's pages are
    # expanded again, and show it where they do
    save(root, "src/2026/pattern-types.md", "Write and land the RFC", "Draft and land the RFC")
    live.rebuild()
    assert live.builder.prepared > 1
    live.assert_same_as_a_full_build()


def test_deleting_and_adding_a_goal(live: Live, root: Path) -> None:
    text = (root / "src/2026/pattern-types.md").read_text()
    (root / "src/2026/pattern-types.md").unlink()
    live.rebuild()
    assert "2026/pattern-types.html" not in live.site.files
    live.assert_same_as_a_full_build()
    (root / "src/2026/range-types.md").write_text(text.replace("\n", "\n\nRenamed.\n", 1))
    live.rebuild()
    assert "2026/range-types.html" in live.site.files
    live.assert_same_as_a_full_build()


def test_a_page_edit_remakes_that_page(live: Live, root: Path) -> None:
    save(root, "src/2026/roadmaps.md", "(((ROADMAPS)))", "Edited by a test.\n\n(((ROADMAPS)))")
    before, after = live.rebuild()
    assert (live.builder.prepared, live.builder.rendered, live.builder.templated) == (1, 1, 1)
    assert kept(before, after) == set(after) - {"2026/roadmaps.html"}
    live.assert_same_as_a_full_build()
    # the navigation's own file: every page's previous/next links may change
    save(root, "src/SUMMARY.md", "- [Ferrite for Kernels: freestanding kernel targets]",
         "- [Kernels, as the navigation names them]")
    live.rebuild()
    live.assert_same_as_a_full_build()


def test_a_configuration_edit(live: Live, root: Path) -> None:
    config = root / "goalkeeper.toml"
    text = config.read_text()
    config.write_text(text + "\n# a comment changes nothing\n")
    before, after = live.rebuild()
    assert live.builder.prepared == 0 and kept(before, after) == set(after)
    # a new ask type changes what directives may show: every document is prepared again
    config.write_text(text.replace('[ask_types]', '[ask_types]\n"Tea" = { short = "tea" }', 1))
    live.rebuild()
    assert live.builder.prepared == len(live.site.sources)
    live.assert_same_as_a_full_build()


def test_edits_on_the_real_repository(rust_goals: Path, tmp_path: Path) -> None:
    root = tmp_path / "goals"
    shutil.copytree(rust_goals, root)
    live = Live(root)
    goal = next(p for p in sorted((root / "src/2026").glob("*.md")) if p.name[0].islower()
                and not p.name.startswith("roadmap-") and p.name not in ("goals.md",)
                and (p.read_text().count("\n## ") >= 2))
    rel = goal.relative_to(root).as_posix()
    text = goal.read_text()
    second = text.index("\n## ", text.index("\n## ") + 1)
    # a paragraph in a section directives do not show: only the goal's own page is made again
    save(root, rel, text[second:second + 4], "\n\nAn added paragraph.\n" + text[second:second + 4])
    before, after = live.rebuild()
    assert (live.builder.prepared, live.builder.templated) == (1, 1)
    assert len(kept(before, after)) == len(after) - 1
    # its title: the milestone's listings show the new one
    title = next(line for line in text.splitlines() if line.startswith("# "))
    save(root, rel, title, "# A title no listing had before")
    live.rebuild()
    assert live.builder.prepared > 1
    live.assert_same_as_a_full_build()


def test_team_data_is_read_again_only_when_it_changed(rust_goals: Path, rust_teams: Path,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    teams = tmp_path / "team"
    shutil.copytree(rust_teams / "teams", teams / "teams")
    shutil.copytree(rust_teams / "people", teams / "people")
    reads: list[str] = []
    for name in ("load_teams", "load_people"):  # (the loader imports them when it needs them)
        real = getattr(team_data, name)
        monkeypatch.setattr(team_data, name, lambda path, real=real, name=name: (
            reads.append(name), real(path))[1])
    cache = ParseCache()
    first = load(rust_goals, teams=teams, cache=cache)
    again = load(rust_goals, teams=teams, cache=cache)
    assert sorted(reads) == ["load_people", "load_teams"]  # once each
    assert again.teams == first.teams and again.people == first.people
    assert again.diagnostics == first.diagnostics
    lang = teams / "teams" / "lang.toml"
    text = lang.read_text()
    lang.write_text(text.replace('"joshtriplett",\n', '"joshtriplett",\n    "a-new-member",\n', 1))
    changed = load(rust_goals, teams=teams, cache=cache)
    assert changed.teams["lang"].has_member("a-new-member")
    assert not first.teams["lang"].has_member("a-new-member")
    assert reads.count("load_teams") == 2


# --------------------------------------------------------------------------- the watcher


def test_the_watcher_without_inotify_finds_changes_by_polling(root: Path) -> None:
    w = Watcher(root, [root / "src", root / "templates"], wake=False)
    try:
        assert not w.wakes
        goal = root / GOAL
        save(root, GOAL, TITLE, "# Polled")
        (root / "src/2026/new.md").write_text("# New\n")
        (root / "src/2026/fallible-alloc.md").unlink()
        (root / ".hidden.md").write_text("not watched")
        w.wait(0.01)  # (a poll interval)
        assert w.changes() == {str(goal), str(root / "src/2026/new.md"),
                               str(root / "src/2026/fallible-alloc.md")}
        assert w.changes() == set()
    finally:
        w.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux only")
def test_the_watcher_wakes_on_a_save_and_on_interrupt(root: Path) -> None:
    w = Watcher(root, [root / "src", root / "templates"])
    try:
        assert w.wakes

        def waiting() -> threading.Thread:
            t = threading.Thread(target=w.wait, args=(60,), daemon=True)
            t.start()
            return t

        t = waiting()
        save(root, GOAL, TITLE, "# Woken")
        t.join(timeout=10)
        assert not t.is_alive() and w.changes() == {str(root / GOAL)}
        # a folder made after the start is watched from the next scan on
        (root / "templates").mkdir()
        t = waiting()
        t.join(timeout=10)
        assert not t.is_alive()
        w.changes()
        t = waiting()
        (root / "templates" / "goal.html").write_text("{% extends 'base.html' %}")
        t.join(timeout=10)
        assert not t.is_alive() and w.changes() == {str(root / "templates" / "goal.html")}
        t = waiting()
        w.interrupt()
        t.join(timeout=10)
        assert not t.is_alive()
    finally:
        w.close()


def test_a_client_that_resets_its_connection_is_not_an_error(
        preview: Preview, capsys: pytest.CaptureFixture[str]) -> None:
    host, port = preview.address.removeprefix("http://").rstrip("/").rsplit(":", 1)
    for _ in range(3):
        s = socket.create_connection((host, int(port)), timeout=5)
        s.sendall(b"GET /api/roadmaps HTTP/1.1\r\nHost: x\r\n\r\n")
        s.recv(1)  # the answer has begun; the rest is left unread
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()  # a reset, as a browser closing a tab may send
    assert request(preview, "/api/roadmaps")[0] == 200
    time.sleep(0.2)
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux only")
def test_a_file_made_in_a_new_folder_before_its_watch_is_found(root: Path) -> None:
    w = Watcher(root, [root / "src", root / "templates"])
    try:
        assert w._inotify is not None
        (root / "src/2027").mkdir()
        made = root / "src/2027/new-goal.md"
        real = w._inotify.watch

        def late_watch(folders: object) -> bool:  # the file comes between scan and watch
            if not made.exists():
                made.write_text("# New\n")
            return real(folders)  # type: ignore[arg-type]

        w._inotify.watch = late_watch  # type: ignore[method-assign]
        assert str(made) in w.changes()  # (no event will ever say so)
    finally:
        w.close()


def test_a_team_data_edit_reloads(root: Path, tmp_path: Path) -> None:
    team = write_tree(tmp_path / "team", {
        "teams/lang.toml": '''
            name = "lang"
            [people]
            leads = ["borislav"]
            members = ["borislav"]
            ''',
        "people/borislav.toml": 'name = "Borislav"\n',
        "repos/unwatched.toml": "x = 1\n",
    })
    with Preview(root, port=0, poll=0.02, teams=team) as p:
        p.start()
        assert b"rosa-m" not in page(p, "/teams/lang.html")
        token = p.state.token
        lang = team / "teams" / "lang.toml"
        lang.write_text(lang.read_text().replace('members = ["borislav"]',
                                                 'members = ["borislav", "rosa-m"]'))
        wait_until(lambda: p.state.token != token, timeout=10)
        assert b"rosa-m" in page(p, "/teams/lang.html")
        assert str(team / "repos/unwatched.toml") not in p._watcher.snapshot()
