"""Reference labels of a markdown document: which are used, which are defined, and the missing
definitions a program can supply (team links, book.toml's badges and linkifiers).

A label is used by `[text][label]`, `[label][]`, `![alt][label]` or a shortcut `[label]` (not
followed by `(`, `[` or `:`); checkboxes (`[ ]`, `[x]`) and footnotes (`[^note]`) are not labels.
Labels compare case-insensitively with runs of whitespace folded, as in CommonMark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from ..model import Program
from ..sources import blocks
from ..sources.book import BookLinks, load_book_links
from .people import name_users

DEF_RE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*\S")
_CODE_RE = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")  # whole backtick runs: linear
# [text][label] / [label][] / [label], the text possibly holding one level of brackets (the
# lookahead first lets the scan skip to a `!` or `[`)
_USE_RE = re.compile(r"(?=[!\[])(?<![\\\]])(!?)\[((?:[^\[\]\n]++|\[[^\[\]\n]*+\])++)\]"
                     r"(?:\[([^\[\]\n]*+)\]|(?![(:]))")
_NOT_LABELS = {"", "x", " "}
#: The page listing the teams of the rust-lang/team format when a team file names no repository.
TEAMS_PAGE = "https://www.rust-lang.org/governance/teams"


def norm(label: str) -> str:
    return " ".join(label.split()).lower()


class _Use(NamedTuple):
    start: int
    end: int
    image: str  # "!" before an image's brackets, else ""
    text: str  # what the first brackets hold
    ref: str | None  # what the second brackets of `[text][ref]` hold; None for a shortcut
    label: str
    key: str  # the label compared (`norm`)
    shown: str  # the label as written, its blanks folded


def _uses(text: str) -> Iterator[tuple[int, _Use]]:
    """(line number, use) of every label use outside code."""
    code = blocks.code_lines(text)
    for idx, line in enumerate(blocks.lines(text), start=1):
        if "[" in line and idx not in code:
            for use in _line_uses(line):
                yield idx, use


@lru_cache(maxsize=16384)  # a text's lines come back in each pass over it
def _line_uses(line: str) -> tuple[_Use, ...]:
    if DEF_RE.match(line) or line.count("]") == line.count("]("):
        return ()  # a definition, or only inline links: each `]` opens a destination
    masked = _CODE_RE.sub(lambda m: " " * len(m[0]), line) if "`" in line else line
    out = []
    for m in _USE_RE.finditer(masked):
        image, text, ref = m.groups()
        if ref is None and "](" in text:
            continue  # `[see [x](url)]`: an inline link inside brackets, not a label
        label = ref or text
        shown = " ".join(label.split())
        key = shown.lower()  # (norm)
        if key in _NOT_LABELS or label[0] == "^":
            continue
        out.append(_Use(m.start(), m.end(), image, text, ref, label, key, shown))
    return tuple(out)


@lru_cache(maxsize=16384)
def _line_definition(line: str) -> str | None:
    m = DEF_RE.match(line)
    return norm(m[1]) if m else None


def defined_labels(text: str) -> set[str]:
    code = blocks.code_lines(text)
    out = set()
    for idx, line in enumerate(blocks.lines(text), start=1):
        if "]:" in line and idx not in code:
            label = _line_definition(line)
            if label is not None:
                out.add(label)
    return out


def used_labels(text: str) -> list[str]:
    """Labels used in `text`, in order of first use, as first written."""
    seen: dict[str, str] = {}
    for _, use in _uses(text):
        seen.setdefault(use.key, use.shown)
    return list(seen.values())


def undefined_labels(text: str) -> list[str]:
    """Labels used but not defined: each renders as literal `[text]` on GitHub."""
    defined = defined_labels(text)
    return [lb for lb in used_labels(text) if norm(lb) not in defined]


def linkify(text: str, book: BookLinks) -> str:
    """Shortcut references `[P]` that are not defined and that a configured linkifier matches as
    a whole (`[RFC #3935]`, `[rust-lang/rfcs#3874]`) become inline links `[P](url)`."""
    if not book.linkifiers:
        return text
    defined = defined_labels(text)
    lines = list(blocks.lines(text))
    changes: dict[int, list[tuple[int, int, str]]] = {}
    for idx, use in _uses(text):
        if use.image or use.ref is not None or use.key in defined:
            continue
        url = book.linkify(use.label)
        if url:
            changes.setdefault(idx, []).append((use.start, use.end, f"[{use.text}]({url})"))
    for idx, spans in changes.items():
        line = lines[idx - 1]
        for start, end, new in sorted(spans, reverse=True):
            line = line[:start] + new + line[end:]
        lines[idx - 1] = line
    return "\n".join(lines)


def team_link(program: Program, team: str) -> str:
    """Where `[team]` links: the team's own URL (`url` in `[teams.<name>]`, `[website] repo` in
    team data), else, for team data in the rust-lang/team format, the page listing all teams."""
    t = program.teams.get(team)
    if t is not None and t.url:
        return t.url
    if t is not None and program.config.teams_path is not None:
        return TEAMS_PAGE
    return ""


def missing_definitions(program: Program, book: BookLinks, text: str) -> list[str]:
    """Definitions for the labels `text` uses and does not define that the program knows: its
    teams (by name, case-insensitively; a team the goals ask that rust-lang/team data lacks links
    to the page of all teams) and book.toml's links. Others stay undefined."""
    teams = {norm(t): t for t in program.teams}
    # a team the goals ask that the team data no longer has at all (e.g. project-stable-mir in
    # 2025h1, read with today's team data): `check` reports it; the text still links it
    gone = {norm(a.team) for g in program.goals for a in g.asks} - set(teams)
    out = []
    for label in undefined_labels(text):
        url = ""
        if norm(label) in teams:
            url = team_link(program, teams[norm(label)])
        elif norm(label) in gone and program.config.teams_path is not None:
            url = TEAMS_PAGE
        url = url or book.link(label)
        if url:
            out.append(f"[{label}]: {url}")
    return out


def ready_to_paste(program: Program, text: str, refs: list[str] | None = None) -> str:
    """`text` (whose own reference definitions, if gathered already, are `refs`) made to stand
    alone: book.toml's linkifiers applied, `@login` shown by name (not inside a link's
    destination, such as one a linkifier wrote), then one block at the end with `refs`, the
    people's definitions and those the program knows for labels still undefined (teams,
    badges)."""
    book = load_book_links(program.root)
    refs = list(refs or [])
    # each pass asks which lines are code: the edits before it keep the blocks (see blocks)
    given, text = text, text.rstrip("\n") + "\n"
    blocks.code_lines_after(given, text)
    linked = linkify(text, book)
    blocks.code_lines_after(text, linked)
    named, users = name_users(program, linked, book)
    blocks.code_lines_after(linked, named)
    defined = {norm(r[1 : r.index("]:")]) for r in refs if "]:" in r} | defined_labels(named)
    refs += [u for u in users if norm(u[1 : u.index("]:")]) not in defined]
    body = named + "\n" + "\n".join(refs) + "\n" if refs else named
    blocks.code_lines_after(named, body)
    extra = missing_definitions(program, book, body)
    if not extra:
        return body
    out = body + ("" if refs else "\n") + "".join(f"{d}\n" for d in extra)
    blocks.code_lines_after(body, out)  # for the caller's look at what is still undefined
    return out
