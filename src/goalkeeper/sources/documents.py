"""What every markdown page is checked for (directives, raw HTML, malformed tables) and its
:class:`~goalkeeper.model.Page`.

Goal documents are read in :mod:`goalkeeper.sources.goals`, roadmap documents in
:mod:`goalkeeper.sources.roadmaps`, the metadata table they share in
:mod:`goalkeeper.sources.metadata`.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics, Span
from ..model import Page
from . import legacy
from .markdown import Document, Row
from .text import lines_holding

# Regexes applied to document text stay linear on any line (tests/test_regex_linearity.py):
# a repeat that could run into the next possible start (`(((`, `<`) stops there instead.
DIRECTIVE_RE = re.compile(r"\(\(\(((?:(?!\(\(\().)+?)\)\)\)")
UNSAFE_HTML_RE = re.compile(
    r"<\s*(script|iframe|object|embed)\b|<[^<>]*\son[a-z]+\s*=|javascript:", re.IGNORECASE
)


#: Directives of the reference mdBook preprocessor, plus goalkeeper's application-area ones.
KNOWN_DIRECTIVES = re.compile(
    r"""^(?:
      \#?(?:GOALS|ROADMAP\ GOALS|FLAGSHIP\ GOALS)
    | (?:ROADMAP|FLAGSHIP)\ GOALS:\ .+
    | OTHER\ GOALS | GOALS\ NOT\ ACCEPTED | GOALS\ WITH\ STATUS:\ .+ | (?:LARGE|MEDIUM|SMALL)\ GOALS
    | TEAM\ ASKS | VALID\ TEAM\ ASKS | CHAMPIONS
    | ROADMAPS(?::\ .+)? | APPLICATION\ AREAS | ROADMAP\ CHAPTERS | GOAL\ CHAPTERS
    | ROADMAP\ ROWS:\ .+
    | HIGHLIGHT\ (?:GOALS|TABLE|CREDITS):\ .+
    | GOALS\ WITH\ NEEDS:\ .+
    | FUNDING\ TABLE(?::\ .+)? | FUNDING\ TABLE\ GROUPED(?:\ BY\ (?:GOAL|POC))? | FUNDING\ LEGEND
    | REPORTS(?::\ .+)?
    )$""",
    re.VERBOSE,
)


def scan_directives(doc: Document) -> list[tuple[str, int]]:
    """`(((DIRECTIVE)))` markers outside code blocks and inline code spans, with their lines."""
    out: list[tuple[str, int]] = []
    for idx in lines_holding(doc.text, "((("):
        if idx in doc.code_lines:
            continue
        line = doc.lines[idx - 1]
        for m in DIRECTIVE_RE.finditer(line):
            if line.count("`", 0, m.start()) % 2:
                continue  # inside an inline code span
            out.append((m[1].strip(), idx))
    return out


def check_directives(doc: Document, path: str, diags: Diagnostics) -> list[tuple[str, int]]:
    found = scan_directives(doc)
    for text, line in found:
        if not KNOWN_DIRECTIVES.match(text):
            diags.add(
                Span(path, line),
                "unknown-directive",
                f"`((({text})))` is not a directive goalkeeper knows",
                "see docs/directives.md for the list; check the spelling and the `: ` before a theme",
            )
    return found + legacy.check_html_directives(doc, path, diags, is_known_directive)


def is_known_directive(text: str) -> bool:
    return KNOWN_DIRECTIVES.match(text) is not None


def check_html(doc: Document, path: str, diags: Diagnostics) -> None:
    text = doc.text
    # Only lines with `<` or `javascript:` (any case) can hold active HTML, and a line whose
    # lowercase holds `javascript:` holds `t:` or `T:`: those few lines are the ones looked at.
    candidates = {*lines_holding(text, "<"), *lines_holding(text, "t:"), *lines_holding(text, "T:")}
    if not candidates:
        return
    html_lines = {ln + k for ln, content in doc.html_blocks for k in range(content.count("\n") + 1)}
    for idx in sorted(candidates):
        line = doc.lines[idx - 1]
        if "<" not in line and (":" not in line or "javascript:" not in line.lower()):
            continue
        if idx in doc.code_lines and idx not in html_lines:
            continue  # code shows markup as text; HTML blocks are where it is live
        m = UNSAFE_HTML_RE.search(line)
        if m:
            diags.add(
                Span(path, idx, m.start() + 1),
                "raw-html",
                f"document holds active HTML `{m[0]}`; it will be removed when the site is built",
                "use markdown instead of script tags, event handlers or `javascript:` links",
            )


def report_tables(doc: Document, path: str, diags: Diagnostics) -> None:
    for row, width in doc.ragged_rows:
        diags.add(
            Span(path, row.line, row.column(width)),
            "malformed-table",
            f"table row has {len(row.texts)} columns, expected no more than {width}",
            "remove the extra `|` or escape a pipe inside a cell as `\\|`",
        )
    for line, message in doc.broken_tables:
        diags.add(
            Span(path, line),
            "malformed-table",
            message,
            "give the header and the `---` row the same number of columns",
        )


def page(doc: Document, path: str, milestone: str, directives: list[tuple[str, int]]) -> Page:
    title = doc.headings[0].title if doc.headings else ""
    return Page(path=path, title=title, milestone=milestone, directives=tuple(directives))


def row_cells(row: Row) -> list[str]:
    return list(row.texts)
