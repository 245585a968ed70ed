"""Shared fixtures: the real documents in ../shared/data and small trees written into tmp_path."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
EXAMPLE = ROOT / "examples" / "ferrite"
BROKEN = Path(__file__).resolve().parent / "corpus" / "broken"


def _shared(sub: str) -> Path:
    path = SHARED / sub
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing, and CI is set: the real-document tests must run in CI")
        pytest.skip(f"{path} is absent: the real documents in ../shared/data are not on this machine")
    return path


@pytest.fixture
def rust_goals() -> Path:
    """The public rust-lang goals repository (milestones 2025h2 and 2026)."""
    return _shared("rust-project-goals")


@pytest.fixture
def rust_teams() -> Path:
    """rust-lang/team data (teams/*.toml, people/*.toml)."""
    return _shared("rust-lang-team")


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write dedented files under root and return root."""
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


GOAL_2026 = """
    # Stabilize widgets

    | Metadata         |                      |
    | :--------------- | -------------------- |
    | Point of contact | @alice               |
    | Status           | Accepted             |
    | Tracking issue   | [example/goals#1]    |
    | Zulip channel    | #widgets             |
    | Roadmap          | Speed                |
    | Highlight        | Widgets              |
    | [lang] champion  | @bob                 |

    ## Summary

    Stabilize widgets. Then celebrate.

    ## Motivation

    ### Work items over the next year

    | Task      | Owner(s)      | Notes |
    | --------- | ------------- | ----- |
    | Implement | @alice, @carol |      |

    #### Docs

    | Metadata     |             |
    | ------------ | ----------- |
    | Roadmap      | Docs        |

    | Task      | Owner(s) | Notes |
    | --------- | -------- | ----- |
    | Write     | @dave    |       |

    ## Team asks

    | Team       | Support level | Notes           |
    | ---------- | ------------- | --------------- |
    | [lang]     | Large         | Design meetings |
    | [compiler] | small         | Reviews         |

    ## Frequently asked questions
"""


@pytest.fixture
def program_tree(tmp_path: Path) -> Path:
    """A minimal valid program with one 2026 goal and two roadmaps."""
    return write_tree(
        tmp_path,
        {
            "goalkeeper.toml": """
                [project]
                name = "Example"
                tracker = "example/goals"
                [teams.lang]
                members = ["bob"]
                [teams.compiler]
                members = ["carol"]
            """,
            "src/2026/widgets.md": GOAL_2026,
            "src/2026/README.md": "# 2026\n\n(((HIGHLIGHT TABLE: Widgets)))\n",
            "src/2026/roadmap-speed.md": """
                # Speed

                | Metadata         |           |
                | ---------------- | --------- |
                | What and why     | Go fast.  |
                | Point of contact | @alice    |
                | Application area | Embedded  |
            """,
            "src/2026/roadmap-docs.md": """
                # Documentation

                | Metadata         |           |
                | ---------------- | --------- |
                | Short title      | Docs      |
                | What and why     | Explain.  |
                | Point of contact | @alice    |
            """,
        },
    )
