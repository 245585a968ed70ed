"""Tables and trees the views print: rich on a terminal, the same characters without rich when
piped.

Piped output (a CI log, `> file`, a test) has no colours or styles, so all rich would do there
is lay the table out, and importing rich's console and table costs a view 20-30 ms, and laying
out a few hundred cells as much again. `Table` takes the title, columns and rows a command
would give rich's Table; `Printer.table` prints it with rich when rich would draw in colour
(a terminal, FORCE_COLOR, ...), and otherwise lays it out here by rich's rules, to the same
characters: columns measured, widened and collapsed as rich.table does, cells word-wrapped and
folded as rich.text does, the heavy-headed box. Plain strings that rich would read as markup
or emoji codes, control characters and tabs go to rich, as does a width too narrow to lay
out. `Tree` and `Printer.tree` do the same for rich.tree (rich.console alone is 30 ms to
import): the guides rich draws, each label wrapped as rich.text wraps a paragraph.
tests/test_cli_tables.py compares both on random tables and trees.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal

from . import echo

if TYPE_CHECKING:
    from rich.console import Console

#: A cell: plain text, or (text, rich style) parts (styles show on a terminal only).
Cell = str | tuple[str, str] | list[tuple[str, str]]
Justify = Literal["left", "right"]


class Column:
    """A column as rich.table.Table.add_column takes it. (Plain classes here, not dataclasses:
    the generated methods would be compiled at every import, for a few objects a run.)"""

    __slots__ = ("header", "justify", "max_width", "overflow", "ratio")

    def __init__(self, header: str, justify: Justify = "left", max_width: int | None = None,
                 ratio: int | None = None, overflow: Literal["fold", "ellipsis"] = "fold") -> None:
        self.header = header
        self.justify = justify
        self.max_width = max_width
        self.ratio = ratio
        self.overflow = overflow


class Table:
    """A table's title, columns and rows (cells, whether a section ends there, a row style)."""

    __slots__ = ("columns", "rows", "title")

    def __init__(self, title: Cell = "") -> None:
        self.title = title
        self.columns: list[Column] = []
        self.rows: list[tuple[list[Cell], bool, str | None]] = []

    def add_column(self, header: str, *, justify: Justify = "left", max_width: int | None = None,
                   ratio: int | None = None, overflow: Literal["fold", "ellipsis"] = "fold") -> None:
        self.columns.append(Column(header, justify, max_width, ratio, overflow))

    def add_row(self, *cells: Cell, end_section: bool = False, style: str | None = None) -> None:
        self.rows.append((list(cells), end_section, style))


class Tree:
    """A tree as rich.tree.Tree draws it: a label (a cell) over its children."""

    __slots__ = ("children", "label")

    def __init__(self, label: Cell) -> None:
        self.label = label
        self.children: list[Tree] = []

    def add(self, label: Cell) -> Tree:
        node = Tree(label)
        self.children.append(node)
        return node


class Printer:
    """Prints tables and lines of text to standard output, through rich only where needed."""

    def __init__(self, console_factory: Callable[[], Console]) -> None:
        self._factory = console_factory
        self._console: Console | None = None
        plain = _plain_width()  # None: rich draws (a terminal, or asked to colour)
        self.width: int = self.console.width if plain is None else plain

    @property
    def console(self) -> Console:
        if self._console is None:
            self._console = self._factory()
        return self._console

    def table(self, table: Table) -> None:
        if self._console is None and (out := render_plain(table, self.width)) is not None:
            echo(out, nl=False)
            return
        self.console.print(to_rich(table))

    def tree(self, tree: Tree) -> None:
        if self._console is None and (out := render_tree_plain(tree, self.width)) is not None:
            echo(out, nl=False)
            return
        self.console.print(tree_to_rich(tree))

    def text(self, text: Cell, *, markup: bool = True) -> None:
        """One paragraph, as `Console.print(text, highlight=False)` prints it."""
        plain = _plain(text)
        # markup or an emoji code in a plain string is rich's to read
        read = isinstance(text, str) and (_emoji(plain) or (markup and _markup(plain)))
        if self._console is None and not read and _plain_ok(plain):
            lines = wrap(plain, self.width, "default")
            echo("".join(f"{line}\n" for line in lines), nl=False)
            return
        self.console.print(_rich_cell(text), highlight=False, markup=markup)


def _plain_width() -> int | None:
    """The width rich would give a console that is not a terminal, or None when rich would
    treat the output as a terminal (and draw with styles)."""
    env = os.environ
    if sys.platform == "win32" or any(k in env for k in ("FORCE_COLOR", "TTY_COMPATIBLE",
                                                          "TTY_INTERACTIVE", "JUPYTER_COLUMNS")):
        return None
    out = sys.stdout
    isatty = getattr(out, "isatty", None)
    try:
        if isatty is None or isatty():
            return None
    except ValueError:
        return None
    if not (getattr(out, "encoding", "utf-8") or "utf-8").lower().startswith("utf"):
        return None  # rich would draw an ASCII box
    columns = env.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() else 160  # cli.console()'s width for pipes
    return width if width >= 20 else None


# ---------------------------------------------------------------------- rich


def to_rich(table: Table) -> Any:
    from rich.table import Table as RichTable

    t = RichTable(title=_rich_cell(table.title) if table.title else None, title_justify="left")
    for c in table.columns:
        t.add_column(c.header, justify=c.justify, overflow=c.overflow, max_width=c.max_width,
                     ratio=c.ratio)
    for cells, end_section, style in table.rows:
        t.add_row(*[_rich_cell(c) for c in cells], end_section=end_section, style=style)
    return t


def tree_to_rich(tree: Tree) -> Any:
    from rich.tree import Tree as RichTree

    def grow(node: Tree, into: Any) -> None:
        for child in node.children:
            grow(child, into.add(_rich_cell(child.label)))

    root = RichTree(_rich_cell(tree.label))
    grow(tree, root)
    return root


def _rich_cell(cell: Cell) -> Any:
    if isinstance(cell, str):
        return cell  # rich reads markup in plain strings, as it always has here
    from rich.text import Text

    parts = [cell] if isinstance(cell, tuple) else cell
    return Text.assemble(*parts) if len(parts) != 1 else Text(parts[0][0], style=parts[0][1])


# ---------------------------------------------------------------------- plain layout

# The patterns below are written in their calls, for `re` to compile when first used (and
# tests/regex_audit.py to find): compiled at import, they cost 0.1-0.4 ms each, in runs that
# mostly never need them.


def _markup(text: str) -> bool:
    """Whether rich would find console markup in a plain string (rich.markup.RE_TAGS, `[` + tag
    + `]`: written here without its backslash prefix, which can match zero times, so that a
    search is linear)."""
    return "[" in text and re.search(r"\[[a-z#/@][^\[\]]*\]", text) is not None


def _emoji(text: str) -> bool:
    """Whether rich would find an emoji code in a plain string."""
    return ":" in text and re.search(r"(:(\S*?)(?:(?:\-)(emoji|text))?:)", text) is not None


def _read_by_rich(text: str) -> bool:
    return _markup(text) or _emoji(text)


def _plain(cell: Cell) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, tuple):
        return cell[0]
    return "".join(text for text, _ in cell)


def _plain_ok(text: str) -> bool:
    """No character that is not laid out here (a control character: each one str.isprintable
    refuses too)."""
    return (all(line.isprintable() for line in text.split("\n"))
            or re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]", text) is None)


def render_plain(table: Table, width: int) -> str | None:
    """The table as rich draws it on a console `width` wide without styles, or None when this
    layout does not cover it (rich then draws it)."""
    columns = table.columns
    n = len(columns)
    header = [c.header for c in columns]
    body = [[_plain(c) for c in cells] for cells, _, _ in table.rows]
    title = _plain(table.title)
    strings = [*header, *(c for cells, _, _ in table.rows for c in cells if isinstance(c, str))]
    if isinstance(table.title, str):
        strings.append(table.title)
    if any(map(_read_by_rich, strings)):
        return None  # markup or emoji codes: rich's reading
    if not n or not all(map(_plain_ok, (*header, *(c for r in body for c in r), title))):
        return None
    if any(len(r) > n for r in body):
        return None
    rows = [header, *[[*r, *[""] * (n - len(r))] for r in body]]
    extra = 2 + n - 1
    widths = _column_widths(columns, rows, width - extra)
    if widths is None:
        return None
    table_width = sum(widths) + extra
    out: list[str] = []
    if title:
        out += wrap(title, table_width, "left")
    out.append("┏" + "┳".join("━" * w for w in widths) + "┓")
    for i, cells in enumerate(rows):
        rendered = []
        for w, text, col in zip(widths, cells, columns, strict=True):
            inner = w - 2
            if len(text) <= inner and _narrow(text):  # one line that fits: wrap's first case
                if col.justify == "right":
                    text = text.rstrip()
                    rendered.append([f" {' ' * (inner - len(text))}{text} "])
                else:
                    rendered.append([f" {text}{' ' * (inner - len(text))} "])
            else:
                rendered.append([f" {line} " for line in wrap(text, inner, col.justify, col.overflow)])
        height = max(len(c) for c in rendered)
        if height > 1:
            for w, c in zip(widths, rendered, strict=True):
                blank = [" " * w] * (height - len(c))
                c[:] = blank + c if i == 0 else c + blank  # the header sits at the bottom
        bar = "┃" if i == 0 else "│"
        for ln in range(height):
            out.append(bar + bar.join(c[ln] for c in rendered) + bar)
        if i == 0:
            out.append("┡" + "╇".join("━" * w for w in widths) + "┩")
        elif i < len(rows) - 1 and table.rows[i - 1][1]:
            out.append("├" + "┼".join("─" * w for w in widths) + "┤")
    out.append("└" + "┴".join("─" * w for w in widths) + "┘")
    return "".join(f"{line}\n" for line in out)


def render_tree_plain(tree: Tree, width: int) -> str | None:
    """The tree as rich draws it on a console `width` wide without styles (its guides, each
    label word-wrapped to the width its guides leave), or None when rich is to draw it."""
    out: list[str] = []

    def draw(node: Tree, first: str, rest: str) -> bool:
        """`first`: the guides before the label's first line; `rest`: before its other lines
        and before its children's guides."""
        text = _plain(node.label)
        if isinstance(node.label, str) and _read_by_rich(text):
            return False  # markup or emoji codes: rich's reading
        room = width - len(first)  # guides are one cell a character
        if room < 1 or not _plain_ok(text):
            return False
        for k, line in enumerate(wrap(text, room, "default")):
            out.append(f"{first if k == 0 else rest}{line}\n")
        last = len(node.children) - 1
        return all(draw(child, rest + ("└── " if i == last else "├── "),
                        rest + ("    " if i == last else "│   "))
                   for i, child in enumerate(node.children))

    return "".join(out) if draw(tree, "", "") else None


#: Characters rich measures one cell wide in every Unicode version it has tables for (as
#: tests/test_cli_tables.py checks): Latin, Greek and Cyrillic letters, punctuation, dashes and
#: quotes, letterlike symbols, arrows, mathematical operators, box drawing, Braille. Text of
#: these alone is measured by its length, without rich's tables (3 ms to import and load).
NARROW = ("\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e\u2100-\u22ff"
          "\u2500-\u25fc\u2800-\u28ff")


@cache
def _narrow_set() -> frozenset[str]:
    return frozenset(chr(c) for i in range(0, len(NARROW), 3)  # NARROW is ranges, "a-z..."
                     for c in range(ord(NARROW[i]), ord(NARROW[i + 2]) + 1))


def _narrow(text: str) -> bool:
    return (text.isascii() and text.isprintable()) or _narrow_set().issuperset(text)


def _cells(text: str) -> int:
    """rich's cell_len."""
    if _narrow(text):
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _widest(text: str) -> int:
    """The cells of the text's widest line."""
    if _narrow(text):  # one line ("\n" is not narrow)
        return len(text)
    return max((_cells(line) for line in text.splitlines()), default=0)


def _chop(text: str, width: int) -> list[str]:
    """rich's chop_cells, for narrow text."""
    return [text[i : i + width] for i in range(0, len(text), width)]


def _set_size(text: str, total: int) -> str:
    """rich's set_cell_size, for narrow text."""
    return text + " " * (total - len(text)) if len(text) < total else text[:total]


def _column_widths(columns: Sequence[Column], rows: list[list[str]], max_width: int) -> list[int] | None:
    if max_width < 1:
        return None
    # rich lays columns out by their widest cells only: a cell (its text padded one space each
    # side) measures its widest line, within the limit. That grows with the line, so a column
    # measures as its widest line does, found once here rather than for every limit tried.
    widest = [max(map(_widest, (r[i] for r in rows))) for i in range(len(columns))]

    def measure(i: int, limit: int) -> int:
        if limit < 1:
            return 0
        most = limit if limit - 2 < 1 else min(min(widest[i], limit) + 2, limit)
        cap = columns[i].max_width
        return most if cap is None else min(most, cap + 2)

    widths = [measure(i, max_width) or 1 for i in range(len(columns))]
    if sum(widths) > max_width:
        widths = _collapse(widths, max_width)
        if sum(widths) > max_width:
            widths = _ratio_reduce(sum(widths) - max_width, [1] * len(widths), widths, widths)
        widths = [measure(i, w) for i, w in enumerate(widths)]
    if any(w < 3 for w in widths):
        return None  # no room for a character beside the padding: rich's rules get odd
    return widths


def _collapse(widths: list[int], max_width: int) -> list[int]:
    total = sum(widths)
    excess = total - max_width
    while total and excess > 0:
        widest = max(widths)
        second = max((w for w in widths if w != widest), default=0)
        ratios = [1 if w == widest else 0 for w in widths]
        if not any(ratios) or not widest - second:
            break
        widths = _ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
        total = sum(widths)
        excess = total - max_width
    return widths


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    ratios = [r if m else 0 for r, m in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, maximum, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            given = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - given)
            remaining -= given
            total_ratio -= ratio
        else:
            out.append(value)
    return out




def wrap(text: str, width: int, justify: Literal["left", "right", "default"],
         overflow: Literal["fold", "ellipsis"] = "fold") -> list[str]:
    """rich's Text.wrap: lines of at most `width` cells (a longer word folded, or cropped with an
    ellipsis), padded to `width` unless the justification is "default"."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width and _fits(line, width):
            # rich breaks a line before a word only where the line so far and the word pass
            # `width`: a line that fits comes out whole
            if justify == "left":
                line += " " * (width - _cells(line))
            elif justify == "right":
                line = line.rstrip()
                line = " " * (width - _cells(line)) + line
            out.append(line)
        else:
            out += _wrap_line(line, width, justify, overflow)
    return out


def _fits(line: str, width: int) -> bool:
    """Whether the line is at most `width` cells, and its words' cells add up to the line's
    (they do but for zero-width joiners and emoji presentation selectors, which change the
    width of a neighbour)."""
    if _narrow(line):
        return True  # at most `width` characters
    return "\u200d" not in line and "\ufe0f" not in line and _cells(line) <= width


def _wrap_line(line: str, width: int, justify: Literal["left", "right", "default"],
               overflow: Literal["fold", "ellipsis"]) -> list[str]:
    if _narrow(line):  # and so is every piece of it, and an ellipsis
        cell_len: Callable[[str], int] = len
        chop_cells: Callable[[str, int], list[str]] = _chop
        set_cell_size: Callable[[str, int], str] = _set_size
    else:
        from rich.cells import cell_len, chop_cells, set_cell_size

    def truncate(piece: str) -> str:
        if cell_len(piece) <= width:
            return piece
        return set_cell_size(piece, width) if overflow == "fold" else set_cell_size(piece, width - 1) + "…"

    out: list[str] = []
    breaks: list[int] = []
    offset = 0
    for k, m in enumerate(re.finditer(r"\S+\s*", line)):
        # the first word starts with the line's indent, as rich's words do
        start, word = (0, line[: m.end()]) if k == 0 else (m.start(), m[0])
        length = cell_len(word.rstrip())
        if width - offset >= length:
            offset += cell_len(word)
        elif length > width and overflow == "fold":
            folded = chop_cells(word, width)
            for k, piece in enumerate(folded):
                if start:
                    breaks.append(start)
                if k == len(folded) - 1:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif length > width:
            if start:
                breaks.append(start)
            offset = cell_len(word)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    bounds = [0, *breaks, len(line)]
    pieces = [line[a:b] for a, b in pairwise(bounds)] if breaks else [line]
    for piece in pieces:
        if len(piece) > width and (spaces := len(piece) - len(piece.rstrip())):
            piece = piece[: len(piece) - min(spaces, len(piece) - width)]
        if justify == "right":
            piece = truncate(piece.rstrip())
            piece = " " * (width - cell_len(piece)) + piece
        elif justify == "left":
            length = cell_len(piece)
            piece = truncate(piece)
            if length < width:
                piece += " " * (width - length)
        piece = truncate(piece)
        if justify != "default":
            piece = set_cell_size(piece, width)  # what render_lines pads or crops to
        out.append(piece)
    return out
