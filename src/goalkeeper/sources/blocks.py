"""Code lines of a text made by editing another, without parsing it again when the edits cannot
have moved a block.

The RFC text passes through half a dozen rewrites (links made absolute, linkifiers, `@login`s
named, definitions appended), each of which asks which lines are code; parsing a 100 kB text for
each of them was a third of `goalkeeper rfc`. A rewrite that only changes the middle of lines
outside code, or appends definitions after a text whose end is not in code, keeps every block
where it was: :func:`code_lines_after` then gives the code lines of the edited text from those
of the original, and parses only when it cannot tell (same result either way, on every line
with text). :func:`without_lines` does the same for the definitions the RFC gathers at its end,
:func:`joined` for its chapters put together, and :func:`outline_replaced` for a chapter whose
directives became tables (the code lines and title of the chapter as written, carried over
the tables). :func:`lines` gives each pass the lines of a text split once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from . import markdown

#: Code lines of texts made by edits, kept for the passes that ask about them next.
_known: OrderedDict[str, frozenset[int]] = OrderedDict()
_KEEP = 8
#: The lines of the texts last split by `lines`.
_lines: OrderedDict[str, tuple[str, ...]] = OrderedDict()

#: What opens a line's blocks: indentation, block quote markers, list markers, a footnote label.
_CONTAINERS_RE = re.compile(r"(?:[ \t]|>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])|\[\^[^\]\[]*\]:)*")
#: Characters that can open a line's content without starting a block (besides letters): a
#: backtick run is a fence only without another backtick on the line, and backticks are kept.
_PLAIN_FIRST = frozenset("[|!@(\"'`\\")
#: Characters that open a rule, a setext underline or a list item, or emphasis or plain text.
_RULE_FIRST = frozenset("*_-+=")
_RULE_RE = re.compile(r"[*_\-+= \t]*")
_ATX_RE = re.compile(r"#{1,6}(?:[ \t]|$)")
#: What is between the characters where tables, code spans, escapes and HTML start and end.
_TEXT_RUNS_RE = re.compile(r"[^`<>|\\]+")
#: In a paragraph with a link reference definition (`[label]:`), whose label, destination and
#: title may span its lines, also where labels, destinations and titles start and end.
_DEF_DELIMITERS_RE = re.compile(r"(\]:|[`<>|\\\"'() \t\[\]])")
_DELIMITER_ROW_RE = re.compile(r"[|\-: \t]*")


def lines(text: str) -> tuple[str, ...]:
    """`text.split("\n")`, remembered for the last few texts split: the RFC's passes each read
    every line of the same 100 kB texts, and the lines' hashes (a cache's keys) are kept too."""
    got = _lines.get(text)
    if got is None:
        got = _lines[text] = tuple(text.split("\n"))
        while len(_lines) > _KEEP:
            _lines.popitem(last=False)
    return got


def code_lines(text: str) -> frozenset[int]:
    """`markdown.code_lines(text)`: lines in code and HTML blocks (1-based)."""
    known = _known.get(text)
    return known if known is not None else markdown.code_lines(text)


def code_lines_after(old: str, new: str) -> frozenset[int]:
    """The code lines of `new`, an edit of `old`: carried over from `old` when every changed
    line is outside code and keeps its indentation, opening character and the characters that
    delimit blocks, when `new` only appends, after a text that does not end in code, lines
    that start with `[` (definitions), or when it only adds or drops empty lines at the end; parsed
    otherwise. Remembered for `code_lines(new)`. (A carried set is exact on every line with
    text; a blank line after a block may be counted in it or not: no pass looks at those.)"""
    code = code_lines(old)
    if new is not old and new != old:
        carried = _carry(old, new, code)
        if carried is None:
            return markdown.code_lines(new)
        code = carried
    _remember(new, code)
    return code


def without_lines(old: str, removed: Collection[int]) -> str:
    """`old` without the lines numbered in `removed`, its code lines known (see
    `code_lines_after`) when each run of removed lines is outside code, starts at the left
    margin with `[` (a definition), follows a blank line or a heading at the margin and is
    followed by a blank line (or the end), and, after a blank line, by a line at the margin."""
    old_lines = lines(old)
    keep = [line for idx, line in enumerate(old_lines, start=1) if idx not in removed]
    new = "\n".join(keep)
    if "\r" not in old and _removable(old_lines, sorted(removed), code := code_lines(old)):
        shift, carried = 0, set()  # a kept line moves up by the removed lines before it
        gone = set(removed)
        for idx in range(1, len(old_lines) + 1):
            if idx in gone:
                shift += 1
            elif idx in code:
                carried.add(idx - shift)
        _remember(new, frozenset(carried))
    return new


def joined(pieces: list[tuple[list[str], frozenset[int] | None]]) -> str:
    """The lines of `pieces` joined by newlines, each piece given with its code lines (exact on
    lines with text, or None when unknown). The whole's code lines are known (see
    `code_lines_after`) when nothing a piece opens is open where the next one starts: its last
    line with text is outside code, and a blank line and a line at the margin follow it."""
    lines: list[str] = []
    code: set[int] = set()
    known = True
    seen = last_in_code = False  # some line with text yet; whether the last one is code
    blank = True  # a blank line since the last line with text
    for piece, piece_code in pieces:
        if piece_code is None:
            known = False
        elif known:
            texts = [i for i, line in enumerate(piece) if _text(line)]
            if texts:
                first, last = texts[0], texts[-1] + 1
                if seen and (last_in_code or not (blank or first) or piece[first][0] in " \t"):
                    known = False
                seen = True
                last_in_code = last in piece_code and not _closed_comment(piece[last - 1], last, piece_code)
                blank = last < len(piece)
            else:
                blank = blank or bool(piece)
            code.update(n + len(lines) for n in piece_code)
        lines += piece
    text = "\n".join(lines)
    if known and "\r" not in text:
        _remember(text, frozenset(code))
    return text


def _removable(lines: Sequence[str], removed: list[int], code: frozenset[int]) -> bool:
    runs: list[list[int]] = []
    for idx in removed:
        if runs and runs[-1][1] == idx - 1:
            runs[-1][1] = idx
        else:
            runs.append([idx, idx])
    for first, last in runs:
        if any(idx in code or not lines[idx - 1].startswith("[") for idx in range(first, last + 1)):
            return False
        after = lines[last] if last < len(lines) else ""
        if _text(after):
            return False
        before = lines[first - 2] if first > 1 else ""
        if _text(before) and (first - 1 in code or not _ATX_RE.match(before)):
            return False
        # after a blank line, the next line with text must close what is open
        if not _text(before) and _next_text(lines, last)[:1] in (" ", "\t"):
            return False
    return True


def _text(line: str) -> bool:
    """Whether a line has text (markdown's blank lines hold only spaces and tabs)."""
    return bool(line.strip(" \t"))


def _next_text(lines: Sequence[str], start: int) -> str:
    """The first line with text from `lines[start]` on, or "" (without copying `lines`: a text
    with many places to look from stays linear)."""
    return next((lines[j] for j in range(start, len(lines)) if _text(lines[j])), "")


def _remember(text: str, code: frozenset[int]) -> None:
    _known[text] = code
    _known.move_to_end(text)
    while len(_known) > _KEEP:
        _known.popitem(last=False)


#: What :func:`outline` says of a text: its code lines, and (level, line) of its first heading.
Outline = tuple[frozenset[int], tuple[int, int] | None]


def outline(text: str) -> Outline:
    """What `markdown.parse(text)` says of the code lines and the first heading of `text`, as
    (code lines, (level, line) of its first heading outside block quotes, lists and footnotes,
    or None), without making its tables and sections."""
    text, starts = markdown.byte_line_starts(text)
    code: set[int] = set()
    heading: tuple[int, int] | None = None
    depth = 0
    events: Iterable[tuple[Any, Any]] = markdown._parser().events_with_range(text, merge_text=True)
    for event, span in events:
        if type(event) is not dict:
            continue
        if "Start" in event:
            tag = event["Start"]
            name = tag if type(tag) is str else next(iter(tag))
            if name == "CodeBlock" or name == "HtmlBlock":
                first = bisect_right(starts, span["start"])
                code.update(range(first, bisect_right(starts, max(span["start"], span["end"] - 1)) + 1))
            elif name in _CONTAINER_BLOCKS:
                depth += 1
            elif name == "Heading" and depth == 0 and heading is None:
                heading = (markdown._LEVELS[tag["Heading"]["level"]], bisect_right(starts, span["start"]))
        elif "End" in event:
            tag = event["End"]
            if (tag if type(tag) is str else next(iter(tag))) in _CONTAINER_BLOCKS:
                depth -= 1
    return frozenset(code), heading


_CONTAINER_BLOCKS = frozenset({"BlockQuote", "List", "Item", "FootnoteDefinition"})

#: The containers a line of inserted blocks may open (see `_flat_blocks`), each with at most
#: one space or tab after it (a tab or space more is then where the content starts, and
#: `_flat_blocks` refuses that: `-\t\tcode` is code in a list item).
_FLAT_CONTAINERS_RE = re.compile(r"(?:> ?|[-*+][ \t]|\d{1,9}[.)][ \t]|\[\^[^\]\[]*\]: ?)*")


def outline_replaced(old: Sequence[str], new: Sequence[str], outlined: Outline) -> Outline | None:
    """The outline (see :func:`outline`) of the text `"\n".join(new)`, where `new[i]` (one line or
    several) replaced line `old[i]` of a text whose outline is `outlined`, without parsing it, or
    None when that cannot be told. Told when every replaced line is outside code and either keeps
    its blocks (as :func:`code_lines_after` asks of an edited line) or, after the first heading,
    becomes blocks that hold no code, at the margin, between blank lines and followed, after the
    blank, by a line at the margin (so nothing they open takes in what follows)."""
    code, heading = outlined
    if len(old) != len(new) or any("\r" in x for x in new) or any("\r" in x for x in old):
        return None
    changed = [idx for idx, (a, b) in enumerate(zip(old, new, strict=True), start=1) if a != b]
    if not code.isdisjoint(changed):
        return None
    defs = _definition_paragraphs(old, changed) if any("]:" in x for x in old) else set()
    grown: list[int] = []  # the lines replaced by several, in order
    added = [0]  # the lines added up to each of them
    for idx in changed:
        b = new[idx - 1]
        if "\n" not in b and _same_blocks(old[idx - 1], b, idx in defs):
            continue
        if heading is None or idx <= heading[1] or not _flat_blocks(old, idx - 1, b):
            return None
        grown.append(idx)
        added.append(added[-1] + b.count("\n"))
    return frozenset(n + added[bisect_right(grown, n)] for n in code), heading


def _flat_blocks(old: Sequence[str], i: int, blocks: str) -> bool:
    """Whether `blocks` can replace line `old[i]` without code in it or around it changing (see
    :func:`outline_replaced`)."""
    if old[i][:1] in (" ", "\t") or (i > 0 and _text(old[i - 1])):
        return False
    if i + 1 < len(old):
        if _text(old[i + 1]):
            return False
        if _next_text(old, i + 2)[:1] in (" ", "\t"):
            return False
    for line in blocks.split("\n"):  # no content indented, fenced or HTML where it starts
        content = line[_FLAT_CONTAINERS_RE.match(line).end() :]  # type: ignore[union-attr]
        if content.startswith((" ", "\t", "```", "~~~", "<")):
            return False
    return True


def _carry(old: str, new: str, code: frozenset[int]) -> frozenset[int] | None:
    if "\r" in new or "\r" in old:  # lines are counted after newlines are normalized
        return None
    if len(new) > len(old) and old.endswith("\n") and new.startswith(old):
        return _appended(old, new, code)  # after the last (empty) line
    old_lines, new_lines = lines(old), lines(new)
    if len(new_lines) == len(old_lines):
        changed = [idx for idx, (a, b) in enumerate(zip(old_lines, new_lines, strict=True), start=1)
                   if a != b]
        if not code.isdisjoint(changed):
            return None
        defs = _definition_paragraphs(old_lines, changed) if "]:" in old else set()
        for idx in changed:
            if not _same_blocks(old_lines[idx - 1], new_lines[idx - 1], idx in defs):
                return None
        return code
    if new.rstrip("\n") == old.rstrip("\n"):  # only empty lines at the end dropped
        return frozenset(idx for idx in code if idx <= len(new_lines))
    return None


def _appended(old: str, new: str, code: frozenset[int]) -> frozenset[int] | None:
    """The code lines of `new`, which is `old` (ending in a newline) and more, when what follows
    is empty lines or lines starting with `[` (definitions; not footnotes, which may open code)
    that nothing open at the end of `old` takes in; without splitting either text."""
    if not all(not line or (line[0] == "[" and line[1:2] != "^")
               for line in new[len(old) :].split("\n")):
        return None
    end = len(old.rstrip(" \t\n"))  # the end of the last line with text, if any
    if not end:
        return code
    last = old.count("\n", 0, end) + 1
    start = old.rfind("\n", 0, end) + 1
    if last in code and not _closed_comment(old[start : old.index("\n", start)], last, code):
        return None  # an open fence or HTML block could take the new lines in
    return code


def _definition_paragraphs(lines: Sequence[str], wanted: list[int]) -> set[int]:
    """Which of the lines `wanted` (1-based, ascending) are in a run of non-blank lines in
    which some line holds `]:`."""
    out: set[int] = set()
    done = 0  # the runs up to this line were looked at
    for idx in wanted:
        if idx <= done:
            continue
        first = last = idx
        while first > 1 and _text(lines[first - 2]):
            first -= 1
        while last < len(lines) and _text(lines[last]):
            last += 1
        done = last
        if any("]:" in line for line in lines[first - 1 : last]):
            out.update(range(first, last + 1))
    return out


_COMMENT_RE = re.compile(r" {0,3}<!--")


def _closed_comment(line: str, idx: int, code: frozenset[int]) -> bool:
    """Whether `line`, line `idx` (in code), is an HTML comment block of its own, closed on that
    line: the line before is not in that block, and `-->` follows the opening `<!--`."""
    m = _COMMENT_RE.match(line)
    return m is not None and (idx - 1) not in code and line.find("-->", m.end()) >= 0


def _same_blocks(a: str, b: str, in_definition: bool) -> bool:
    """Whether line `b`, replacing line `a` (outside code), starts, continues and ends the same
    blocks: the same containers and first character of content, a letter or one that opens no
    block, and past it only text changed between the same delimiters (see `_TEXT_RUNS_RE`;
    `_DEF_DELIMITERS_RE` in a paragraph that may hold a definition)."""
    first = _CONTAINERS_RE.match(a).end()  # type: ignore[union-attr]  # (matches any line)
    if first >= len(a) or a[: first + 1] != b[: first + 1]:
        return False
    c = a[first]
    if c in _RULE_FIRST:  # `*emphasis*`, not `***` nor `* item`
        if a[first + 1 : first + 2] != b[first + 1 : first + 2] or _RULE_RE.fullmatch(a, first) \
                or _RULE_RE.fullmatch(b, first):
            return False
    elif c == "#":  # a heading stays one, and `#hashtag` text stays text
        if (_ATX_RE.match(a, first) is None) != (_ATX_RE.match(b, first) is None):
            return False
    elif not (c.isalpha() or c in _PLAIN_FIRST):
        return False
    if not in_definition and "]:" in b:  # a definition where there was none
        return False
    if _DELIMITER_ROW_RE.fullmatch(a) or _DELIMITER_ROW_RE.fullmatch(b):  # `|---|`, `--- | ---`
        return False
    if not in_definition:  # the same delimiters, with text between the same of them
        return _TEXT_RUNS_RE.sub("x", a) == _TEXT_RUNS_RE.sub("x", b)
    split = _DEF_DELIMITERS_RE.split
    pa, pb = split(a), split(b)
    if len(pa) != len(pb):
        return False
    for i, (x, y) in enumerate(zip(pa, pb, strict=True)):
        if (x != y) if i % 2 else (not x) != (not y):
            return False
    return True
