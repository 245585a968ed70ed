"""Navigation from SUMMARY.md, the program overviews, charts and the loader's parse cache."""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import textwrap
from pathlib import Path

import goalkeeper
from goalkeeper.loader import ParseCache
from goalkeeper.site.charts import stacked_bars
from goalkeeper.site.html import Linker, LinkProblem
from goalkeeper.site.nav import NavItem, from_summary
from goalkeeper.views import overview

from .conftest import EXAMPLE, write_tree

SUMMARY = textwrap.dedent("""\
    # Summary

    [Introduction](./README.md)

    # ⏳ 2026 goal process

    - [Overview](./2026/README.md)
    - [Goals](./2026/goals.md)
        - [Widgets](./2026/widgets.md)
    * [Archived goal lists]()
        * [2024H2](./2024h2/README.md)
            * [Goals](./2024h2/goals.md)

    ```
    - [Not an entry](./nope.md)
    ```

    ---
    [Roadmap `speed`](./2026/roadmap-speed.md)
""")


def titles(items: list[NavItem]) -> list[object]:
    return [(i.title, i.url, titles(i.children)) if i.children else (i.title, i.url) for i in items]


def test_summary_structure_drafts_and_missing_entries(program_tree: Path) -> None:
    program = goalkeeper.load(program_tree)
    docs = {
        "src/2026/README.md": "2026/index.html",
        "src/2026/widgets.md": "2026/widgets.html",
        "src/2026/roadmap-speed.md": "2026/roadmap-speed.html",
    }
    linker = Linker("src", docs, frozenset(docs.values()))
    problems: list[LinkProblem] = []
    nav = from_summary(SUMMARY, "src/SUMMARY.md", linker, program, problems)
    assert titles(nav) == [
        ("Introduction", None),
        ("⏳ 2026 goal process", None),
        ("Overview", "2026/index.html"),
        ("Goals", None, [("Widgets", "2026/widgets.html")]),
        ("Archived goal lists", None, [("2024H2", None, [("Goals", None)])]),
        ("Roadmap `speed`", "2026/roadmap-speed.html"),
    ]
    assert nav[1].part and not nav[2].part
    assert [(p.line, p.target) for p in problems] == [
        (3, "./README.md"), (8, "./2026/goals.md"), (11, "./2024h2/README.md"), (12, "./2024h2/goals.md"),
    ]
    assert "milestone `2024h2` is not in this repository" in problems[2].message
    assert nav[4].children[0].missing == problems[2].message


def test_goal_chapters_directive_lists_the_goals(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "src/SUMMARY.md": "- [Goals](./2026/goals.md)\n",
        "src/2026/goals.md": "# Goals\n\n(((GOAL CHAPTERS)))\n",
    })
    (root / "src/2026/widgets.md").write_text((EXAMPLE / "src/2026/kernel-target.md").read_text())
    program = goalkeeper.load(root)
    docs = {"src/2026/goals.md": "2026/goals.html", "src/2026/widgets.md": "2026/widgets.html"}
    nav = from_summary("- [Goals](./2026/goals.md)\n", "src/SUMMARY.md",
                       Linker("src", docs, frozenset(docs.values())), program, [])
    kernels = "Ferrite for Kernels: freestanding kernel targets"
    assert titles(nav) == [("Goals", "2026/goals.html", [(kernels, "2026/widgets.html")])]


def test_overviews_of_the_example() -> None:
    program = goalkeeper.load(EXAMPLE)
    m2026 = program.milestone("2026")
    assert m2026 is not None
    counts = dict(overview.status_counts(program))
    assert counts["2026"]["Accepted"] == 8 and counts["2026"]["Proposed"] == 1
    assert counts["2025h2"]["Not accepted"] == 1
    load = overview.team_load(program, m2026)
    assert load[0].team == "compiler" and load[0].goals == 7
    assert list(load[0].by_level) == ["Large", "Small"]  # largest level first
    assert sum(load[0].by_level.values()) == load[0].goals
    champs = dict(overview.champions(program, m2026))
    assert {g.slug for g, _ in champs["borislav"]} >= {"kernel-target"}
    assert [t for t, _ in overview.highlights(m2026)] == ["Kernel-ready Ferrite", "Single-file scripts"]
    areas = overview.application_areas(program)
    assert [a.name for a in areas] == ["Safety-critical & regulated", "Interop & platforms"]
    rejected = overview.not_accepted(program)
    assert [(m, [g.slug for g in gs]) for m, gs in rejected] == [("2025h2", ["green-threads"])]
    lang = overview.goals_of_team(program, "lang")
    assert [m for m, _ in lang] == ["2026", "2025h2"]


def test_charts_carry_their_numbers_for_the_browser() -> None:
    args = ("Goals", ("2025h2", "2026"), (("Accepted", (3, 8)), ("Proposed", (0, 1)), ("None", (0, 0))))
    html = stacked_bars(*args, ident="a", colors=(("Accepted", "#009E73"),))
    assert html.startswith('<div class="chart chart-a" data-title="Goals" data-chart="')
    data = json.loads(htmllib.unescape(re.search(r'data-chart="([^"]*)"', html)[1]))  # type: ignore[index]
    assert data["labels"] == ["2025h2", "2026"]
    assert [(s["name"], s["values"]) for s in data["series"]] == [("Accepted", [3, 8]), ("Proposed", [0, 1])]
    assert data["series"][0]["color"] == "#009E73"  # fixed colours win over the palette


def test_parse_cache_reparses_only_changed_files(tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    cache = ParseCache()
    first = goalkeeper.load(root, cache=cache)
    n = cache.parsed
    assert n > 10
    again = goalkeeper.load(root, cache=cache)
    assert cache.parsed == n and again.goals == first.goals
    goal = root / "src/2026/kernel-target.md"
    goal.write_text(goal.read_text().replace("| Status              | Accepted", "| Status | Proposed", 1))
    changed = goalkeeper.load(root, cache=cache)
    assert cache.parsed == n + 1
    m = changed.milestone("2026")
    assert m is not None and m.goal("kernel-target") is not None
    assert getattr(m.goal("kernel-target"), "status", None) == "Proposed"
