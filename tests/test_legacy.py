"""Older forms of the goals repository (July 2024 – August 2025) read into today's model.

The small documents here are written for these tests in the layout the Rust goals repository
used then (rust-lang/rust-project-goals, MIT); the snapshot tests read three real main-line
commits from ../shared/data/rust-project-goals-history.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main
from goalkeeper.sources import legacy

from .conftest import write_tree

# The 2024h2 layout: `Owner(s)`, a `Subgoal` ownership table with `↳` rows, `Orphaned`.
GOAL_2024 = """
    # Stabilize gizmos

    | Metadata | |
    | --- | --- |
    | Owner(s) | @alice, @carol |
    | Teams | [lang], [compiler] |
    | Status | Accepted |

    ## Summary

    Stabilize gizmos.

    ## Motivation

    Gizmos are good.

    ## Ownership and team asks

    | Subgoal | Owner(s) or team(s) | Notes |
    | --- | --- | --- |
    | Overall program management | @alice | |
    | Stabilize gizmo syntax | @carol | |
    | ↳ Implementation | @carol | ![Complete][] |
    | ↳ RFC decision | ![Team][] [lang] | |
    | Standard reviews | ![Team][] [compiler] | as needed |
"""

ORPHANED_2024 = """
    # Speed up widgets

    | Metadata | |
    | --- | --- |
    | Owner | ![Help wanted][] |
    | Status | Orphaned |

    ## Summary

    Widgets should be fast.

    ## Motivation

    They are slow.

    ## Ownership and team asks

    | Subgoal | Owner(s) or team(s) | Notes |
    | --- | --- | --- |
    | Implementation | ![Help wanted][] | |
"""

FLAGSHIP_2024 = GOAL_2024.replace("Stabilize gizmos", "Ship the edition").replace(
    "| Status | Accepted |", "| Status | Flagship |")

README_2024 = """
    # Goals for 2024H2

    > *![Status: Accepted](https://img.shields.io/badge/Status-Accepted-green) Accepted.*

    ## Summary

    The project has accepted <!-- #GOALS --> goals.

    <!-- TEAM ASKS -->
"""


def _tree_2024(tmp_path: Path, readme: str = README_2024) -> Path:
    return write_tree(tmp_path, {
        "src/2024h2/README.md": readme,
        "src/2024h2/gizmos.md": GOAL_2024,
        "src/2024h2/widgets.md": ORPHANED_2024,
        "src/2024h2/edition.md": FLAGSHIP_2024,
        "src/2024h2/accepted.md": "# Project goals\n\n<!-- GOALS 'Accepted,Orphaned' -->\n",
        "src/2024h2/flagship.md": "# Flagship goals\n\n<!-- GOALS 'Flagship' -->\n",
    })


def test_2024_goal_reads_into_the_same_model(tmp_path: Path) -> None:
    program = goalkeeper.load(_tree_2024(tmp_path))
    g = program.milestone("2024h2").goal("gizmos")
    assert g.points_of_contact == ("alice", "carol")
    assert g.point_of_contact == "alice"
    asks = {(a.team, a.ask_type, a.subgoal, a.notes) for a in g.asks}
    assert asks == {
        ("lang", "RFC decision", "Stabilize gizmo syntax", ""),
        ("compiler", "Standard reviews", "", "as needed"),
    }
    assert set(g.teams) == {"lang", "compiler"}
    items = {(w.task, w.owners, w.subgoal, w.complete) for w in g.work_items}
    assert ("Implementation", ("@carol",), "Stabilize gizmo syntax", True) in items
    assert ("Overall program management", ("@alice",), "", False) in items
    assert g.accepted and g.roadmaps == ()
    codes = {d.code for d in program.diagnostics if d.span.path.endswith("gizmos.md")}
    # `Owner(s)` and the `Subgoal` table are the format of that time, not problems
    assert codes == {"missing-tracking-issue"}  # the README says the RFC is accepted


def test_older_statuses(tmp_path: Path) -> None:
    program = goalkeeper.load(_tree_2024(tmp_path))
    m = program.milestone("2024h2")
    orphan, flagship = m.goal("widgets"), m.goal("edition")
    assert orphan.status == "Orphaned" and orphan.accepted and orphan.is_help_wanted
    assert orphan.points_of_contact == ()
    assert flagship.status == "Flagship" and flagship.accepted and flagship.roadmaps == ("Flagship",)
    assert "unknown-status" not in {d.code for d in program.diagnostics}
    # a goal of the 2024 format that asks no team was fine then
    assert "no-team-involvement" not in {d.code for d in program.diagnostics}


def test_proposed_for_flagship_is_proposed_in_the_flagship_theme(tmp_path: Path) -> None:
    goal = GOAL_2024.replace("| Owner(s) | @alice, @carol |", "| Point of contact | @alice |")
    goal = goal.replace("| Status | Accepted |", "| Status | Proposed for flagship |")
    program = goalkeeper.load(write_tree(tmp_path, {"src/2025h1/gizmos.md": goal}))
    g = program.milestone("2025h1").goal("gizmos")
    assert g.status == "Proposed for flagship"
    assert not g.accepted and not g.rejected
    assert g.roadmaps == ("Flagship",)
    assert program.errors == ()


@pytest.mark.parametrize(("badge", "required"), [
    ("![Status: Accepted](https://img.shields.io/badge/Status-Accepted-green)", True),
    ("![Status: RFC pending](https://img.shields.io/badge/Status-RFC%20pending-yellow)", False),
    ("", True),  # no badge (today's READMEs): the rule applies
])
def test_tracking_issue_required_from_the_rfcs_acceptance_on(
    tmp_path: Path, badge: str, required: bool
) -> None:
    readme = f"# 2025H1\n\n> {badge} The slate.\n" if badge else "# 2025H1\n\nThe slate.\n"
    goal = GOAL_2024.replace("| Owner(s) | @alice, @carol |", "| Point of contact | @alice |")
    program = goalkeeper.load(write_tree(tmp_path, {
        "src/2025h1/README.md": readme, "src/2025h1/gizmos.md": goal}))
    codes = [d.code for d in program.errors]
    assert codes == (["missing-tracking-issue"] if required else [])


def test_rfc_state_of_a_readme() -> None:
    badge = "> ![Status: Accepted](https://img.shields.io/badge/Status-Accepted-green)"
    assert legacy.rfc_state(badge) == "accepted"
    assert legacy.rfc_state("![x](https://img.shields.io/badge/Status-Proposed-yellow)") == "pending"
    assert legacy.rfc_state("# Goals\n\n- RFC PR: [RFC #3935]") == ""


def test_old_directives_are_noted_once_per_file(tmp_path: Path) -> None:
    program = goalkeeper.load(_tree_2024(tmp_path))
    notes = [d for d in program.diagnostics if d.code == "legacy-directive"]
    assert sorted(d.span.path for d in notes) == [
        "src/2024h2/README.md", "src/2024h2/accepted.md", "src/2024h2/flagship.md"]
    readme = next(d for d in notes if d.span.path.endswith("README.md"))
    assert readme.severity == "warning" and readme.span.line == 7
    assert "(((#GOALS)))" in readme.message and "1 more" in readme.message
    assert program.errors == tuple(d for d in program.errors if d.code == "missing-tracking-issue")


def test_comments_that_are_not_directives_and_code_are_left_alone(tmp_path: Path) -> None:
    page = """
        # Notes

        <!-- a note to editors -->

        ```
        <!-- GOALS -->
        ```

        Write `<!-- TEAM ASKS -->` to get the table.
    """
    program = goalkeeper.load(write_tree(tmp_path, {
        "src/2025h1/notes.md": page, "src/2025h1/gizmos.md": GOAL_2024}))
    assert "legacy-directive" not in {d.code for d in program.diagnostics}


def test_mixed_case_logins_in_a_milestone_before_champion_rows_are_a_warning(tmp_path: Path) -> None:
    # 2024h2 wrote @BoxyUwU as point of contact and @BoxyUwu as a task owner; the tools of the
    # time accepted it, and the archived milestone was never changed
    goal = GOAL_2024.replace("| Overall program management | @alice |",
                             "| Overall program management | @Alice |")
    program = goalkeeper.load(write_tree(tmp_path, {"src/2024h2/gizmos.md": goal}))
    names = [d for d in program.diagnostics if d.code == "inconsistent-username"]
    assert [(d.severity, d.span.line) for d in names] == [("warning", 5)]  # the Owner(s) row
    assert "before champion rows" in names[0].message


def test_team_asks_as_plain_strings_in_rust_project_goals_toml(tmp_path: Path) -> None:
    # rust-project-goals.toml of December 2024 - January 2025 (values were strings, not tables)
    toml = '[team_asks]\n"RFC decision" = "review an RFC and decide"\n"Standard reviews" = "review PRs"\n'
    goal = GOAL_2024.replace("| Owner(s) | @alice, @carol |", "| Point of contact | @alice |")
    goal = goal.replace("Subgoal |", "Task |").replace("↳ ", "")
    root = write_tree(tmp_path, {"rust-project-goals.toml": toml, "src/2025h1/gizmos.md": goal})
    program = goalkeeper.load(root)
    types = program.config.ask_types
    assert list(types) == ["RFC decision", "Standard reviews"]
    assert types["RFC decision"].about == "review an RFC and decide"
    assert types["RFC decision"].short == "RFC decision"
    assert [d.code for d in program.errors] == ["missing-tracking-issue"]


# --------------------------------------------------------------------------- real snapshots

#: Errors goalkeeper keeps reporting on each snapshot: genuine problems the project fixed later.
GENUINE: dict[str, set[str]] = {
    # 2024h2's accepted goals had no tracking-issue rows yet; they were added by 2025-01
    "2024-08": {"missing-tracking-issue"},
    "2025-01": set(),
    "2025-04": set(),
}


def _snapshot(name: str) -> Path:
    from .conftest import _shared

    return _shared(f"rust-project-goals-history/{name}")


def independent_counts(root: Path) -> Counter[tuple[str, str]]:
    """(milestone, status) of every file of a milestone folder whose first line is a heading
    (of any level, as the reference tool read it: 2024h2's async.md starts with `##`) and whose
    first table is `| Metadata |`; plain line matching, not goalkeeper's parser."""
    counts: Counter[tuple[str, str]] = Counter()
    for f in sorted((root / "src").glob("*/*.md")):
        if not re.fullmatch(r"\d{4}(h[12])?", f.parent.name) or f.name.startswith("roadmap-"):
            continue
        lines = f.read_text(encoding="utf-8").splitlines()
        first = next((ln for ln in lines if ln.strip()), "")
        pipe = next((i for i, ln in enumerate(lines) if ln.startswith("|")), None)
        if not first.startswith("#") or pipe is None:
            continue
        if not re.match(r"\|\s*Metadata\s*\|", lines[pipe]):
            continue
        if sum(1 for ln in lines[:pipe] if ln.startswith("#")) != 1:
            continue  # the first table is under a later section
        status = next(ln.split("|")[2].strip() for ln in lines[pipe:] if re.match(r"\|\s*Status\s*\|", ln))
        counts[(f.parent.name, status)] += 1
    return counts


@pytest.mark.parametrize("name", sorted(GENUINE))
def test_snapshot_has_no_false_errors_and_counts_match(name: str) -> None:
    root = _snapshot(name)
    program = goalkeeper.load(root)
    assert {d.code for d in program.errors} <= GENUINE[name], [
        f"{d.span} {d.code} {d.message}" for d in program.errors if d.code not in GENUINE[name]]
    result = CliRunner().invoke(main, ["goals", str(root), "--json"])
    assert result.exit_code == 0, result.output
    got = Counter((r["milestone"], r["status"]) for r in json.loads(result.stdout))
    assert got == independent_counts(root)


# --------------------------------------------------------------------------- expansion


def test_html_comment_directives_expand_like_their_successors(tmp_path: Path) -> None:
    from goalkeeper.render.directives import expand

    program = goalkeeper.load(_tree_2024(tmp_path))
    page = "src/2024h2/README.md"
    for old, new in [("<!-- GOALS -->", "(((GOALS)))"), ("<!--TEAM ASKS-->", "(((TEAM ASKS)))"),
                     ("<!-- #GOALS -->", "(((#GOALS)))"),
                     ("<!-- GOALS NOT ACCEPTED -->", "(((GOALS NOT ACCEPTED)))")]:
        text = f"# Goals\n\nBefore {old} after.\n\n{old}\n"
        assert expand(program, page, text) == expand(program, page, text.replace(old, new))
        assert "<!--" not in expand(program, page, text)
    assert expand(program, page, "We have <!-- #GOALS --> goals.") == "We have 3 goals."
    # an ordinary comment stays
    assert expand(program, page, "<!-- Github usernames -->") == "<!-- Github usernames -->"


def test_status_list_of_2024_in_the_layout_of_its_time(tmp_path: Path) -> None:
    from goalkeeper.render.directives import expand

    program = goalkeeper.load(_tree_2024(tmp_path))
    out = expand(program, "src/2024h2/accepted.md", "<!-- GOALS 'Accepted,Orphaned' -->")
    assert out.split("\n") == [
        "| Goal | Owner | Team |",
        "| :-- | :-- | :-- |",
        "| [Speed up widgets](./widgets.md) | ![Help wanted][] |  |",
        "| [Stabilize gizmos](./gizmos.md) | @alice, @carol | [compiler], [lang] |",
    ]
    flagship = expand(program, "src/2024h2/flagship.md", "<!-- GOALS 'Flagship' -->")
    assert "[Ship the edition](./edition.md)" in flagship and "gizmos" not in flagship


def test_team_asks_of_2024_grouped_by_team_and_ask(tmp_path: Path) -> None:
    from goalkeeper.render.directives import expand

    program = goalkeeper.load(_tree_2024(tmp_path))
    out = expand(program, "src/2024h2/README.md", "<!-- TEAM ASKS -->")
    lang = out[out.index("### lang team"):].split("\n")
    assert lang[1:6] == [
        "| Goal | Owner | Notes |",
        "| :-- | :-- | :-- |",
        "| *RFC decision* |  |  |",
        # a `↳` ask names the row it sits under, and that row's owners
        "| ↳ [Stabilize gizmo syntax](./edition.md#ownership-and-team-asks) | @carol |  |",
        "| ↳ [Stabilize gizmo syntax](./gizmos.md#ownership-and-team-asks) | @carol |  |",
    ]


def test_metadata_placeholders_are_filled_in(tmp_path: Path) -> None:
    from goalkeeper.render.directives import expand

    goal = GOAL_2024.replace("| Owner(s) | @alice, @carol |", "| Point of contact | @alice |")
    goal = goal.replace("| Teams | [lang], [compiler] |",
                        "| Teams | <!-- TEAMS WITH ASKS --> |\n    | Task owners | <!-- TASK OWNERS --> |")
    root = write_tree(tmp_path, {"src/2025h1/gizmos.md": goal})
    program = goalkeeper.load(root)
    text = (root / "src/2025h1/gizmos.md").read_text(encoding="utf-8")
    out = expand(program, "src/2025h1/gizmos.md", text)
    assert "| Teams | [compiler][], [lang][] |" in out
    assert "| Task owners | @alice, @carol |" in out


def test_goal_lists_of_2024_give_their_goals_as_chapters(tmp_path: Path) -> None:
    from goalkeeper.site.html import Linker, LinkProblem
    from goalkeeper.site.nav import from_summary

    program = goalkeeper.load(_tree_2024(tmp_path))
    docs = {f"src/2024h2/{n}.md": f"2024h2/{n}.html"
            for n in ("README", "accepted", "flagship", "gizmos", "widgets", "edition")}
    summary = ("# Summary\n\n- [RFC](./2024h2/README.md)\n- [Flagship](./2024h2/flagship.md)\n"
               "- [Goals](./2024h2/accepted.md)\n")
    problems: list[LinkProblem] = []
    nav = from_summary(summary, "src/SUMMARY.md", Linker("src", docs, frozenset(docs.values())),
                       program, problems)
    kids = {i.title: [(c.title, c.url) for c in i.children] for i in nav}
    assert kids["RFC"] == []  # the README holds only counts and team asks
    assert kids["Flagship"] == [("Ship the edition", "2024h2/edition.html")]
    assert kids["Goals"] == [("Speed up widgets", "2024h2/widgets.html"),
                             ("Stabilize gizmos", "2024h2/gizmos.html")]


def test_markers_in_inline_code_spans_stay_on_a_line_with_live_ones() -> None:
    from goalkeeper.sources import markdown
    from goalkeeper.sources.documents import is_known_directive

    text = "`<!-- GOALS -->` then <!-- GOALS --> and ` <!-- #GOALS -->` and <!--GOALS 'Proposed'-->"
    out = legacy.modernize(text, lambda: markdown.parse(text), is_known_directive)
    assert out == ("`<!-- GOALS -->` then (((GOALS))) and ` <!-- #GOALS -->` and "
                   "(((GOALS WITH STATUS: Proposed)))")


def test_a_status_list_naming_an_unknown_status_is_reported(tmp_path: Path) -> None:
    root = _tree_2024(tmp_path)
    (root / "src/2024h2/flagship.md").write_text("# F\n\n<!-- GOALS 'Flagship,Orphand' -->\n")
    program = goalkeeper.load(root)
    hits = [d for d in program.diagnostics if d.code == "unknown-directive-theme"]
    assert [(d.span.path, d.span.line, d.severity) for d in hits] == [
        ("src/2024h2/flagship.md", 3, "warning")]
    assert "`Orphand`" in hits[0].message and "Orphaned" in (hits[0].hint or "")


@pytest.mark.parametrize("toml", [
    '[team_asks]\n"RFC decision" = "decide"\n"Standard reviews" = "review"\n',  # January 2025
    '[team_asks."RFC decision"]\nshort = "RFC"\nabout = "decide"\n'  # spring 2025
    '[team_asks."Standard reviews"]\nshort = "r?"\nabout = "review"\n',
])
def test_team_asks_of_2025h1_in_the_layout_of_their_time(tmp_path: Path, toml: str) -> None:
    from goalkeeper.render.directives import expand

    goal = GOAL_2024.replace("| Owner(s) | @alice, @carol |", "| Point of contact | @alice |")
    goal = goal.replace("Subgoal |", "Task |").replace("↳ ", "")
    program = goalkeeper.load(write_tree(tmp_path, {
        "rust-project-goals.toml": toml, "src/2025h1/gizmos.md": goal}))
    out = expand(program, "src/2025h1/README.md", "<!-- TEAM ASKS -->").split("\n")
    lang = out[out.index("### lang team"):]
    if "short" in toml:  # per-kind columns, as the tool of April 2025
        assert lang[1] == "| Goal | [RFC][valid_team_asks] |"
        assert lang[3] == "| [Stabilize gizmos](./gizmos.md) | ✅ |"
    else:  # grouped per ask, as the tool of January 2025
        assert lang[1:5] == [
            "| Goal | Point of contact | Notes |", "| :-- | :-- | :-- |",
            "| **RFC decision** |  |  |",
            "| ↳ [Stabilize gizmos](./gizmos.md#ownership-and-team-asks) | @alice |  |"]


GOAL_LIST_RE = re.compile(r"<!-- (?:GOALS(?: '[^']*')?|FLAGSHIP GOALS|OTHER GOALS|GOALS NOT ACCEPTED) -->")


@pytest.mark.parametrize("name", sorted(GENUINE))
def test_snapshot_site_and_rfc_have_goal_tables(name: str, tmp_path: Path) -> None:
    root = _snapshot(name)
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(root), "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    pages = [p for p in sorted((root / "src").glob("20*/*.md"))
             if GOAL_LIST_RE.search(p.read_text(encoding="utf-8"))]
    assert pages  # every snapshot lists its goals with HTML-comment directives
    for p in pages:
        rel = p.relative_to(root / "src").with_suffix(".html")
        html_path = tmp_path / "site" / (rel.parent / "index.html" if p.stem == "README" else rel)
        html = html_path.read_text(encoding="utf-8")
        if "<title>Redirecting" in html:
            continue  # book.toml's [output.html.redirect] moved the page (to goals.md)
        assert "<table" in html, f"{rel}: no goal table"
    for milestone in sorted(d.name for d in (root / "src").glob("20*") if d.is_dir()):
        result = runner.invoke(main, ["rfc", milestone, str(root)])
        assert result.exit_code == 0, result.output
        assert not GOAL_LIST_RE.search(result.stdout)
        assert "<!-- TEAM ASKS -->" not in result.stdout and "<!-- #GOALS -->" not in result.stdout


def test_2024_goal_list_rows_match_an_independent_count() -> None:
    root = _snapshot("2024-08")
    result = CliRunner().invoke(main, ["rfc", "2024h2", str(root)])
    rows = [ln for ln in result.stdout.splitlines() if ln.startswith("| [")
            and ln.count(" | ") == 2 and "#ownership-and-team-asks" not in ln]
    counts = independent_counts(root)
    # the README lists `<!-- GOALS 'Accepted,Orphaned' -->`
    assert len(rows) == counts[("2024h2", "Accepted")] + counts[("2024h2", "Orphaned")]


def test_2024_ownership_section_is_its_first_table_only(tmp_path: Path) -> None:
    # the 2024 tool read the first table under `## Ownership and team asks` and nothing else
    goal = GOAL_2024 + """
    | Milestone | When |
    | --- | --- |
    | Beta | 2024-10 |

    ### Details

    | Item | Status |
    | --- | --- |
    | Docs | done |
"""
    program = goalkeeper.load(write_tree(tmp_path, {"src/2024h2/gizmos.md": goal}))
    codes = {d.code for d in program.diagnostics}
    assert not codes & {"table-header", "multiple-tables"}, codes
    assert len(program.milestone("2024h2").goal("gizmos").asks) == 2
