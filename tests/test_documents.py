"""Goal and roadmap documents become model objects (both team-ask formats)."""

from pathlib import Path

import goalkeeper
from goalkeeper.constants import Format
from goalkeeper.model import IssueRef

from .conftest import write_tree


def test_2026_goal_is_read_completely(program_tree: Path) -> None:
    program = goalkeeper.load(program_tree)
    assert program.errors == ()
    g = program.milestone("2026").goal("widgets")
    assert g.title == g.short_title == "Stabilize widgets"
    assert g.status == "Accepted"
    assert g.points_of_contact == ("alice",)
    assert g.tracking_issue == IssueRef("example", "goals", 1)
    assert g.chat_channel == "#widgets"
    assert g.roadmaps == ("Speed",)
    assert g.highlights == ("Widgets",)
    assert [(c.team, c.value) for c in g.champions] == [("lang", "@bob")]
    assert [(a.team, a.level, a.notes) for a in g.asks] == [
        ("lang", "Large", "Design meetings"),
        ("compiler", "Small", "Reviews"),  # level normalised to the configured spelling
    ]
    assert g.format is Format.TEAM_ASKS
    assert g.size() == "Large"
    assert g.task_owners == ("@alice", "@carol", "@dave")
    assert [(w.task, w.subgoal) for w in g.work_items] == [("Implement", ""), ("Write", "Docs")]
    assert [(s.title, s.roadmaps) for s in g.subgoals] == [("Docs", ("Docs",))]
    assert g.what_and_why == "Stabilize widgets."
    assert g.summary == "Stabilize widgets. Then celebrate."
    assert g.span.line == 1 and g.asks[0].span.line == 39
    assert [s.title for s in g.sections][:3] == ["Stabilize widgets", "Summary", "Motivation"]
    assert [str(s.span) for s in g.sections][:1] == [f"{g.path}:1:1"]  # a heading's line, column 1


def test_team_levels_are_each_teams_largest_level() -> None:
    from goalkeeper.model import Goal, TeamAsk

    asks = [("lang", "Small"), ("compiler", ""), ("lang", "large"), ("libs", "Huge"),
            ("lang", "Large"), ("libs", "Odd"), ("libs", "Medium"), ("types", "Weird")]
    g = Goal("2026", "g", "src/2026/g.md", "G", "G", "Accepted",
             asks=tuple(TeamAsk(team, level) for team, level in asks))
    assert g.team_levels() == {"lang": "large", "compiler": "", "libs": "Medium", "types": "Weird"}
    assert list(g.team_levels()) == list(g.teams)
    assert all(g.team_levels()[t] == g.level_for(t) for t in g.teams)


def test_roadmaps_and_application_areas(program_tree: Path) -> None:
    m = goalkeeper.load(program_tree).milestone("2026")
    speed, docs = sorted(m.roadmaps, key=lambda r: r.slug, reverse=True)
    assert (speed.short_title, speed.what_and_why, speed.point_of_contact) == (
        "Speed", "Go fast.", "@alice"
    )
    assert speed.application_areas == ("Embedded",)
    assert docs.short_title == "Docs" and docs.title == "Documentation"
    # the subgoal's roadmap counts for the goal
    assert [g.slug for g in m.roadmap_goals(docs)] == ["widgets"]


def test_pre_2026_ownership_table(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "rust-project-goals.toml": """
                [team_asks]
                "Standard reviews" = { short = "r?", about = "review", elide = true }
                "RFC decision" = { short = "RFC", about = "decide" }
            """,
            "src/2025h2/old.md": """
                # Old style

                | Metadata         |                         |
                | ---------------- | ----------------------- |
                | Point of contact | @carol                  |
                | Status           | Proposed                |
                | Flagship         | [Beyond the &](./x.md)  |

                ## Summary

                Old.

                ## Motivation

                ## Ownership and team asks

                | Task             | Owner(s) or team(s)          | Notes          |
                | ---------------- | ---------------------------- | -------------- |
                | Implementation   | @carol, @dan                 | ![Complete][]  |
                | Standard reviews | ![Team][] [compiler], [lang] |                |

                ### Stabilize it

                | Task         | Owner(s) or team(s) | Notes |
                | ------------ | ------------------- | ----- |
                | RFC decision | ![Team][] [lang]    |       |
            """,
        },
    )
    program = goalkeeper.load(tmp_path)
    assert [d.code for d in program.errors] == []
    g = program.goals[0]
    assert g.format is Format.OWNERSHIP
    assert g.roadmaps == ("Beyond the &",)
    assert [(a.team, a.ask_type, a.subgoal) for a in g.asks] == [
        ("compiler", "Standard reviews", ""),
        ("lang", "Standard reviews", ""),
        ("lang", "RFC decision", "Stabilize it"),
    ]
    (item,) = g.work_items
    assert item.owners == ("@carol", "@dan") and item.complete
    assert g.teams == ("compiler", "lang")
    assert g.size() == ""  # old-format goals have no size


def test_issue_refs() -> None:
    assert IssueRef.parse("[rust-lang/goals#119]") == IssueRef("rust-lang", "goals", 119)
    assert IssueRef.parse("rust-lang/goals#1") == IssueRef("rust-lang", "goals", 1)
    assert IssueRef.parse("https://github.com/a/b/issues/3") == IssueRef("a", "b", 3)
    assert IssueRef.parse("#12") is None
    assert IssueRef.find_all("a/b#1, https://github.com/c/d/issues/2 and a/b#1") == (
        IssueRef("c", "d", 2), IssueRef("a", "b", 1)
    )


def test_2024h2_flagship_yes_is_the_flagship_theme(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/2024h2/async.md": """
        ## Async parity

        | Metadata         |                       |
        |------------------|-----------------------|
        | Point of contact | @tmandry              |
        | Status           | Accepted              |
        | Flagship         | Yes                   |
        | Tracking issue   | [rust-lang/goals#105] |

        ## Summary

        Parity.

        ## Ownership and team asks

        | Task             | Owner(s) or team(s) | Notes |
        | ---------------- | ------------------- | ----- |
        | Standard reviews | ![Team][] [lang]    |       |
    """})
    program = goalkeeper.load(tmp_path)
    (g,) = program.goals
    assert g.roadmaps == ("Flagship",)
    assert g.title == "Async parity"  # a `##` title still names the goal
    assert [d.code for d in program.diagnostics if d.severity == "error"] == []
    assert "title-level" in [d.code for d in program.diagnostics]


def test_lifecycle_from_the_document_and_from_configuration(program_tree: Path) -> None:
    goal = program_tree / "src/2026/widgets.md"
    goal.write_text(goal.read_text().replace(
        "| Status           | Accepted             |",
        "| Status           | Accepted             |\n| Lifecycle        | Paused |\n"
        "| Continues as     | 2027/widgets |"))
    program = goalkeeper.load(program_tree)
    g = program.goals[0]
    assert (g.lifecycle, g.continues_as) == ("paused", "2027/widgets")
    assert g.stage == "Accepted (paused, continues as 2027/widgets)"
    assert [d.code for d in program.diagnostics if d.code.startswith("unknown-c")] == [
        "unknown-continuation"]  # there is no 2027 milestone
    cfg = program_tree / "goalkeeper.toml"
    cfg.write_text(cfg.read_text() + '\n[lifecycle]\n"2026/widgets" = "asleep"\n')
    program = goalkeeper.load(program_tree)
    assert program.goals[0].lifecycle == "asleep"
    assert "unknown-lifecycle" in [d.code for d in program.errors]


def test_older_milestone_forms(tmp_path: Path) -> None:
    """Forms found in the public repository's 2024h2/2025h1 goals read without errors."""
    write_tree(tmp_path, {
        "rust-project-goals.toml": """
            [team_asks]
            "Standard reviews" = { short = "r?", about = "review", elide = true }
        """,
        "src/2025h1/rfl.md": """
            # Rust for Linux

            | Metadata         |                       |
            | ---------------- | --------------------- |
            | :--------------- | --------------------- |
            | Point of contact | @nikomatsakis         |
            | Status           | Flagship              |
            | Continuing goal  | yes                   |
            | Tracking issue   | [rust-lang/rust-project-goals#116] |

            ## Summary

            Stable kernels.

            ## Motivation

            ## Ownership and team asks

            | Task               | Owner(s) or team(s)           | Notes |
            | ------------------ | ----------------------------- | ----- |
            | Standard reviews   | ![Team] [compiler], ~~[lang]~~ |      |
            | Lang-team champion | ![Team][], [lang]             |       |
        """,
    })
    program = goalkeeper.load(tmp_path)
    assert [d.code for d in program.errors] == []
    assert {d.code for d in program.warnings} == {"unchecked-teams", "unknown-ask-type"}
    (g,) = program.goals
    assert g.status == "Flagship" and g.accepted and g.roadmaps == ("Flagship",)
    assert [(a.team, a.ask_type) for a in g.asks] == [
        ("compiler", "Standard reviews"), ("lang", "Lang-team champion")]
