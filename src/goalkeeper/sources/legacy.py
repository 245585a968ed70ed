"""Older forms of the goals repository, read into today's model.

The Rust goals repository changed its document format several times between July 2024 and
August 2025. What the reference tool (`mdbook-goals`) accepted then, goalkeeper reads now:

- goal metadata with `Owner(s)` (also `Owner`, `Owners`) instead of `Point of contact`
  (2024h2): the owners become the goal's points of contact;
- the 2024 ownership table `| Subgoal | Owner(s) or team(s) | Notes |`, where a row starting
  with `↳` belongs to the row above it (its subgoal);
- statuses that meant another status: `Flagship` (accepted, theme "Flagship"), `Orphaned`
  (accepted, looking for an owner) and `Proposed for flagship` (proposed, theme "Flagship");
- directives written as HTML comments (`<!-- GOALS -->`, `<!-- GOALS 'Accepted,Orphaned' -->`,
  `<!-- TEAM ASKS -->`, `<!-- #GOALS -->`, …) before they became `(((GOALS)))` in August 2025,
  and the `<!-- TEAMS WITH ASKS -->` / `<!-- TASK OWNERS -->` placeholders of metadata tables;
- the milestone README's status badge, which says whether the milestone's RFC is accepted
  (tracking issues are required from then on).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from ..constants import Format
from ..diagnostics import Diagnostics, Span
from ..model import Goal, all_roadmaps
from .markdown import Document, Row
from .text import lines_holding

#: Metadata rows that named the goal's owners before `Point of contact` (lowercased).
OWNER_ROWS = ("owner(s)", "owners", "owner")

#: Statuses of older milestones → (the status they count as, the theme they imply).
STATUSES: dict[str, tuple[str, str]] = {
    "flagship": ("Accepted", "Flagship"),  # 2024h2, 2025h1: an accepted flagship goal
    "orphaned": ("Accepted", ""),  # 2024h2: accepted, looking for an owner
    "proposed for flagship": ("Proposed", "Flagship"),  # 2025h1: a proposed flagship goal
}

#: The 2024 ownership table; `↳ item` rows belong to the row above.
SUBGOAL_HEADER = ("Subgoal", "Owner(s) or team(s)", "Notes")
ARROW = "↳"

#: Placeholders the 2025 reference tool required in goal metadata tables, and filled in.
PLACEHOLDERS = ("TEAMS WITH ASKS", "TASK OWNERS")

#: A one-line comment; directive names are short, so the text is bounded (no quadratic scans
#: of a hostile line full of `<!--`).
HTML_MARKER_RE = re.compile(r"<!--[ \t]*([^<>\n]{0,200}?)[ \t]*-->")
STATUS_LIST_RE = re.compile(r"GOALS\s+'([^']*)'")
BADGE_RE = re.compile(r"img\.shields\.io/badge/Status-([^-)\s]+)", re.IGNORECASE)


def effective_status(status: str) -> str:
    """The status an older status counts as (`Orphaned` → `Accepted`); others unchanged."""
    hit = STATUSES.get(status.strip().lower())
    return hit[0] if hit else status


def status_theme(status: str) -> str:
    """The theme an older status implies ("Flagship"), else ""."""
    hit = STATUSES.get(status.strip().lower())
    return hit[1] if hit else ""


def is_legacy_status(status: str) -> bool:
    return status.strip().lower() in STATUSES


def plan_rows(rows: Iterable[Row], *, arrows: bool) -> Iterator[tuple[Row, str, str]]:
    """(row, task, subgoal) for each row of an ownership table. With `arrows` (the 2024
    `Subgoal` table), a `↳ task` row is a child of the last row without an arrow, whose text is
    its subgoal; otherwise every row belongs to the table's section (subgoal "")."""
    parent = ""
    for r in rows:
        task = r.text(0).strip()
        if not arrows:
            yield r, task, ""
        elif task.startswith(ARROW):
            yield r, task[len(ARROW):].strip(), parent
        else:
            parent = task
            yield r, task, ""


def predates_champions(goals: Iterable[Goal]) -> bool:
    """Whether a milestone's goals are in a format before champion rows (2024h2, 2025h1): no
    `[team] champion` rows and no 2026 `## Team asks` sections. The tools of that time had
    fewer rules (mixed-case logins, for one, were fine)."""
    goals = list(goals)
    return bool(goals) and not any(g.champions or g.format is Format.TEAM_ASKS for g in goals)


# --------------------------------------------------------------------------- directives


def directive_name(inner: str, known: Callable[[str], bool]) -> str | None:
    """The `(((…)))` name of an HTML-comment marker's text, or None if it is an ordinary
    comment. `GOALS 'Accepted,Orphaned'` (2024) becomes `GOALS WITH STATUS: Accepted, Orphaned`."""
    text = " ".join(inner.split())
    m = STATUS_LIST_RE.fullmatch(text)
    if m:
        statuses = [s.strip() for s in m[1].split(",") if s.strip()]
        return "GOALS WITH STATUS: " + ", ".join(statuses) if statuses else None
    if text in PLACEHOLDERS or known(text):
        return text
    return None


def scan_html_directives(
    doc: Document, known: Callable[[str], bool]
) -> list[tuple[str, int, str]]:
    """(directive name, line, marker as written) of every HTML-comment directive outside code."""
    out: list[tuple[str, int, str]] = []
    found = lines_holding(doc.text, "<!--")
    code = _code_lines(doc) if found else set()
    for idx in found:
        if idx in code:
            continue
        line = doc.lines[idx - 1]
        for m in _outside_code_spans(line):
            name = directive_name(m[1], known)
            if name is not None:
                out.append((name, idx, m[0]))
    return out


def check_html_directives(
    doc: Document, path: str, diags: Diagnostics, known: Callable[[str], bool]
) -> list[tuple[str, int]]:
    """Note the older form once per file (`legacy-directive`); return the goal-list and other
    markers as written, with their lines (the site gives the goal lists of older pages their
    goals as chapters)."""
    old = scan_html_directives(doc, known)
    if old:
        name, line, written = old[0]
        more = f" (and {len(old) - 1} more in this file)" if len(old) > 1 else ""
        what = (
            f"`{written}` is an older placeholder{more}: the `Teams` and `Task owners` rows are "
            "now filled in automatically"
            if name in PLACEHOLDERS
            else f"`{written}` is the older form of `((({name})))`{more}; goalkeeper expands both"
        )
        diags.add(
            Span(path, line),
            "legacy-directive",
            what,
            "write directives as `(((NAME)))` (the form since August 2025); "
            "drop `<!-- TEAMS WITH ASKS -->` and `<!-- TASK OWNERS -->` rows",
        )
    return [(written, line) for name, line, written in old if name not in PLACEHOLDERS]


def _outside_code_spans(line: str) -> Iterator[re.Match[str]]:
    """Markers of the line not inside an inline code span (an odd number of backticks before
    them), counting backticks once per line."""
    ticks, pos = 0, 0
    for m in HTML_MARKER_RE.finditer(line):
        ticks += line.count("`", pos, m.start())
        pos = m.start()
        if ticks % 2 == 0:
            yield m


def _code_lines(doc: Document) -> set[int]:
    """Lines of code blocks, where markers are shown, not used. A marker alone on its line is
    an HTML block to markdown: those lines are not code."""
    html = {ln + k for ln, content in doc.html_blocks for k in range(content.count("\n") + 1)}
    return set(doc.code_lines) - html


def modernize(text: str, parsed: Callable[[], Document], known: Callable[[str], bool]) -> str:
    """`text` (`parsed()` parses it, only if some comment names a directive) with every
    HTML-comment directive outside code rewritten as `(((NAME)))`."""
    if "<!--" not in text:
        return text
    code: set[int] | None = None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "<!--" not in line:
            continue
        parts: list[str] = []
        pos = 0
        for m in _outside_code_spans(line):
            name = directive_name(m[1], known)
            if name is not None:
                parts += [line[pos:m.start()], f"((({name})))"]
                pos = m.end()
        if not parts:
            continue
        if code is None:
            code = _code_lines(parsed())
        if (i + 1) not in code:
            lines[i] = "".join(parts) + line[pos:]
    return "\n".join(lines)


def chapter_filter(marker: str, known: Callable[[str], bool]) -> Callable[[Goal], bool] | None:
    """For a goal-list marker as written (`<!-- GOALS 'Accepted' -->`), which goals the
    reference tool of its time added as chapters under the page holding it; None for others."""
    m = HTML_MARKER_RE.fullmatch(marker.strip())
    name = directive_name(m[1], known) if m else None
    if name is None:
        return None
    if name.startswith("GOALS WITH STATUS:"):
        want = {s.strip().lower() for s in name.split(":", 1)[1].split(",")}
        return lambda g: g.status.strip().lower() in want
    if name == "GOALS":
        return lambda g: not g.rejected
    if name == "GOALS NOT ACCEPTED":
        return lambda g: g.rejected
    if name == "OTHER GOALS":
        return lambda g: not g.rejected and not all_roadmaps(g)
    themed = re.fullmatch(r"(?:FLAGSHIP|ROADMAP) GOALS(?::\s*(.+))?", name)
    if themed:
        theme = (themed[1] or "").strip().lower()
        return lambda g: not g.rejected and bool(all_roadmaps(g)) and (
            not theme or theme in {t.strip().lower() for t in all_roadmaps(g)})
    return None


# --------------------------------------------------------------------------- milestones


def rfc_state(readme: str) -> str:
    """What a milestone README's status badge says of its RFC: "accepted", "pending" (any
    other badge: RFC pending, proposed, draft), or "" when the README has no badge."""
    head = "\n".join(readme.split("\n")[:20])
    m = BADGE_RE.search(head)
    if m is None:
        return ""
    return "accepted" if m[1].lower().startswith("accepted") else "pending"
