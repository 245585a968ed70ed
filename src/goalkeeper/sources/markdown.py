"""Markdown structure of a document: headings, sections and tables, with line numbers.

markdown-it-py finds the blocks (so `#` and `|` lines inside code fences, HTML blocks and
block quotes are never mistaken for headings or tables); table rows are then split from the raw
lines so every cell keeps its column and ragged rows can be reported at the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token


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


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    md.core.ruler.disable(["inline"])  # block structure is all we need; ~2x faster
    return md


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
    # markdown-it normalizes line endings; do the same first so its line numbers match ours
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    tokens = _parser().parse(text)
    headings: list[Heading] = []
    tables: list[Table] = []
    code: set[int] = set()
    html_blocks: list[tuple[int, str]] = []
    broken: list[tuple[int, str]] = []
    ragged: list[tuple[Row, int]] = []

    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.type == "heading_open" and tok.map:
            title = tokens[i + 1].content.strip() if i + 1 < n else ""
            if tok.level == 0:
                headings.append(Heading(int(tok.tag[1:]), _clean_heading(title), tok.map[0] + 1))
        elif tok.type in ("fence", "code_block", "html_block") and tok.map:
            code.update(range(tok.map[0] + 1, tok.map[1] + 1))
            if tok.type == "html_block":
                html_blocks.append((tok.map[0] + 1, tok.content))
        elif tok.type == "table_open" and tok.map and tok.level == 0:
            i, table = _read_table(tokens, i, lines, ragged)
            if table is not None:
                tables.append(table)
            continue
        elif tok.type == "paragraph_open" and tok.map:
            _tables_in_paragraph(lines, tok.map[0], tok.map[1], tables, broken, ragged)
        i += 1

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


def _clean_heading(title: str) -> str:
    # `## Summary {#summary}` style attributes are not part of the title
    return re.sub(r"\s*\{#[^}]*\}\s*$", "", title).strip()


def _read_table(
    tokens: list[Token], i: int, lines: list[str], ragged: list[tuple[Row, int]]
) -> tuple[int, Table | None]:
    rows: list[Row] = []
    start = tokens[i].map
    assert start is not None
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open" and tok.map:
            ln = tok.map[0]
            raw = lines[ln] if ln < len(lines) else ""
            if "|" in raw:  # GFM continues a table with any line; we want real rows only
                rows.append(split_row(raw, ln + 1))
        i += 1
    i += 1  # past table_close
    if not rows:
        return i, None
    header, body = rows[0], rows[1:]
    width = len(header.cells)
    for r in body:
        if len(r.cells) > width:
            ragged.append((r, width))
    return i, Table(header, tuple(body), start[0] + 1, start[1])


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
