from bisect import bisect_right

from hypothesis import given
from hypothesis import strategies as st

from goalkeeper.sources.markdown import (
    _parser,
    _split,
    _table_rows,
    byte_line_starts,
    code_lines,
    parse,
    split_row,
)


def test_split_row_keeps_columns_and_escaped_pipes() -> None:
    row = split_row("| a | b \\| c |  d|", 7)
    assert [c.text for c in row.cells] == ["a", "b | c", "d"]
    assert [c.column for c in row.cells] == [3, 7, 17]
    assert row.line == 7


@given(st.text(alphabet=" \t|\\a-\u00a0\u2003`:\x00", max_size=30))
def test_a_row_split_without_the_loop_is_the_row_split_with_it(raw: str) -> None:
    """Rows without an escaped pipe take a path with no Python loop; their cells and columns
    are the ones the full split gives, whatever the blanks and pipes."""
    texts, columns = _split(raw)
    row = split_row(raw, 1)
    assert row.texts == texts and row.columns == columns
    assert [(c.text, c.column) for c in row.cells] == list(zip(texts, columns, strict=True))
    assert row.text(len(texts)) == "" and row.column(len(texts)) == 1
    assert row.first(len(texts) + 2) == (*texts, "", "") and row.first(1) == texts[:1]


_LINES = ["# Tïtle", "## Sëction", "", "text ü → ok", "```", "~~~", "    indented", "- item",
          "  - nested | pipe", "> quote", "| a | b |", "|---|---|", "| ✓ | 2 |", "<div>", "</div>",
          "Setext", "===", "\r", "    ```", "[^1]: note"]


@given(st.lists(st.sampled_from(_LINES), max_size=25), st.booleans())
def test_lines_of_blocks_are_the_lines_their_byte_offsets_fall_on(lines: list[str], end: bool) -> None:
    """Block lines are counted from pulldown-cmark's byte offsets as the parse goes; they are
    the lines a table of every line's start gives, with multi-byte characters, carriage
    returns and no final newline."""
    text = "\n".join(lines) + ("\n" if end else "")
    doc = parse(text)
    assert doc.code_lines == code_lines(text)  # counted separately, from a table of starts
    normalized, starts = byte_line_starts(text)
    heading_lines = [bisect_right(starts, span["start"])
                     for event, span in _parser().events_with_range(normalized)
                     if type(event) is dict and "Heading" in str(event.get("Start", ""))]
    nested = {line for line in heading_lines if normalized.split("\n")[line - 1][:1] in " >-"}
    assert [h.line for h in doc.headings] == [line for line in heading_lines if line not in nested]


@given(st.lists(st.text(alphabet=" \t|\\a-\u00a0`:", max_size=20), min_size=1, max_size=8))
def test_a_table_splits_its_rows_as_split_row_does(lines: list[str]) -> None:
    """A table's rows are split all at once; each is the row split_row makes of its line (the
    second line, the delimiter row, is not a row)."""
    rows = _table_rows(lines, 1, len(lines))
    numbers = [n for n in (1, *range(3, len(lines) + 1)) if "|" in lines[n - 1]]
    assert rows == [split_row(lines[n - 1], n) for n in numbers]
    assert [r.columns for r in rows] == [split_row(lines[n - 1], n).columns for n in numbers]


def test_headings_and_tables_inside_fences_are_ignored() -> None:
    doc = parse("# Title\n\n```markdown\n# not a heading\n| a | b |\n|---|---|\n```\n\n## Real\n")
    assert [(h.level, h.title, h.line) for h in doc.headings] == [(1, "Title", 1), (2, "Real", 9)]
    assert doc.tables == []
    assert {4, 5, 6} <= doc.code_lines


def test_sections_nest_and_own_their_tables() -> None:
    doc = parse(
        "# T\n\n## A\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n### A1\n\n| p |\n|---|\n| q |\n\n## B\ntext\n"
    )
    (root,) = doc.sections
    a, b = root.children
    assert a.title == "A" and [c.title for c in a.children] == ["A1"]
    assert [t.line for t in a.tables] == [5]
    assert [t.line for t in a.children[0].tables] == [11]
    assert b.text == "text"
    assert len(a.all_tables()) == 2


def test_ragged_and_broken_tables_are_reported_at_the_row() -> None:
    doc = parse("# T\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n\n| h | i |\n|---|\n| 1 | 2 |\n")
    assert [(r.line, w) for r, w in doc.ragged_rows] == [(5, 2)]
    assert [line for line, _ in doc.broken_tables] == [7]


def test_lines_without_pipes_do_not_become_rows() -> None:
    doc = parse("# T\n\n| Metadata | |\n|---|---|\n| Status | Proposed |\n[x]: https://example.com\n")
    (table,) = doc.tables
    assert [r.text(0) for r in table.rows] == ["Status"]


def test_parse_never_raises_on_odd_input() -> None:
    for text in ["", "|", "||\n|-|", "#", "```", "<div>", "\x0b\x0c", "| a |\n| - |\n" * 3]:
        parse(text)


def test_table_right_after_a_list_item_is_still_a_table() -> None:
    # CommonMark folds these lines into the list item's paragraph; authors mean a table.
    doc = parse("# T\n\n* item\n  more\n| Task | Owner |\n| --- | --- |\n| a | @b |\n\nafter\n")
    (table,) = doc.tables
    assert table.header_texts() == ["Task", "Owner"]
    assert [(r.line, r.text(1)) for r in table.rows] == [(7, "@b")]


def test_carriage_returns_do_not_shift_lines() -> None:
    doc = parse("\r\n\r| a | b |\r\n| - | - |\r| 1 | 2 | 3 |\n")
    assert [t.line for t in doc.tables] == [3]
    assert [r.line for r, _ in doc.ragged_rows] == [5]


def test_footnote_definitions_are_read_as_mdbook_reads_them() -> None:
    # mdBook enables footnotes: an indented line after a definition continues the footnote
    # (rendered as text, not as a code block), so a table there is live markdown
    doc = parse("# T\n\n[^1]: A note\n\n    more of the note\n")
    assert doc.code_lines == frozenset()


def test_heading_attributes_are_not_part_of_the_title() -> None:
    doc = parse("# Title {#top}\n\n## Summary {#summary .wide}\n\ntext\n")
    assert [(h.level, h.title) for h in doc.headings] == [(1, "Title"), (2, "Summary")]


def test_lone_surrogates_are_read_as_replacement_characters() -> None:
    """A string that no file decodes to (a lone surrogate, as a JSON escape can make) is parsed,
    not raised on: pulldown-cmark reads UTF-8 only."""
    text = "# a\ud800b\n\n| x | \udfff |\n|---|---|\n\n```\n\ud801\n```\n"
    doc = parse(text)
    assert [(h.title, h.line) for h in doc.headings] == [("a\ufffdb", 1)]
    assert [t.header_texts() for t in doc.tables] == [["x", "\ufffd"]]
    assert doc.code_lines == code_lines(text) == frozenset({6, 7, 8})
