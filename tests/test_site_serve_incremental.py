"""`goalkeeper serve` after a save: what is made again, what is kept, and that every page that
shows the change has it (the preview's incremental rebuilds, against full builds)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from goalkeeper.site.serve import Preview

from .conftest import EXAMPLE
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
