"""Where pages live: the published goals site's URLs, and relative links between them."""

from __future__ import annotations

import pytest

from goalkeeper.model import Goal, Roadmap
from goalkeeper.site import urls


@pytest.mark.parametrize(
    ("source", "url"),
    [
        ("2026/parallel-codegen.md", "2026/parallel-codegen.html"),
        ("2026/roadmap-fast-builds.md", "2026/roadmap-fast-builds.html"),
        ("2026/README.md", "2026/index.html"),
        ("README.md", "index.html"),
        ("about/goal-format.md", "about/goal-format.html"),
        ("admin/samples/cfp.md", "admin/samples/cfp.html"),
        ("admin/samples/readme.md", "admin/samples/index.html"),
        ("images/chart.png", "images/chart.png"),
    ],
)
def test_page_url(source: str, url: str) -> None:
    assert urls.page_url(source) == url


def test_goal_and_roadmap_urls_follow_their_documents() -> None:
    g = Goal("2026", "build-std", "src/2026/build-std.md", "Build std", "Build std", "Accepted")
    r = Roadmap("2026", "fast-builds", "src/2026/roadmap-fast-builds.md", "Fast builds", "Fast builds")
    assert urls.goal_url(g) == "2026/build-std.html"
    assert urls.roadmap_url(r) == "2026/roadmap-fast-builds.html"
    assert urls.goal_url(g, "src/") == "2026/build-std.html"
    g_root = Goal("2026", "x", "2026/x.md", "X", "X", "Accepted")
    assert urls.goal_url(g_root, ".") == "2026/x.html"


def test_team_urls_are_safe_file_names() -> None:
    assert urls.team_url("lang") == "teams/lang.html"
    assert urls.team_url("libs-api") == "teams/libs-api.html"
    assert urls.team_url("../../etc") == "teams/..-..-etc.html"
    assert urls.team_url("a b/c") == "teams/a-b-c.html"


@pytest.mark.parametrize(
    ("start", "target", "link"),
    [
        ("index.html", "2026/x.html", "2026/x.html"),
        ("2026/a.html", "2026/x.html", "x.html"),
        ("2026/a.html", "teams/lang.html", "../teams/lang.html"),
        ("admin/samples/cfp.html", "index.html", "../../index.html"),
        ("2026/a.html", "2026/x.html#funding", "x.html#funding"),
        ("2026/a.html", "#top", "#top"),
    ],
)
def test_relative_links(start: str, target: str, link: str) -> None:
    assert urls.relative(start, target) == link


def test_root_prefix() -> None:
    assert urls.root_prefix("index.html") == "./"  # never "": a file name may look like a scheme
    assert urls.relative("a.html", "javascript:x.html") == "./javascript:x.html"
    assert urls.root_prefix("2026/x.html") == "../"
    assert urls.root_prefix("admin/samples/cfp.html") == "../../"
