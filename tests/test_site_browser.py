"""End to end, in a real browser: Debian's chromium driven by Playwright (never downloaded).

The built site of the bundled example is opened from `file://`: navigation to a goal, search,
the dashboard, dark mode, the phone layout; then `goalkeeper serve` reloads an open page when its
document is saved. Screenshots are kept under artifacts/browser/ (gitignored) for review.
Skipped with a reason when chromium or Playwright is absent, unless CI is set: then it fails.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import goalkeeper
from goalkeeper.site import build_site, write_site
from goalkeeper.site.serve import Preview

from .browser import chromium
from .conftest import EXAMPLE, ROOT

ARTIFACTS = ROOT / "artifacts" / "browser"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield from chromium()


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    write_site(build_site(goalkeeper.load(EXAMPLE)), out)
    return out


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.set_default_timeout(15000)  # a loaded 2-core CI machine; only a failure waits this long
    yield p
    context.close()
    assert errors == [], errors


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_navigate_from_home_to_a_goal(page: Any, site_dir: Path) -> None:
    page.goto((site_dir / "index.html").as_uri())
    assert page.locator("h1").first.inner_text() == "Ferrite Project Goals"
    page.locator("nav.sidebar").get_by_role("link", name="Stabilize pattern types").click()
    page.wait_for_url("**/2026/pattern-types.html")
    assert page.locator("article h1").inner_text() == "Stabilize pattern types"
    table = page.locator("article table").first
    assert table.locator("td", has_text="Teams").count() == 1
    assert table.locator("td", has_text="Task owners").count() == 1
    current = page.locator('nav.sidebar a[aria-current="page"]')
    assert current.inner_text() == "Stabilize pattern types"
    shot(page, "goal")
    # a team link in the injected row leads to the team's page
    table.locator("td", has_text="Teams").locator("xpath=..").get_by_role("link", name="lang").click()
    page.wait_for_url("**/teams/lang.html")
    assert "Language team" in page.locator("h1").inner_text()


def test_search_titles_people_and_teams(page: Any, site_dir: Path) -> None:
    page.goto((site_dir / "2026" / "goals.html").as_uri())
    box = page.locator(".search-input")
    box.click()
    box.fill("kernel")
    results = page.locator(".search-results a")
    results.first.wait_for()
    titles = results.all_inner_texts()
    assert any("Ferrite for Kernels" in t for t in titles), titles
    shot(page, "search-dropdown")
    box.fill("Rosa Marín")  # a person, by name
    page.wait_for_function(
        "() => [...document.querySelectorAll('.search-results a')]"
        ".some(a => a.textContent.includes('kernel targets'))"
    )
    results.filter(has_text="kernel targets").first.click()
    page.wait_for_url("**/2026/kernel-target.html")
    # the search page, with a team name
    page.goto((site_dir / "search.html").as_uri() + "?q=infra")
    page.locator(".search-page-results a").first.wait_for()
    assert "result" in page.locator(".search-status").inner_text()
    assert page.locator(".search-page-results a", has_text="Infrastructure team").count() >= 1
    shot(page, "search-page")


def test_dashboard(page: Any, site_dir: Path) -> None:
    page.goto((site_dir / "index.html").as_uri())
    page.locator("nav.sidebar").get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/dashboard.html")
    # drawn in the browser by the vendored Chartist, from the numbers in the page
    page.locator(".chart svg.ct-chart-bar").first.wait_for()
    charts = page.locator(".chart svg.ct-chart-bar")
    assert charts.count() == 4  # statuses, team load per milestone, minutes
    assert page.locator(".chart").first.get_attribute("role") == "img"
    assert page.locator(".chart .ct-bar").count() >= 8
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 50
    assert page.get_by_text("No tracking data yet").is_visible()
    page.locator("#team-load").scroll_into_view_if_needed()
    shot(page, "dashboard")


def test_dark_mode_toggle_persists(page: Any, site_dir: Path) -> None:
    page.goto((site_dir / "dashboard.html").as_uri())
    def bg() -> str:
        return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    light = bg()
    assert light == "rgb(255, 255, 255)"
    page.locator(".theme-toggle").click()
    page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
    dark = bg()
    assert dark != light and dark == "rgb(22, 24, 27)"
    # charts follow the theme: their text is drawn in the page's text colour
    page.locator(".chart .ct-label").first.wait_for()
    ink = page.evaluate("getComputedStyle(document.querySelector('.chart .ct-label')).color")
    assert ink == page.evaluate("getComputedStyle(document.body).color")
    shot(page, "dashboard-dark")
    page.goto((site_dir / "2026" / "kernel-target.html").as_uri())
    assert bg() == dark  # remembered across pages
    shot(page, "goal-dark")
    page.locator(".theme-toggle").click()
    page.wait_for_function("document.documentElement.dataset.theme !== 'dark'")
    assert bg() == light


def test_phone_layout(browser: Any, site_dir: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    p = context.new_page()
    try:
        p.goto((site_dir / "2026" / "kernel-target.html").as_uri())
        sidebar = p.locator("nav.sidebar")
        box = sidebar.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 0  # the drawer is closed
        width = p.evaluate("document.documentElement.clientWidth")
        assert p.evaluate("document.querySelector('main').scrollWidth") <= width + 1
        shot(p, "phone-goal")
        p.locator(".menu-button").click()
        p.wait_for_timeout(300)  # the drawer slides in
        box = sidebar.bounding_box()
        assert box is not None and box["x"] >= 0
        shot(p, "phone-menu")
    finally:
        context.close()


def test_live_reload_in_the_browser(page: Any, tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    with Preview(root, port=0, poll=0.02) as preview:
        preview.start()
        page.goto(preview.address + "2026/kernel-target.html")
        assert page.locator("article h1").inner_text() == "Ferrite for Kernels: freestanding kernel targets"
        page.evaluate("window.__notReloaded = true")
        goal = root / "src" / "2026" / "kernel-target.md"
        text = goal.read_text()
        goal.write_text(text.replace("# Ferrite for Kernels: freestanding kernel targets",
                                     "# Kernels, edited live", 1))
        page.wait_for_function(
            "() => document.querySelector('article h1')?.textContent === 'Kernels, edited live'",
            timeout=10000,
        )
        assert page.evaluate("window.__notReloaded === undefined")
        shot(page, "live-reload")
        # a document that stops parsing shows its diagnostics instead of breaking the server
        goal.write_text(text.replace("| Status              | Accepted", "| Status | Acepted", 1))
        page.locator(".diagnostics").wait_for(timeout=10000)
        assert "unknown-status" in page.locator(".diagnostics").inner_text()
        shot(page, "live-diagnostics")


def test_live_reload_of_the_pages_that_list_a_goal(page: Any, tmp_path: Path) -> None:
    # open: a milestone page whose directive lists the goal (made from a document) and a team's
    # page (made from the program, on request); a save of the goal's title reloads both
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    with Preview(root, port=0, poll=0.02) as preview:
        preview.start()
        team = page.context.new_page()
        page.goto(preview.address + "2026/goals.html")
        team.goto(preview.address + "teams/compiler.html")
        for p in (page, team):
            assert "Ferrite for Kernels: freestanding kernel targets" in p.locator("main").inner_text()
            p.evaluate("window.__notReloaded = true")
        goal = root / "src" / "2026" / "kernel-target.md"
        goal.write_text(goal.read_text().replace(
            "# Ferrite for Kernels: freestanding kernel targets", "# Kernels, listed anew", 1))
        for p in (page, team):
            p.wait_for_function("() => document.querySelector('main')?.textContent"
                                ".includes('Kernels, listed anew')", timeout=10000)
            assert p.evaluate("window.__notReloaded === undefined")
            assert "freestanding kernel targets" not in p.locator("main").inner_text()
