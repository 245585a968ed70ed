"""Accessibility and the published site's URLs, in Debian's chromium (as tests/test_site_browser.py
drives it): axe-core (vendored in tests/vendor/axe-core) finds no serious or critical violation
on the home, milestone, goal, team, dashboard, search and 404 pages, light and dark, desktop
and phone; the menu works from the keyboard on a phone; redirects keep the fragment; the 404
page works at any depth; a hostile repository's site runs no script of its own.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import goalkeeper
from goalkeeper.site import build_site, write_site
from goalkeeper.site.serve import Preview

from .browser import chromium
from .conftest import EXAMPLE, write_tree

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PAGES = ["index.html", "2026/index.html", "2026/kernel-target.html", "teams/lang.html",
         "dashboard.html", "search.html?q=kernel", "404.html"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium()


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("a11y") / "site"
    root = tmp_path_factory.mktemp("a11y-src") / "ferrite"
    shutil.copytree(EXAMPLE, root)
    write_tree(root, {"book.toml": """
        [output.html]
        edit-url-template = "https://github.com/ferrite-lang/goals/edit/main/{path}"

        [output.html.fold]
        enable = true
        level = 0

        [output.html.redirect]
        "/2026/reference.html" = "goals.html"
        "/introduction.html" = "index.html"
        """})
    write_site(build_site(goalkeeper.load(root)), out)
    return out


def _serious(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
          .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""")
    return list(result)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_no_serious_accessibility_violations(browser: Any, site_dir: Path, theme: str,
                                             viewport: str) -> None:
    size = DESKTOP if viewport == "desktop" else PHONE
    context = browser.new_context(viewport=size, color_scheme=theme, is_mobile=viewport == "phone")
    page = context.new_page()
    page.set_default_timeout(10000)
    found = {}
    try:
        for url in PAGES:
            path, _, query = url.partition("?")
            page.goto((site_dir / path).as_uri() + (f"?{query}" if query else ""))
            if query:
                page.locator(".search-page-results a").first.wait_for()
            problems = _serious(page)
            if problems:
                found[url] = problems
    finally:
        context.close()
    assert found == {}


def test_menu_by_keyboard_on_a_phone(browser: Any, site_dir: Path) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    try:
        page.goto((site_dir / "2026" / "kernel-target.html").as_uri())
        # hidden navigation links are out of the tab order
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "menu-button"
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.closest('nav.sidebar') !== null")
        assert page.evaluate("document.activeElement.getAttribute('aria-current')") == "page"
        page.keyboard.press("Shift+Tab")  # within the open drawer, entries are reachable
        assert page.evaluate("document.activeElement.closest('nav.sidebar') !== null")
        page.keyboard.press("Escape")
        assert page.evaluate("document.activeElement.className") == "menu-button"
        page.wait_for_timeout(300)
        assert not page.locator("nav.sidebar a").first.is_visible()
    finally:
        context.close()


def test_fold_opens_the_current_section_only(browser: Any, site_dir: Path) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto((site_dir / "2026" / "kernel-target.html").as_uri())
        goals = page.locator("nav.sidebar li.nav-branch", has=page.locator("a[aria-current]"))
        assert goals.count() >= 1 and "folded" not in (goals.last.get_attribute("class") or "")
        branches = page.locator("nav.sidebar li.nav-branch")
        states = [b.get_attribute("class") or "" for b in branches.all()]
        assert "folded" in " ".join(states)  # [output.html.fold] level 0: the others start folded
        first = next(i for i, c in enumerate(states) if "folded" in c)
        button = branches.nth(first).locator(":scope > .nav-row > .nav-fold")
        assert button.get_attribute("aria-expanded") == "false"
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
    finally:
        context.close()


def test_redirects_keep_the_fragment(browser: Any, site_dir: Path) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto((site_dir / "2026" / "reference.html").as_uri() + "#goals-by-team")
        page.wait_for_url("**/2026/goals.html#goals-by-team")
        page.goto((site_dir / "introduction.html").as_uri())
        page.wait_for_url("**/index.html")
    finally:
        context.close()


def test_not_found_page_at_any_depth(browser: Any, tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        with Preview(root, port=0, poll=0.05) as preview:
            preview.start()
            for missing in ("nowhere.html", "2026/deeper/still/nowhere.html", "goals/2026/x/y.html"):
                response = page.goto(preview.address + missing)
                assert response is not None and response.status == 404
                assert page.locator("h1").inner_text() == "Page not found"
                # styled, and its links lead into the site
                assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
                page.locator("main a", has_text="home page").click()
                page.wait_for_load_state()
                assert page.locator("h1").first.inner_text() == "Ferrite Project Goals"
    finally:
        context.close()


def test_hostile_repository_runs_no_script(browser: Any, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root)
    write_tree(root, {
        "src/javascript:alert(1).md": "# Click me\n\nText.\n",
        "src/2026/clobber.md": '# Clobber\n\n<a id="MiniSearch">x</a> <a id="goalkeeperNav">y</a>\n'
                               '<img src=x onerror="alert(2)">\n',
    })
    summary = root / "src/SUMMARY.md"
    summary.write_text(summary.read_text() + "\n- [Click me](javascript:alert(1).md)\n"
                       "- [Clobber](./2026/clobber.md)\n")
    out = tmp_path / "site"
    write_site(build_site(goalkeeper.load(root)), out)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((out / "2026" / "clobber.html").as_uri())
        page.locator("nav.sidebar").get_by_role("link", name="Click me").click()
        page.wait_for_url("**/javascript:alert(1).html")
        assert page.locator("h1").inner_text() == "Click me"
        page.goto((out / "2026" / "clobber.html").as_uri())
        box = page.locator(".search-input")
        box.fill("kernel")  # search still works: MiniSearch was not clobbered
        page.locator(".search-results a").first.wait_for()
        page.wait_for_timeout(200)
    finally:
        context.close()
    assert dialogs == [] and errors == []
    assert os.path.exists(out / "javascript:alert(1).html")


def test_real_repository_pages_have_no_serious_violations(browser: Any, rust_goals: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(build_site(goalkeeper.load(rust_goals)), out)
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    page = context.new_page()
    page.set_default_timeout(20000)
    found = {}
    try:
        for url in ("2026/goals.html", "2026/polonius.html", "2025h2/index.html", "teams/lang.html"):
            page.goto((out / url).as_uri())
            if problems := _serious(page):
                found[url] = problems
    finally:
        context.close()
    assert found == {}


def test_search_on_a_phone_tells_its_true_count(browser: Any, site_dir: Path) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto((site_dir / "2026" / "kernel-target.html").as_uri())
        page.locator(".search-input").fill("a")  # matches (nearly) everything
        first = page.locator(".search-results a").first
        first.wait_for()
        box = page.locator(".search-results").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert first.bounding_box()["height"] >= 24  # a touch target
        more = page.locator(".search-results a.more")
        count = int(more.inner_text().split()[1])
        assert count > 10
        more.click()
        page.wait_for_url("**/search.html?q=a")
        page.locator(".search-page-results a").first.wait_for()
        status = page.locator(".search-status").inner_text()
        assert status.startswith(f"{count} results")
        shown = page.locator(".search-page-results li").count()
        assert shown == min(count, 50)
    finally:
        context.close()
