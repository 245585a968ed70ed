"""Piped tables are laid out without rich, to the characters rich would print."""

from __future__ import annotations

import io
import random
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from goalkeeper.cli import console
from goalkeeper.cli.tables import (
    NARROW,
    Cell,
    Printer,
    Table,
    Tree,
    _narrow,
    render_plain,
    render_tree_plain,
    to_rich,
    tree_to_rich,
    wrap,
)

WORDS = ["a", "goal", "team", "Stabilize", "↳", "naïve", "漢字", "🚀", "x" * 30, "y" * 70, "@ehuss",
         "rust-lang/rfcs#3874", "n/a", "—", "a-b-c", "(1)", "a: b", "[lang]", "[bold]x[/]", ":smile:",
         "", " ", "  ", "e\u0301", "\u2764\ufe0f", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\xa0",
         "→", "’s", "“x”", "…", "≤", "\u2194\ufe0f", "Ωμέγα"]


def _text(rnd: random.Random) -> str:
    parts = []
    for _ in range(rnd.choice([0, 1, 2, 3, 5, 8, 15, 30])):
        parts += [rnd.choice(WORDS), rnd.choice([" ", " ", "  ", "\n", ""])]
    return (" " if rnd.random() < 0.1 else "") + "".join(parts) + (" " if rnd.random() < 0.1 else "")


def _table(rnd: random.Random) -> Table:
    t = Table(title=rnd.choice([(_text(rnd), "bold"), "", "Help wanted, 2026"]))
    n = rnd.randint(1, 6)
    for _ in range(n):
        t.add_column(rnd.choice(["Goal", "Level", "Notes", "#", "A long header name"]),
                     justify=rnd.choice(["left", "left", "right"]),
                     max_width=rnd.choice([None, None, 8, 24]), ratio=rnd.choice([None, 1]),
                     overflow=rnd.choice(["fold", "fold", "ellipsis"]))
    for _ in range(rnd.randint(0, 10)):
        cells: list[Cell] = []
        for _ in range(n):
            k = rnd.random()
            cells.append((_text(rnd), "dim") if k < 0.5 else
                         [(_text(rnd), ""), ("\n1 missing", "bold red")] if k < 0.7 else _text(rnd))
        t.add_row(*cells, end_section=rnd.random() < 0.2)
    return t


def _rich(renderable: object, width: int, **kw: object) -> str:
    c = Console(file=io.StringIO(), width=width, force_terminal=False, color_system=None,
                legacy_windows=False)
    c.print(renderable, **kw)  # type: ignore[arg-type]
    out = c.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


def test_random_tables_match_rich() -> None:
    rnd = random.Random(14)
    laid_out = 0
    for _ in range(400):
        t = _table(rnd)
        width = rnd.choice([20, 40, 80, 120, 160, 200])
        mine = render_plain(t, width)
        if mine is None:  # markup, emoji codes or too narrow: rich draws it
            continue
        laid_out += 1
        assert mine == _rich(to_rich(t), width)
    assert laid_out > 100


def test_narrow_characters_are_one_cell_in_every_unicode_version() -> None:
    try:  # the versions rich has tables for (it reads $UNICODE_VERSION)
        from rich._unicode_data import _versions

        versions = list(_versions.VERSIONS)
    except ImportError:  # pragma: no cover - another rich: its latest tables at least
        versions = ["latest"]
    narrow = [chr(c) for c in range(0x3000) if re.fullmatch(f"[{NARROW}]", chr(c))]
    assert narrow == [chr(c) for c in range(0x3000) if _narrow(chr(c))]
    assert len(narrow) > 2000 and "↳" in narrow and "—" in narrow and "\u200d" not in narrow
    for version in versions:
        assert [c for c in narrow if cell_len(c, version) != 1] == [], version


def test_random_paragraphs_match_rich() -> None:
    rnd = random.Random(15)
    for _ in range(400):
        text, width = _text(rnd).replace("[", "(").replace(":", ";"), rnd.choice([20, 40, 160])
        assert "".join(f"{line}\n" for line in wrap(text, width, "default")) == \
            _rich(text, width, highlight=False)


def _label(rnd: random.Random) -> Cell:
    text = _text(rnd)
    k = rnd.random()
    return (text, "bold") if k < 0.4 else [(text, ""), (" ", ""), (_text(rnd), "dim")] if k < 0.7 else text


def _grow(rnd: random.Random, node: Tree, depth: int) -> None:
    for _ in range(rnd.choice([0, 0, 1, 2, 3, 5]) if depth < 5 else 0):
        _grow(rnd, node.add(_label(rnd)), depth + 1)


def test_random_trees_match_rich() -> None:
    rnd = random.Random(16)
    drawn = 0
    for _ in range(300):
        tree = Tree(_label(rnd))
        _grow(rnd, tree, 0)
        width = rnd.choice([20, 30, 40, 80, 160])
        mine = render_tree_plain(tree, width)
        if mine is None:  # markup, emoji codes, control characters or too narrow: rich draws it
            continue
        drawn += 1
        assert mine == _rich(tree_to_rich(tree), width)
    assert drawn > 100


def test_markup_and_control_characters_go_to_rich() -> None:
    t = Table(title="Team capacity")
    t.add_column("Team")
    t.add_row("[bold]lang[/]")
    assert render_plain(t, 80) is None
    t = Table()
    t.add_column("Team")
    t.add_row(("tab\there", ""))
    assert render_plain(t, 80) is None
    tree = Tree(("Rust Project Goals 2026", "bold"))
    tree.add(("ok", "")).add("[dim](no roadmap)[/]")
    assert render_tree_plain(tree, 80) is None
    tree = Tree("Goals")
    tree.add(("tab\there", ""))
    assert render_tree_plain(tree, 80) is None


def test_printer_draws_plain_when_piped_and_with_rich_when_asked_to_colour(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "60")
    t = Table(title=("Help wanted", ""))
    t.add_column("Goal")
    t.add_row(("Stabilize the thing", "bold"))
    out = Printer(console)
    out.table(t)
    assert out.width == 60 and out._console is None  # no rich console was made
    assert capsys.readouterr().out == _rich(to_rich(t), 60)
    monkeypatch.setenv("FORCE_COLOR", "1")
    colour = Printer(console)
    colour.table(t)
    assert colour._console is not None and "\x1b[" in capsys.readouterr().out
