"""The monthly post for the real 2025h2 slate, against the post the Rust program published.

`corpus/rust-2025h2-november-updates.json` is an import file written from the comments quoted in
the published November 2025 post (../shared/data/blog/project-goals-updates): one issue per card
with its number, the `Flagship Goal` label the flagship cards carry, its progress as checkboxes,
and the first paragraph of each quoted comment and TL;DR. The post goalkeeper writes from it must
have the published structure: the same sections and themes, the same goals in the same order,
the same number of detailed updates on each card.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from goalkeeper.cli.group import main

from .conftest import SHARED, _shared
from .test_directives import golden

IMPORT = Path(__file__).parent / "corpus" / "rust-2025h2-november-updates.json"
PUBLISHED = "blog/project-goals-updates/Project-Goals-2025-November-Update.md"


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(scope="module")
def november(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(our post, the published post) for November 2025."""
    goals, teams = _shared("rust-project-goals"), _shared("rust-lang-team")
    _shared("blog")
    root = tmp_path_factory.mktemp("rpg") / "rust-project-goals"
    shutil.copytree(goals, root)  # the cache goes under the root; the shared copy is read-only
    code, _, err = run("sync", str(root), "--import", str(IMPORT))
    assert code == 0, err
    code, out, err = run("updates", "2025h2", str(root), "--teams", str(teams),
                         "--from", "2025-11-01", "--to", "2025-12-01")
    assert code == 0, err
    return out, (SHARED / PUBLISHED).read_text(encoding="utf-8")


def structure(text: str) -> list[tuple[str, str, int]]:
    """(section, theme, issue number) of every goal card, in order."""
    out: list[tuple[str, str, int]] = []
    section = theme = ""
    for line in text.splitlines():
        if line.startswith("## "):
            section, theme = line[3:], ""
        elif line.startswith('### "'):
            theme = html.unescape(line[4:]).replace("\\`", "`")
        elif m := re.search(r"^.+ <a href=['\"]https://github\.com/rust-lang/[-\w]+/issues/(\d+)['\"] "
                            r"style=", line):
            out.append((section, theme, int(m.group(1))))
    return out


EPAGE = '<a href="https://github.com/epage">Ed Page</a>'
DETAILS = re.compile(r"(No detailed updates available|\d+ detailed updates? available)\.")


def test_same_sections_themes_and_goals_as_the_published_post(november: tuple[str, str]) -> None:
    ours, published = november
    theirs = structure(published)
    assert len(theirs) == 41  # every goal of the slate has its card, with or without news
    assert structure(ours) == theirs
    heads = re.findall(r"^## .*$", ours, re.M)
    assert heads == ["## Flagship goals", "## Goals looking for help", "## Other goal updates"]
    assert DETAILS.findall(ours) == DETAILS.findall(published)
    assert ours.count("<strong>TL;DR.</strong>") == published.count("<strong>TL;DR.</strong>")
    assert "with 13 of them designated as [Flagship Goals](" in ours
    assert "The Rust project is currently working towards a [slate of 41 project goals](" in ours


def test_cards_as_published(november: tuple[str, str]) -> None:
    ours, _ = november
    cards = {int(m.group(1)): m.group(0) for m in re.finditer(
        r"issues/(\d+)\" style=\"color: #cce7ff;\">.*?</details>", ours, re.S)}
    # `Needs | Contributor`: the Help wanted badge stands with the point of contact
    assert re.search(r"Point of contact</td><td[^>]*><img src=\"https://img\.shields\.io/badge/"
                     r"Help%20wanted-yellow\" alt=\"Help wanted\" /> " + EPAGE + "<", cards[256])
    # an owner row `![Help wanted][]` is the badge, not the text
    assert re.search(r"Task owners</td><td[^>]*><img src=[^>]*Help%20wanted[^>]*/>, " + EPAGE + "<",
                     cards[264])
    assert "![Help wanted]" not in ours
    # the point of contact is among the task owners, as published; people by display name
    assert re.search(r'Task owners</td><td[^>]*><a href="https://github.com/frank-king">Frank King</a><',
                     cards[389])
    assert re.search(r'Champions</td><td[^>]*><a href="http://github.com/rust-lang/compiler-team">'
                     r'compiler</a> \(<a href="https://github.com/oli-obk">', cards[389])
    # health is stated against the half-year, not the year
    assert "of the half-year gone" in ours and "of the year gone" not in ours


def test_golden(november: tuple[str, str]) -> None:
    golden("rust/updates-2025h2-11.md", november[0])


def _owner_cells(text: str) -> list[list[str]]:
    """Each card's Task owners cell as its @logins and other entries, in order."""
    cells = re.findall(r"Task owners</td>\s*<td[^>]*>(?:<p>)?(.*?)(?:</p>)?\s*</td>", text, re.S)
    people = re.compile(r'<a href="https://github\.com/([^"]+)">[^<]*</a>')
    return [[x.strip() for x in people.sub(r"@\1", c).split(", ")] for c in cells]


def test_task_owners_in_the_reference_tools_sorted_order(november: tuple[str, str]) -> None:
    """The reference keeps task owners in a sorted set: `@adamgemmell, @davidtwco`, not document
    order. Cards whose owners changed since publication are compared by set only."""
    ours, published = (_owner_cells(t) for t in november)
    assert len(ours) == len(published) >= 30
    same = [(o, p) for o, p in zip(ours, published, strict=True) if set(o) == set(p)]
    assert len(same) >= 30
    assert [o for o, _ in same] == [p for _, p in same]


def test_code_in_a_card_cell_is_html_code(november: tuple[str, str]) -> None:
    """A cell of a card is HTML, where markdown is not read: `t-spec` must become <code>, as the
    published post shows it, not stay as backticks."""
    ours, published = november
    assert "<code>t-spec</code> and contributors from Ferrous Systems" in published
    assert "<code>t-spec</code> and contributors from Ferrous Systems" in ours
    assert "`t-spec`" not in ours
