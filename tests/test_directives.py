"""Directive expansion, the RFC text, FCP and CFP.

Golden files (tests/golden/) hold the expanded pages of the bundled example; regenerate them with
`GOALKEEPER_UPDATE_GOLDEN=1 python3 tasks.py test tests/test_directives.py` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main
from goalkeeper.render.directives import expand, known
from goalkeeper.render.funding import funded_state, parse_cost
from goalkeeper.sources.documents import KNOWN_DIRECTIVES

from .conftest import EXAMPLE, SHARED, write_tree

GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GOALKEEPER_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} missing: run with GOALKEEPER_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


EXAMPLE_PAGES = [
    "src/2025h2/README.md", "src/2025h2/goals.md", "src/2025h2/not_accepted.md",
    "src/2026/README.md", "src/2026/goals.md", "src/2026/highlights.md", "src/2026/roadmaps.md",
    "src/2026/not_accepted.md", "src/2026/roadmap-ferrite-for-kernels.md",
    "src/2026/roadmap-trusted-supply-chain.md",
]


@pytest.mark.parametrize("page", EXAMPLE_PAGES)
def test_example_pages_golden(page: str) -> None:
    program = goalkeeper.load(EXAMPLE)
    text = (EXAMPLE / page).read_text()
    out = expand(program, page, text)
    assert "(((" not in out.replace("`(((", "")  # nothing left unexpanded
    golden("ferrite/" + page.removeprefix("src/"), out)


def test_example_rfc_golden() -> None:
    r = CliRunner().invoke(main, ["rfc", "2026", str(EXAMPLE)])
    assert r.exit_code == 0, r.output
    assert "](./" not in r.stdout  # every link absolute
    golden("ferrite/rfc-2026.md", r.stdout)


def test_every_documented_directive_is_handled() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "directives.md").read_text()
    names = {n for n in re.findall(r"`\(\(\((.+?)\)\)\)`", doc)} - {"DIRECTIVE"}
    samples = {n.replace("Theme", "X").replace("Area", "X").replace(": T", ": X")
               .replace("YYYY-MM-DD", "2026-01-01").replace("A to B", "2026-01-01 to 2026-02-01")
               for n in names}
    assert len(samples) >= 30
    for s in samples:
        assert KNOWN_DIRECTIVES.match(s), s
        assert known(s), s


def test_an_argument_follows_a_colon_only_where_a_directive_takes_one() -> None:
    for name in ["HIGHLIGHT TABLE:X", "HIGHLIGHT TABLE:  X: y ", "ROADMAPS", "ROADMAPS: a",
                 "REPORTS: 2026-01-01 to 2026-02-01", "FUNDING TABLE GROUPED BY GOAL"]:
        assert known(name), name
    for name in ["HIGHLIGHT TABLE", "HIGHLIGHT TABLE:", "TEAM ASKS: x", "GOALS:", "goals",
                 " GOALS", "ROADMAP GOALS :x", "FUNDING TABLE GROUPED BY"]:
        assert not known(name), name
    # the handler, and the argument it is given (after the first colon, stripped)
    from goalkeeper.render import directives, funding, roadmap_tables

    assert directives._lookup("HIGHLIGHT TABLE:  X: y ") == (roadmap_tables.highlight_table, "X: y")
    assert directives._lookup("ROADMAPS") == (roadmap_tables.roadmap_table, "")
    assert directives._lookup("ROADMAPS:\ta ") == (roadmap_tables.roadmap_table, "a")
    assert directives._lookup("FUNDING TABLE GROUPED BY GOAL") == (funding.funding_grouped, "")
    assert directives._lookup("FUNDING TABLE GROUPED BY POC") == (funding.funding_by_poc, "")


def test_every_occurrence_is_replaced_and_code_is_left_alone(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "f")
    page = "src/2026/twice.md"
    text = "# T\n\n(((#GOALS))) and (((#GOALS)))\n\n`(((GOALS)))`\n\n```\n(((GOALS)))\n```\n"
    write_tree(tmp_path / "f", {page: text})
    out = expand(goalkeeper.load(tmp_path / "f"), page, text)
    assert out.startswith("# T\n\n9 and 9\n\n`(((GOALS)))`\n\n```\n(((GOALS)))\n```")


def test_theme_that_matches_nothing_gives_an_empty_table_note() -> None:
    program = goalkeeper.load(EXAMPLE)
    out = expand(program, "src/2026/x.md", "(((ROADMAP GOALS: Nothing at all)))")
    assert out == "*No goals in this category.*"


def test_costs_and_funded_values() -> None:
    assert parse_cost("$25,000") == Decimal(25000)
    assert parse_cost("$75K") == Decimal(75000)
    assert parse_cost("$1.5M") == Decimal(1_500_000)
    assert parse_cost("Ask") == "Ask" and parse_cost("tbd") == "TBD" and parse_cost("lots") == "TBD"
    assert [funded_state(x) for x in ["No", "Partial", "Partial by ACME", "Full", "By ACME", "Yes"]] \
        == ["No", "Partial", "Partial", "Funded", "Funded", "No"]


def _published_rows(text: str, milestone: str) -> dict[str, list[str]]:
    """Per heading, the goal slugs of its table rows, in order (first link of each row)."""
    out: dict[str, list[str]] = {}
    head = ""
    for line in text.splitlines():
        if line.startswith("#"):
            head = line.strip("# ")
        elif line.startswith("|") and head:
            first = line.split("|")[1]
            m = re.search(rf"/{milestone}/([^/)#]+)\.html", first)
            if m:
                out.setdefault(head, []).append(m[1])
    return out


def test_rfc_agrees_with_the_published_2025h2_rfc(rust_goals: Path, rust_teams: Path) -> None:
    """Compared as a user would: same tables, same rows, same order as RFC 3849.

    The one difference is data, not rendering: relink-dont-rebuild joined the "Flexible, fast(er)
    compilation" theme after the RFC was published.
    """
    r = CliRunner().invoke(main, ["rfc", "2025h2", str(rust_goals), "--teams", str(rust_teams)])
    assert r.exit_code == 0, r.output
    ours = _published_rows(r.stdout, "2025h2")
    published = _published_rows(
        (SHARED / "rfcs" / "3849-Project-Goals-2025h2.md").read_text(), "2025h2"
    )
    assert set(ours) == set(published)
    ours['"Flexible, fast(er) compilation"'].remove("relink-dont-rebuild")
    for head, rows in published.items():
        assert ours[head] == rows, head
    # people appear by display name from the team data, as in the published text
    assert "| [Reborrow traits](https://rust-lang.github.io/goals/2025h2/autoreborrow-traits.html)" \
        in r.stdout
    assert "[Tyler Mandry][]" in r.stdout and "[Tyler Mandry]: https://github.com/tmandry" in r.stdout


def test_real_2026_pages_expand_completely(rust_goals: Path) -> None:
    program = goalkeeper.load(rust_goals)
    for p in program.milestone("2026").pages:
        out = expand(program, p.path, (rust_goals / p.path).read_text())
        leftover = [m for m in re.findall(r"\(\(\((.+?)\)\)\)", out) if known(m)]
        assert leftover == [], p.path
    goals_page = expand(program, "src/2026/goals.md", (rust_goals / "src/2026/goals.md").read_text())
    large = goals_page.split("#### Large goals")[1].split("#### Medium goals")[0]
    # the constify roadmap's const-generics goal asks lang and types for Large support
    assert "| [Full Const Generics](./const-generics.md) | @BoxyUwU | **[lang][]** |" in large


def test_fcp_and_cfp(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["fcp", "2026", str(EXAMPLE)])
    assert r.exit_code == 0
    assert "### lang team (5 goals)\n\n* [ ] @ana-k (lead)\n" in r.stdout
    root = tmp_path / "f"
    shutil.copytree(EXAMPLE, root)
    r = CliRunner().invoke(main, ["cfp", "2027", str(root), "--dry-run"])
    assert r.exit_code == 0 and "would create" in r.stdout and not (root / "src/2027").exists()
    r = CliRunner().invoke(main, ["cfp", "2027", str(root)])
    assert r.exit_code == 0 and (root / "src/2027/README.md").is_file()
    summary = (root / "src/SUMMARY.md").read_text()
    assert summary.count("./2027/README.md") == 1
    assert summary.index("./2027/README.md") < summary.index("./2026/README.md")
    r = CliRunner().invoke(main, ["cfp", "2027", str(root)])
    assert r.exit_code == 0 and set(re.findall(r"^\s*(\w+)", r.stdout, re.M)) == {"unchanged"}
    (root / "src/2027/goals.md").write_text("# mine\n")
    r = CliRunner().invoke(main, ["cfp", "2027", str(root)])
    assert r.exit_code == 2 and "--force" in r.stderr
    assert (root / "src/2027/goals.md").read_text() == "# mine\n"
    r = CliRunner().invoke(main, ["check", str(root)])
    assert r.exit_code == 0, r.output


def test_bad_milestone_is_a_usage_error() -> None:
    r = CliRunner().invoke(main, ["rfc", "1999", str(EXAMPLE)])
    assert r.exit_code == 2 and "no milestone '1999'" in r.stderr


def test_rfc_2026_is_one_document_with_its_chapters_inlined(rust_goals: Path) -> None:
    r = CliRunner().invoke(main, ["rfc", "2026", str(rust_goals)])
    assert r.exit_code == 0, r.output
    text = r.stdout
    # the README's link-list lines became the chapters themselves, headings one level deeper
    assert "- [Goals](" not in text and "- [Highlights](" not in text
    assert "#### Goals by size" in text and "##### Large goals" in text
    assert re.search(r"^##### lang team$", text, re.M)
    # reference definitions come once each, at the end
    defs = re.findall(r"^\[([^\]]+)\]: ", text, re.M)
    assert len(defs) == len({d.lower() for d in defs})
    tail = text.rstrip().split("\n")[-len(defs):]
    assert all(line.startswith("[") for line in tail)
    assert "](./" not in text  # every link absolute
    # the champions table: one row per goal, champion and count on the first row only
    champions = text.split("#### Goals by champion")[1].split("####")[0]
    assert "| Champion | # | Goal |" in champions
