"""Markdown structure of a document: headings, sections and tables, with line numbers.

pulldown-cmark (through `pyromark`, with the extensions mdBook enables) finds the blocks, with
the source range of each, so `#` and `|` lines inside code fences, HTML blocks and block quotes
are never mistaken for headings or tables; table rows are then split from the raw lines so
every cell keeps its column and ragged rows can be reported at the row. A document is parsed
once, in native code; only the events of its blocks are looked at in Python.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyromark


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    column: int  # 1-based column of the cell's first non-blank character


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # 1-based
    cells: tuple[Cell, ...]

    def text(self, i: int) -> str:
        return self.cells[i].text if i < len(self.cells) else ""

    def column(self, i: int) -> int:
        return self.cells[i].column if i < len(self.cells) else 1


@dataclass(frozen=True, slots=True)
class Table:
    header: Row
    rows: tuple[Row, ...]
    line: int
    end_line: int

    @property
    def width(self) -> int:
        return len(self.header.cells)

    def header_texts(self) -> list[str]:
        return [c.text for c in self.header.cells]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    title: str
    line: int


@dataclass(slots=True)
class Section:
    """A heading and everything up to the next heading of the same or a higher level."""

    heading: Heading
    end_line: int  # last line (inclusive)
    tables: list[Table] = field(default_factory=list)  # tables directly in this section
    children: list[Section] = field(default_factory=list)
    text: str = ""  # the section's own lines (subsections excluded), stripped

    @property
    def title(self) -> str:
        return self.heading.title

    @property
    def level(self) -> int:
        return self.heading.level

    @property
    def line(self) -> int:
        return self.heading.line

    def all_tables(self) -> list[Table]:
        out = list(self.tables)
        for c in self.children:
            out.extend(c.all_tables())
        return out

    def walk(self) -> list[Section]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out


@dataclass(slots=True)
class Document:
    lines: list[str]
    headings: list[Heading]
    tables: list[Table]
    #: Tables before the first heading (a document without a title).
    preamble_tables: list[Table]
    sections: list[Section]  # top-level sections (tree)
    code_lines: frozenset[int]  # lines inside fences, indented code and HTML blocks
    html_blocks: list[tuple[int, str]]
    #: (line, message) for table-like lines that markdown could not read as a table.
    broken_tables: list[tuple[int, str]]
    #: (row, expected width) for rows with more cells than their header.
    ragged_rows: list[tuple[Row, int]]

    def all_sections(self) -> list[Section]:
        out: list[Section] = []
        for s in self.sections:
            out.extend(s.walk())
        return out

    def find_sections(self, title: str) -> list[Section]:
        want = title.strip().lower()
        return [s for s in self.all_sections() if s.title.strip().lower() == want]


#: The extensions mdBook turns on: the site renders documents as the published book does.
OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
    | pyromark.Options.ENABLE_HEADING_ATTRIBUTES
)


@cache
def _parser() -> pyromark.Markdown:
    return pyromark.Markdown(options=OPTIONS)


_ESCAPED_PIPE = "\x00"


def split_row(raw: str, line: int) -> Row:
    """Split a raw table line into cells the way GFM does (``\\|`` is an escaped pipe)."""
    s = raw.replace("\\|", _ESCAPED_PIPE + " ")  # keep the length so columns stay right
    start = 0
    stripped = s.lstrip()
    start = len(s) - len(stripped)
    if stripped.startswith("|"):
        start += 1
    end = len(s.rstrip())
    if end > start and s[end - 1] == "|":
        end -= 1
    cells: list[Cell] = []
    pos = start
    while True:
        nxt = s.find("|", pos, end)
        seg_end = end if nxt < 0 else nxt
        seg = s[pos:seg_end]
        lead = len(seg) - len(seg.lstrip())
        text = seg.strip().replace(_ESCAPED_PIPE + " ", "|").replace(_ESCAPED_PIPE, "|")
        cells.append(Cell(text, pos + lead + 1))
        if nxt < 0:
            break
        pos = nxt + 1
    return Row(line, tuple(cells))


_DELIM_CELL = re.compile(r"^\s*:?-+:?\s*$")


def _is_delimiter(raw: str) -> bool:
    row = split_row(raw, 0)
    return bool(row.cells) and all(_DELIM_CELL.match(c.text) for c in row.cells)


def parse(text: str) -> Document:
    """Parse markdown text into headings, sections and tables. Never raises on any input."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    data = text.encode("utf-8", "surrogatepass")
    starts = [0]
    pos = data.find(b"\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = data.find(b"\n", pos + 1)

    def line_of(offset: int) -> int:  # 1-based line of a byte offset
        return bisect_right(starts, offset)

    headings: list[Heading] = []
    tables: list[Table] = []
    code: set[int] = set()
    html_blocks: list[tuple[int, str]] = []
    broken: list[tuple[int, str]] = []
    ragged: list[tuple[Row, int]] = []
    html_line = 0

    depth = 0  # open block quotes, lists and footnote definitions
    leaf = ""  # the leaf block being read: Heading, Paragraph, CodeBlock, HtmlBlock, Table
    top = True  # the leaf block is not inside a container
    heading_level = heading_line = 0
    first = last = -1  # byte range of a heading's inline source, or of a tight item's text
    table_rows: list[Row] = []
    table_lines = (0, 0)
    html: list[str] = []
    events: Iterator[tuple[Any, Any]] = _parser().events_with_range(text)  # typed dicts, read raw
    for event, span in events:
        if type(event) is dict:
            kind = next(iter(event))
            if kind == "Start":
                tag = event["Start"]
                name = tag if type(tag) is str else next(iter(tag))
            elif kind == "End":
                tag = event["End"]
                name = tag if type(tag) is str else next(iter(tag))
            else:
                name = ""
        else:  # SoftBreak, HardBreak, Rule
            kind = name = event
        if leaf:
            if kind == "End" and name == leaf:
                if leaf == "Heading" and top:
                    title = data[first:last].decode("utf-8", "replace") if first >= 0 else ""
                    headings.append(Heading(heading_level, _clean_heading(title.strip()), heading_line))
                elif leaf == "HtmlBlock":
                    html_blocks.append((html_line, "".join(html)))
                elif leaf == "Table" and top:
                    _add_table(table_rows, table_lines, tables, ragged)
                leaf = ""
                first = -1
            elif leaf == "Heading":
                if first < 0:
                    first = span["start"]
                last = span["end"]
            elif leaf == "HtmlBlock" and kind == "Html":
                html.append(event["Html"])
            elif leaf == "Table" and top and kind == "Start" and name in ("TableHead", "TableRow"):
                ln = line_of(span["start"])
                raw = lines[ln - 1] if ln <= len(lines) else ""
                if "|" in raw:  # GFM continues a table with any line; we want real rows only
                    table_rows.append(split_row(raw, ln))
            continue
        if (kind == "Start" or kind == "End") and name in _INLINE:
            kind = "inline"
        if kind != "Start" and kind != "End" and kind != "Rule":
            # inline content straight in a list item: a tight item's paragraph
            if first < 0:
                first = span["start"]
            last = span["end"]
            continue
        if first >= 0:  # the end of a tight item's paragraph
            _tables_in_paragraph(lines, line_of(first) - 1, line_of(max(first, last - 1)),
                                 tables, broken, ragged)
            first = -1
        if kind != "Start":
            if kind == "End" and name in _CONTAINERS:
                depth -= 1
            continue
        if name in _CONTAINERS:
            depth += 1
        elif name == "Paragraph":
            leaf = name
            _tables_in_paragraph(lines, line_of(span["start"]) - 1, line_of(span["end"] - 1),
                                 tables, broken, ragged)
        elif name == "Heading":  # only top-level headings and tables structure the document
            leaf, top = name, depth == 0
            heading_level, heading_line = _LEVELS[tag["Heading"]["level"]], line_of(span["start"])
        elif name == "CodeBlock" or name == "HtmlBlock":
            leaf = name
            start = line_of(span["start"])
            code.update(range(start, line_of(max(span["start"], span["end"] - 1)) + 1))
            html, html_line = [], start
        elif name == "Table":
            leaf, top = name, depth == 0
            table_rows, table_lines = [], (line_of(span["start"]), line_of(span["end"] - 1))
    if first >= 0:
        _tables_in_paragraph(lines, line_of(first) - 1, line_of(max(first, last - 1)),
                             tables, broken, ragged)
    if leaf == "HtmlBlock":
        html_blocks.append((html_line, "".join(html)))

    tables.sort(key=lambda t: t.line)
    sections = _build_sections(headings, tables, lines)
    first_heading = headings[0].line if headings else len(lines) + 1
    preamble = [t for t in tables if t.line < first_heading]
    return Document(
        lines=lines,
        headings=headings,
        tables=tables,
        preamble_tables=preamble,
        sections=sections,
        code_lines=frozenset(code),
        html_blocks=html_blocks,
        broken_tables=broken,
        ragged_rows=ragged,
    )


_CONTAINERS = frozenset({"BlockQuote", "List", "Item", "FootnoteDefinition"})
#: Start and End events of inline elements (everything else that starts or ends is a block).
_INLINE = frozenset({"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript",
                     "Subscript"})


def _add_table(rows: list[Row], span: tuple[int, int], tables: list[Table],
               ragged: list[tuple[Row, int]]) -> None:
    if not rows:
        return
    header, body = rows[0], rows[1:]
    width = len(header.cells)
    ragged.extend((r, width) for r in body if len(r.cells) > width)
    tables.append(Table(header, tuple(body), span[0], span[1]))
_LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}


def _clean_heading(title: str) -> str:
    # `## Summary {#summary}` style attributes are not part of the title
    return re.sub(r"(?<!\s)\s*+\{#[^{}]*\}\s*$", "", title).strip()


def _tables_in_paragraph(
    lines: list[str],
    a: int,
    b: int,
    tables: list[Table],
    broken: list[tuple[int, str]],
    ragged: list[tuple[Row, int]],
) -> None:
    """`|`-lines that markdown folded into a paragraph.

    A table written right after a list item, without a blank line, is a lazy continuation of the
    item's paragraph in CommonMark; authors (and the Rust program's line-based tool) mean a table,
    so it is read as one. A header whose delimiter row has another column count is reported.
    """
    k = a
    while k < b - 1:
        if not lines[k].lstrip().startswith("|") or not _is_delimiter(lines[k + 1]):
            k += 1
            continue
        header = split_row(lines[k], k + 1)
        delim = split_row(lines[k + 1], k + 2)
        if len(header.cells) != len(delim.cells):
            broken.append(
                (
                    k + 1,
                    f"table header has {len(header.cells)} columns but its delimiter row has "
                    f"{len(delim.cells)}; markdown reads these lines as a paragraph, not a table",
                )
            )
            return
        end = k + 2
        body: list[Row] = []
        while end < b and lines[end].lstrip().startswith("|"):
            row = split_row(lines[end], end + 1)
            if len(row.cells) > len(header.cells):
                ragged.append((row, len(header.cells)))
            body.append(row)
            end += 1
        tables.append(Table(header, tuple(body), k + 1, end))
        k = end


def _build_sections(headings: list[Heading], tables: list[Table], lines: list[str]) -> list[Section]:
    total = len(lines)
    flat: list[Section] = []
    for idx, h in enumerate(headings):
        end = total
        for later in headings[idx + 1 :]:
            if later.level <= h.level:
                end = later.line - 1
                break
        flat.append(Section(h, end))
    roots: list[Section] = []
    stack: list[Section] = []
    for s in flat:
        while stack and stack[-1].level >= s.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(s)
        stack.append(s)
    # each table belongs to the innermost section that contains it
    for t in tables:
        owner: Section | None = None
        for s in flat:
            if s.line < t.line <= s.end_line:
                owner = s  # later (deeper) matches override
        if owner is not None:
            owner.tables.append(t)
    for s in flat:
        own_end = s.children[0].line - 1 if s.children else s.end_line
        s.text = "\n".join(lines[s.line : own_end]).strip()
    return roots
