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
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from itertools import accumulate, repeat
from typing import Any

import pyromark

from ..records import Record, dataclass, field


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Cell(Record):
    text: str
    column: int  # 1-based column of the cell's first non-blank character


class Row:
    """A table row: its line (1-based) and its cells' texts, split as GFM splits a row. A cell's
    column is worked out from the raw line the first time one is asked for: a document's rows
    are many, and only those read into a goal need columns."""

    __slots__ = ("_columns", "_raw", "line", "texts")

    def __init__(self, line: int, texts: tuple[str, ...], raw: str = "",
                 columns: tuple[int, ...] | None = None) -> None:
        self.line = line
        self.texts = texts
        self._raw = raw
        self._columns = columns

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(map(Cell, self.texts, self.columns))

    @property
    def columns(self) -> tuple[int, ...]:
        """1-based column of each cell's first non-blank character."""
        if self._columns is None:
            self._columns = _split(self._raw)[1]
        return self._columns

    def text(self, i: int) -> str:
        return self.texts[i] if i < len(self.texts) else ""

    def first(self, n: int) -> tuple[str, ...]:
        """The texts of the first `n` cells, "" for those a short row lacks (what `text(i)`
        gives for each, in one step)."""
        texts = self.texts
        return texts[:n] if len(texts) >= n else texts + ("",) * (n - len(texts))

    def column(self, i: int) -> int:
        return self.columns[i] if i < len(self.texts) else 1

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return (self.line, self.texts) == (other.line, other.texts)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.line, self.texts))

    def __repr__(self) -> str:
        return f"Row(line={self.line!r}, texts={self.texts!r})"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Table(Record):
    header: Row
    rows: tuple[Row, ...]
    line: int
    end_line: int

    @property
    def width(self) -> int:
        return len(self.header.texts)

    def header_texts(self) -> list[str]:
        return list(self.header.texts)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Heading(Record):
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
    #: Every section in document order (what walking `sections` gives), kept from the parse.
    flat_sections: list[Section] = field(default_factory=list, repr=False, compare=False)
    #: The text parsed (newlines normalized): checks look for a marker in it once, not per line.
    text: str = field(default="", repr=False, compare=False)
    #: Sections by lowercased title, made by the first `find_sections`.
    _titles: dict[str, list[Section]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def all_sections(self) -> list[Section]:
        return list(self.flat_sections)

    def find_sections(self, title: str) -> list[Section]:
        """The sections with this title (any case, surrounding blanks ignored), in order."""
        if self._titles is None:  # a goal asks for half a dozen titles: one pass, then look-ups
            self._titles = {}
            for s in self.flat_sections:
                self._titles.setdefault(s.title.strip().lower(), []).append(s)
        return list(self._titles.get(title.strip().lower(), ()))


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
    if "\\|" in raw or _ESCAPED_PIPE in raw:
        texts, columns = _split(raw)
        return Row(line, texts, raw, columns)
    return Row(line, next(_texts((raw,))), raw)  # (columns are worked out when asked for)


def _texts(raws: Iterable[str]) -> Iterator[tuple[str, ...]]:
    """The cells' texts of each row without an escaped pipe, as `_split` gives them, with no
    loop in Python: strip the line, drop one leading and one trailing pipe, split at the pipes,
    strip each cell."""
    bodies = map(str.removesuffix, map(str.removeprefix, map(str.strip, raws), _PIPES), _PIPES)
    return map(tuple, map(map, repeat(str.strip), map(str.split, bodies, _PIPES)))


_PIPES = repeat("|")


def _split(raw: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The texts of a raw table line's cells and the 1-based column where each begins."""
    escaped = "\\|" in raw or _ESCAPED_PIPE in raw
    s = raw.replace("\\|", _ESCAPED_PIPE + " ") if escaped else raw  # same length: columns stay
    stripped = s.lstrip()
    start = len(s) - len(stripped)
    if stripped.startswith("|"):
        start += 1
    end = len(s.rstrip())
    if end > start and s[end - 1] == "|":
        end -= 1
    texts: list[str] = []
    columns: list[int] = []
    pos = start + 1  # 1-based column of the segment
    for seg in s[start:end].split("|"):
        text = seg.lstrip()
        columns.append(pos + len(seg) - len(text))
        text = text.rstrip()
        if escaped:
            text = text.replace(_ESCAPED_PIPE + " ", "|").replace(_ESCAPED_PIPE, "|")
        texts.append(text)
        pos += len(seg) + 1
    return tuple(texts), tuple(columns)


_DELIM_CELL = re.compile(r"^\s*:?-+:?\s*$")


def _is_delimiter(raw: str) -> bool:
    return all(map(_DELIM_CELL.match, split_row(raw, 0).texts))


def parse(text: str) -> Document:
    """Parse markdown text into headings, sections and tables. Never raises on any input."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, data, events = _events(text)
    lines = text.split("\n")
    count = data.count
    at, line_at = 0, 1  # the byte offset asked for last, and its line

    def line_of(offset: int) -> int:
        """1-based line of a byte offset: the newlines between it and the offset asked for
        last, counted in native code. Events come in source order, so each stretch of the
        text is counted about once, and no table of line starts is built."""
        nonlocal at, line_at
        if offset >= at:
            line_at += count(b"\n", at, offset)
        else:
            line_at -= count(b"\n", offset, at)
        at = offset
        return line_at

    headings: list[Heading] = []
    tables: list[Table] = []
    code: set[int] = set()
    html_blocks: list[tuple[int, str]] = []
    broken: list[tuple[int, str]] = []
    ragged: list[tuple[Row, int]] = []
    depth = 0  # open block quotes, lists and footnote definitions

    # Each leaf block (paragraph, heading, code, HTML, table) is read to its end by a loop of
    # its own that looks only for the events it needs, so most events cost one comparison.
    for event, span in events:
        if type(event) is dict:  # what _block says, without the call (most events are here)
            if "Start" in event:
                kind, tag = "Start", event["Start"]
            elif "End" in event:
                kind, tag = "End", event["End"]
            else:
                kind = tag = ""
            name = tag if type(tag) is str else next(iter(tag))
            if name in _INLINE:
                kind = ""
        else:
            kind, name, tag = _block(event)
        if not kind:  # inline content straight in a list item: a tight item's paragraph
            first, last = span["start"], span["end"]
            for event, span in events:
                # most of an item's events are text, code and line breaks: not blocks
                if type(event) is str:
                    if event != "Rule":
                        last = span["end"]
                        continue
                elif "Text" in event or "Code" in event:
                    last = span["end"]
                    continue
                kind, name, tag = _block(event)
                if kind:
                    break
                last = span["end"]
            if data.find(b"|", first, last) >= 0:
                _tables_in_paragraph(lines, line_of(first) - 1, line_of(max(first, last - 1)),
                                     tables, broken, ragged)
            if not kind:  # the events ended
                break
        if kind != "Start":
            if kind == "End" and name in _CONTAINERS:
                depth -= 1
            continue
        if name in _CONTAINERS:
            depth += 1
        elif name == "Paragraph":
            if data.find(b"|", span["start"], span["end"]) >= 0:  # else no table-like line
                _tables_in_paragraph(lines, line_of(span["start"]) - 1, line_of(span["end"] - 1),
                                     tables, broken, ragged)
            for event, _ in events:
                if event == _PARAGRAPH_END:
                    break
        elif name == "Heading":  # only top-level headings and tables structure the document
            level = tag["Heading"]["level"]
            end = {"End": {"Heading": level}}
            line = line_of(span["start"])
            first = last = -1  # byte range of the heading's inline source
            for event, span in events:
                if event == end:
                    if depth == 0:
                        title = data[first:last].decode("utf-8", "replace") if first >= 0 else ""
                        headings.append(Heading(_LEVELS[level], _clean_heading(title.strip()), line))
                    break
                if first < 0:
                    first = span["start"]
                last = span["end"]
        elif name == "CodeBlock" or name == "HtmlBlock":
            start = line_of(span["start"])
            code.update(range(start, line_of(max(span["start"], span["end"] - 1)) + 1))
            if name == "CodeBlock":
                for event, _ in events:
                    if event == _CODE_END:
                        break
            else:
                html: list[str] = []
                for event, _ in events:
                    if event == _HTML_END:
                        break
                    if type(event) is dict and "Html" in event:
                        html.append(event["Html"])
                html_blocks.append((start, "".join(html)))
        elif name == "Table":
            for event, _ in events:  # rows are lines: read from the source, not the events
                if event == _TABLE_END:
                    break
            if depth == 0:  # only top-level tables structure the document
                first_line, last_line = line_of(span["start"]), line_of(span["end"] - 1)
                _add_table(_table_rows(lines, first_line, last_line), (first_line, last_line),
                           tables, ragged)

    tables.sort(key=lambda t: t.line)
    sections, flat = _build_sections(headings, tables, lines)
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
        flat_sections=flat,
        text=text,
    )


def _events(text: str) -> tuple[str, bytes, Iterator[tuple[Any, Any]]]:
    """The text pulldown-cmark read (see `_encoded`), its UTF-8 bytes and its events (raw
    dicts), adjacent texts merged as the floor's `events` merges them: one event and one
    range for a run of text. The bytes are asked for once the parser has read the text:
    CPython keeps the UTF-8 it made of a non-ASCII string, so they are a copy of it, not a
    second encoding."""
    try:
        events = _parser().events_with_range(text, merge_text=True)
    except UnicodeEncodeError:
        text = _encoded(text)[0]
        events = _parser().events_with_range(text, merge_text=True)
    return text, text.encode("utf-8"), iter(events)


def _encoded(text: str) -> tuple[str, bytes]:
    """`text` as pulldown-cmark can read it, and its UTF-8 bytes. A lone surrogate (no file
    decodes to one, but a string from elsewhere may hold one) becomes U+FFFD, one character
    for one, so lines and columns stay where they were."""
    try:
        return text, text.encode("utf-8")
    except UnicodeEncodeError:
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)  # (compiled on this rare path only)
        return text, text.encode("utf-8")


def byte_line_starts(text: str) -> tuple[str, list[int]]:
    """`text` with its line ends made `\n`, and the byte offset (UTF-8) at which each of its
    lines starts: where pulldown-cmark's source ranges fall (a line is `bisect_right` of them)."""
    text, data = _encoded(text.replace("\r\n", "\n").replace("\r", "\n"))
    starts = [0, *accumulate(map(len, data.splitlines(keepends=True)))]
    if data and not data.endswith(b"\n"):
        starts.pop()
    return text, starts


@lru_cache(maxsize=8)
def code_lines(text: str) -> frozenset[int]:
    """What `parse(text).code_lines` is (lines in code and HTML blocks), without reading the rest
    of the document; the last few texts are remembered, as one is often asked about repeatedly."""
    text, starts = byte_line_starts(text)
    code: set[int] = set()
    for event, span in _parser().events_with_range(text, merge_text=True):
        if type(event) is dict and "Start" in event:
            tag = event["Start"]
            if tag == "HtmlBlock" or (type(tag) is dict and "CodeBlock" in tag):
                start = bisect_right(starts, span["start"])
                code.update(range(start, bisect_right(starts, max(span["start"], span["end"] - 1)) + 1))
    return frozenset(code)


_CONTAINERS = frozenset({"BlockQuote", "List", "Item", "FootnoteDefinition"})
#: Start and End events of inline elements (everything else that starts or ends is a block).
_INLINE = frozenset({"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript",
                     "Subscript"})
_PARAGRAPH_END = {"End": "Paragraph"}
_CODE_END = {"End": "CodeBlock"}
_HTML_END = {"End": "HtmlBlock"}
_TABLE_END = {"End": "Table"}


def _block(event: Any) -> tuple[str, str, Any]:
    """("Start" or "End", block name, tag) of a block event (a rule is ("Rule", "Rule", None));
    ("", "", None) for inline content."""
    if type(event) is str:  # SoftBreak, HardBreak, Rule
        return ("Rule", "Rule", None) if event == "Rule" else _NOT_A_BLOCK
    if "Start" in event:
        kind, tag = "Start", event["Start"]
    elif "End" in event:
        kind, tag = "End", event["End"]
    else:
        return _NOT_A_BLOCK
    name = tag if type(tag) is str else next(iter(tag))
    return _NOT_A_BLOCK if name in _INLINE else (kind, name, tag)


_NOT_A_BLOCK: tuple[str, str, Any] = ("", "", None)


def _table_rows(lines: list[str], first: int, last: int) -> list[Row]:
    """The header (line `first`, 1-based) and body rows (after the delimiter row, up to line
    `last`) of a table: GFM ends a table row with its line, and continues a table with any line
    up to a blank one or another block; only lines with a `|` are rows here."""
    if first > len(lines):
        return []
    numbers = [n for n in (first, *range(first + 2, min(last, len(lines)) + 1)) if "|" in lines[n - 1]]
    raws = [lines[n - 1] for n in numbers]
    joined = "\n".join(raws)
    if "\\|" in joined or _ESCAPED_PIPE in joined:
        return list(map(split_row, raws, numbers))
    return list(map(Row, numbers, _texts(raws), raws))  # every row at once


def _add_table(rows: list[Row], span: tuple[int, int], tables: list[Table],
               ragged: list[tuple[Row, int]]) -> None:
    if not rows:
        return
    header, body = rows[0], rows[1:]
    width = len(header.texts)
    ragged.extend((r, width) for r in body if len(r.texts) > width)
    tables.append(Table(header, tuple(body), span[0], span[1]))


_LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}


_HEADING_ATTRIBUTES = re.compile(r"(?<!\s)\s*+\{#[^{}]*\}\s*$")


def _clean_heading(title: str) -> str:
    # `## Summary {#summary}` style attributes are not part of the title
    return _HEADING_ATTRIBUTES.sub("", title).strip() if "{#" in title else title.strip()


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
        if len(header.texts) != len(delim.texts):
            broken.append(
                (
                    k + 1,
                    f"table header has {len(header.texts)} columns but its delimiter row has "
                    f"{len(delim.texts)}; markdown reads these lines as a paragraph, not a table",
                )
            )
            return
        end = k + 2
        body: list[Row] = []
        while end < b and lines[end].lstrip().startswith("|"):
            row = split_row(lines[end], end + 1)
            if len(row.texts) > len(header.texts):
                ragged.append((row, len(header.texts)))
            body.append(row)
            end += 1
        tables.append(Table(header, tuple(body), k + 1, end))
        k = end


def _build_sections(
    headings: list[Heading], tables: list[Table], lines: list[str]
) -> tuple[list[Section], list[Section]]:
    """The section tree (its roots) and every section in document order."""
    total = len(lines)
    flat = [Section(h, total) for h in headings]
    levels = [h.level for h in headings]
    starts = [h.line for h in headings]
    roots: list[Section] = []
    stack: list[int] = []  # open sections (their indices), each inside the one below it
    for i, s in enumerate(flat):
        level = levels[i]
        while stack and levels[stack[-1]] >= level:
            flat[stack.pop()].end_line = starts[i] - 1  # a heading ends its level and deeper
        (flat[stack[-1]].children if stack else roots).append(s)
        stack.append(i)
    if tables:  # each table belongs to the innermost section that contains it (sorted by line)
        ends = [s.end_line for s in flat]
        stack.clear()
        i = 0
        for t in tables:
            while i < len(flat) and starts[i] < t.line:
                while stack and ends[stack[-1]] < starts[i]:
                    stack.pop()
                stack.append(i)
                i += 1
            while stack and ends[stack[-1]] < t.line:
                stack.pop()
            if stack:
                flat[stack[-1]].tables.append(t)
    for s in flat:
        own_end = s.children[0].heading.line - 1 if s.children else s.end_line
        s.text = "\n".join(lines[s.heading.line : own_end]).strip()
    return roots, flat
