"""Code lines carried across edits (sources/blocks.py) are always those a parse of the edited
text gives, on every line with text: the carry is only a shortcut, never a different answer."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from goalkeeper.sources import blocks, markdown

#: Lines of every kind that opens, continues or closes a block, with links and labels to edit.
LINES = [
    "", "", "text [a] here", "para with [link](x.md) end", "```", "```rust", "~~~", "  ```",
    "    indented [x](y.md)", "\tTab [y]", "- item [a](b.md)", "  - nested [b](y.md)", "1. num [c]",
    "10) ten [x](y.md)", "2026 goals [a](b.md)", "> quote [d](e.md)", ">     code in quote [e]",
    "   > >  deep [a](b.md)", "> - [q](w.md) x", "<div>", "</div>", "<!-- c -->", "<!--", "-->",
    "<script>", "</script>", "<pre>", "</pre>", "<?php [u]", "?>", "<!X [v]", "<![CDATA[ [w]",
    "]]>", "<custom-tag>", "<div>[a](b.md)</div>", "<a href=\"[m](q.md)\">", "| a | b [x](y.md) |",
    "|---|---|", "| 1 | [2](z.md) |", "a | b", "--- | ---", ":--|--:", "| x \\| y [z] |",
    "[a]: x.md", "[b]: y.md \"t\"", "[a]: <b.md>", "[a]: b.md (x)", "  [c]:", "    z.md", "[foo",
    "bar]: x.md", "  'ti", "tle' [a](b.md)", "  \"title\"",
    "[^f]: note [g](h.md)", "[^n]:", "    more [h]", "# Head [i](j.md)", "#tag [a](b.md)",
    "######## [a](b.md)", "Setext [j]", "===", "---", "***", "* * *", "- - -", "*emph* [a](x.md)",
    "-x [a](b.md)", "_u_ [a]", "=x [b]", "~x [a](b.md)", "\\*4: [a] x", "`code` [x](y.md)",
    "``` not [p] ```", "@alice says [k]", "x @bob [l]", "[z][]", "[y][z]", "![img][k]", "a\\",
    "trailing  ", "- ", "> ", "1.",
]
#: Text an edit puts in: URLs and names as the RFC's passes write them, and block delimiters.
INSERTS = [
    "https://example.com/g/a.html#x", "[Jane Doe][]", "(https://rfcs/1)", "plain", "x y z", "`",
    "|", "<", ">", "\\", "\"", "'", " ", "    ", "\t", "-->", "```", "~~~", "](", "]:", "[", "]",
    "#", "*", "-", "=", ":", "a]", "x]: y",
]


def _edit(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    if rng.random() < 0.75:
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            i = rng.randrange(len(lines))
            line, new = lines[i], rng.choice(INSERTS)
            j = line.find("](")
            k = line.find(")", j)
            if j >= 0 and k > 0 and rng.random() < 0.5:  # a link's target, as absolute links do
                lines[i] = line[: j + 2] + new + line[k:]
            elif line:
                p = rng.randint(0, len(line))
                lines[i] = line[:p] + new + line[p:]
        return "\n".join(lines)
    tail = [rng.choice(["", "[a]: https://x", "[b c]: u", "[x]: <y>", "[d]: z \"t\""])
            for _ in range(rng.randint(1, 4))]
    return text + ("" if text.endswith("\n") else "\n") + "\n".join(tail) + rng.choice(["", "\n"])


def _with_text(text: str, code: frozenset[int]) -> set[int]:
    """The code lines that hold text (a carried set may differ from a parse on blank lines)."""
    lines = text.split("\n")
    return {n for n in code if n <= len(lines) and lines[n - 1].strip(" \t")}


def test_carried_code_lines_are_those_of_a_parse() -> None:
    rng = random.Random(14)
    carried = 0
    for _ in range(3000):
        old = "\n".join(rng.choice(LINES) for _ in range(rng.randint(1, 25))) + rng.choice(["", "\n"])
        new = _edit(rng, old)
        want = markdown.code_lines(new)
        carried += blocks._carry(old, new, markdown.code_lines(old)) is not None
        assert _with_text(new, blocks.code_lines_after(old, new)) == _with_text(new, want), (old, new)
        assert _with_text(new, blocks.code_lines(new)) == _with_text(new, want)
    assert carried > 200  # the shortcut is taken, so what it gives was compared


@pytest.mark.parametrize(("old", "new"), [
    ("| a [x] |\n|---|\n", "| a [x] | b |\n|---|\n"),  # a column more: no longer a table
    ("- a\n\n  #x [y]\n\n      code", "- a\n\n  # x [y]\n\n      code"),  # text became a heading
    ("-x [a](b.md)\n    code", "- x [a](b.md)\n    code"),  # text became a list item
    ("--x | ---\nx\n    y", "--- | ---\nx\n    y"),  # a delimiter row
    ("text\n```\ncode\n", "text\n```\ncode\n\n[a]: u\n"),  # appended inside an open fence
    ("[a] x\n    y", "[a]: x\n    y"),  # a definition where there was none
    ("[a]: x.md\n    y", "[a]: x .md\n    y"),  # a definition no longer valid
    ("[a]: x.md\n  'a b'\n    y", "[a]: x.md\n  'a' b'\n    y"),  # nor its title
])
def test_edits_that_move_blocks_are_parsed_again(old: str, new: str) -> None:
    assert blocks._carry(old, new, markdown.code_lines(old)) is None
    assert blocks.code_lines_after(old, new) == markdown.code_lines(new)


def test_definitions_after_a_closed_comment_are_not_code() -> None:
    old = "# T\n\n<!-- people -->\n"
    new = old + "\n[a]: https://example.com\n"
    assert blocks._carry(old, new, markdown.code_lines(old)) == frozenset({3})
    assert markdown.code_lines(new) == frozenset({3})


def test_outline_is_what_a_parse_says() -> None:
    rng = random.Random(26)
    headings = ["# Title", "## Sub", "Setext", "===", "- # in a list", "> # quoted", "[^n]: # note"]
    for _ in range(1500):
        text = "\n".join(rng.choice(LINES + headings) for _ in range(rng.randint(1, 25)))
        doc = markdown.parse(text)
        first = (doc.headings[0].level, doc.headings[0].line) if doc.headings else None
        assert blocks.outline(text) == (doc.code_lines, first), text


def test_code_lines_without_definitions_are_those_of_a_parse() -> None:
    definition = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
    more = ["[a]: x", "[b]: #b", "  [c]: y", "# Summary", "## H", "", "", "- item", "    indented"]
    rng = random.Random(2026)
    carried = 0
    for _ in range(2000):
        text = "\n".join(rng.choice(LINES + more * 3) for _ in range(rng.randint(1, 30)))
        code = markdown.code_lines(text)
        removed = {n for n, line in enumerate(text.split("\n"), start=1)
                   if n not in code and definition.match(line)}
        blocks._known.clear()
        new = blocks.without_lines(text, removed)
        assert new == "\n".join(line for n, line in enumerate(text.split("\n"), start=1)
                                if n not in removed)
        if new in blocks._known:
            carried += 1
            assert _with_text(new, blocks.code_lines(new)) == _with_text(new, markdown.code_lines(new))
    assert carried > 500


def test_a_definition_that_closed_a_list_is_parsed_again() -> None:
    # without `[a]: x`, the indented line would continue the list item instead of being code
    text = "- item\n\n[a]: x\n\n    code\n"
    blocks._known.clear()
    new = blocks.without_lines(text, {3})
    assert new not in blocks._known
    assert blocks.code_lines(new) == markdown.code_lines(new)


def test_blank_lines_dropped_at_the_end_keep_the_code_lines() -> None:
    old = "text\n\n```\ncode\n```\n\n\n"
    new = old.rstrip("\n") + "\n"
    assert blocks._carry(old, new, markdown.code_lines(old)) == markdown.code_lines(new)


def test_code_lines_of_joined_pieces_are_those_of_a_parse() -> None:
    rng = random.Random(7)
    carried = 0
    for _ in range(2000):
        pieces: list[tuple[list[str], frozenset[int] | None]] = []
        for _ in range(rng.randint(1, 4)):
            piece = "\n".join(rng.choice(LINES) for _ in range(rng.randint(0, 8)))
            pieces.append((piece.split("\n") if piece else [], markdown.code_lines(piece)))
        blocks._known.clear()
        text = blocks.joined(pieces)
        assert text == "\n".join(line for piece, _ in pieces for line in piece)
        if text in blocks._known:
            carried += 1
            assert _with_text(text, blocks.code_lines(text)) == _with_text(
                text, markdown.code_lines(text)), pieces
    assert carried > 300


def test_a_chapter_keeps_its_code_lines_when_inlined_in_the_rfc() -> None:
    from goalkeeper.render.rfc import _inline

    more = ["# Title", "## Sub", "", "", "Setext", "===", "  # indented", "### x"]
    rng = random.Random(3)
    carried = 0
    for _ in range(1500):
        text = rng.choice(["# Title\n", "\n# T\n\n", "", "  # T\n"]) + "\n".join(
            rng.choice(LINES + more * 3) for _ in range(rng.randint(1, 20)))
        out, code = _inline(text, rng.choice([None, blocks.outline(text)]))
        if code is not None:
            carried += 1
            assert _with_text(out, code) == _with_text(out, markdown.code_lines(out)), text
    assert carried > 500


#: What a directive may put in place of its line: tables, headings, lists, footnotes, text...
FLAT = [
    "| Goal | Level |\n|---|---|\n| [a](b.md) | Small |", "#### lang team\n\n| x |\n|--|\n| y |",
    "- [a](b.md)\n- [c](d.md)", "1. one\n2. two", "\\*1: a note ([from here](x.md))", "65", "",
    "[^n]: a note\n\ntext", "> quoted\n> more", "Setext\n---", "* * *\nx", "a <b> c\n| x |",
]
#: ...and blocks that open code, or could, which the outline must notice.
CODE = [
    "```\ncode\n```", "    indented", "<div>\nhtml\n</div>", "- ```\n  code", ">     code",
    "text\n\n    code", "[^n]:     code", "| a |\n|---|\n| b |\n~~~", "- item\n\n      code",
    "1)  two spaces", "\tx", "<!-- a\nb -->", "-\t\tcode", "1.\t```", ">\t\tcode", "[^n]:\t\tcode",
]


def test_an_outline_carried_across_replaced_lines_is_that_of_a_parse() -> None:
    """`outline_replaced`, which `goalkeeper rfc` uses instead of parsing each chapter with its
    directives' tables, answers as a parse does whenever it answers."""
    more = ["# Title", "## Sub", "", "", "", "(((D)))", "(((D)))", "Setext", "==="]
    rng = random.Random(14)
    told = multi = 0
    for _ in range(3000):
        head = rng.choice(["# Title\n\n", "Title\n===\n", "", "- # listed\n"])
        old = (head + "\n".join(rng.choice(LINES + more * 3 + ["\n(((D)))\n"] * 6)
                                 for _ in range(rng.randint(1, 25)))).split("\n")
        new = list(old)
        for i, line in enumerate(old):
            if line == "(((D)))" or rng.random() < 0.03:
                r = rng.random()
                new[i] = rng.choice(FLAT if r < 0.8 else CODE) if r < 0.95 else _edit(rng, line)
        got = blocks.outline_replaced(old, new, blocks.outline("\n".join(old)))
        if got is None:
            continue
        told += 1
        multi += any("\n" in x for x in new)
        text = "\n".join(new)
        code, heading = blocks.outline(text)
        assert got[1] == heading, (old, new)
        assert _with_text(text, got[0]) == _with_text(text, code), (old, new)
    assert told > 500 and multi > 80, (told, multi)


def test_the_real_chapters_outlines_are_carried_as_a_parse_gives_them(
        rust_goals: Path, rust_teams: Path) -> None:
    """Each page of the real milestones, its directives expanded: the outline `goalkeeper rfc`
    carries is a parse's, and is carried for the pages whose tables are the bulk of the RFC."""
    from goalkeeper.loader import load
    from goalkeeper.render.rfc import _chapter

    program = load(rust_goals, teams=rust_teams)
    carried = []
    for m in program.milestones:
        for page in sorted((rust_goals / m.path).glob("*.md")):
            rel = page.relative_to(rust_goals).as_posix()
            text, outlined = _chapter(program, rel)
            if outlined is not None:
                carried.append(page.name)
                code, heading = blocks.outline(text)
                assert outlined[1] == heading, rel
                assert _with_text(text, outlined[0]) == _with_text(text, code), rel
    assert {"goals.md", "highlights.md", "roadmaps.md"} <= set(carried), carried


@pytest.mark.parametrize("tail", ["[^1]: ```", "[^1]: ```\n", "[a]: x\n[^1]: <div>\n"])
def test_an_appended_footnote_is_parsed_again(tail: str) -> None:
    # (a footnote definition may open a fence or an HTML block; a link definition cannot)
    old = "para\n"
    blocks._known.clear()
    assert blocks.code_lines_after(old, old + tail) == markdown.code_lines(old + tail)
