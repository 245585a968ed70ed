"""The metadata table and what goal and roadmap documents share.

Where a document sits (:class:`Located`), finding and reading its `| Metadata | |` table, looking
up rows, its title, placeholders and first sentences. Goal documents are read in
:mod:`goalkeeper.sources.goals`, roadmap documents in :mod:`goalkeeper.sources.roadmaps`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..anchors import heading_id
from ..diagnostics import Diagnostics, Span
from ..model import DocSection, MetadataRow
from ..records import Record, dataclass
from . import legacy
from .markdown import Document, Table

DELIM_CELL_RE = re.compile(r"^\s*:?-+:?\s*$")
LINK_RE = re.compile(r"\[([^\[\]]*)\]\([^)\[]*\)")  # stops at the next `[`: linear

#: Metadata rows goalkeeper understands (lowercased). Repeatable rows are marked True.
KNOWN_ROWS: dict[str, bool] = {
    "point of contact": False,
    "status": False,
    "tracking issue": False,
    "other tracking issues": False,
    "other tracking issue": False,
    "see also": False,
    "short title": False,
    "zulip channel": False,
    "chat channel": False,
    "roadmap": True,
    "flagship": True,
    "highlight": True,
    "needs": True,
    "what and why": False,
    "timespan": False,
    "funding contact": False,
    "help wanted": True,
    "teams": False,  # injected by the reference tool; tolerated
    "task owners": False,
    "application area": True,
    "lifecycle": False,
    "continues as": False,
    "continuing goal": False,  # 2025h1
    **{k: False for k in legacy.OWNER_ROWS},  # 2024h2: `Owner(s)` before `Point of contact`
}

KNOWN_ROWS_HINT = (
    "Point of contact, Status, Tracking issue, Other tracking issues, Short title, "
    "Zulip channel, Roadmap, Highlight, What and why, Timespan, Funding contact, Needs, "
    "`[team] champion`"
)


PLACEHOLDER_RE = re.compile(r"^\s*+(\*[^*].*\*|_.*_|tbd|n/?a|-+|none|\.\.\.)?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Located(Record):
    """Where a document sits in the program."""

    path: str  # relative POSIX path
    milestone: str
    slug: str
    #: The milestone README's badge says its RFC is not accepted yet: no tracking issues yet.
    rfc_pending: bool = False


def metadata_table(doc: Document) -> tuple[Table | None, str]:
    """The document's metadata table and where it was found.

    Returns (table, "first") for a table directly under the title, (table, "preamble") for one
    before any heading, (table, "later") for a `| Metadata |` table further down, or (None, "").
    """
    for t in doc.preamble_tables:
        if is_metadata_header(t):
            return t, "preamble"
    if doc.headings:
        first = doc.headings[0]
        nxt = doc.headings[1].line if len(doc.headings) > 1 else len(doc.lines) + 1
        for t in doc.tables:
            if first.line < t.line < nxt:
                return (t, "first") if is_metadata_header(t) else (None, "")
    for t in doc.tables:
        if is_metadata_header(t) and not _in_subgoal(doc, t):
            return t, "later"
    return None, ""


def is_metadata_header(t: Table) -> bool:
    return t.header.text(0).strip().strip("*").lower() == "metadata"


def _in_subgoal(doc: Document, t: Table) -> bool:
    """Subgoals (#### under work items) may carry their own `| Metadata | |` table."""
    owner = None
    for s in doc.all_sections():
        if s.line < t.line <= s.end_line:
            owner = s
    return owner is not None and owner.level >= 3


def loc_span(loc: Located, line: int, column: int = 1) -> Span:
    return Span(loc.path, line, column)


def doc_sections(doc: Document, loc: Located) -> tuple[DocSection, ...]:
    """Every section of the document, in order, as the model keeps them."""
    path = loc.path
    out: list[DocSection] = []
    for s in doc.all_sections():
        h = s.heading  # (the section's title, level and line are properties reading it)
        out.append(DocSection(h.title, h.level, s.text, Span(path, h.line, 1), s.end_line))
    return tuple(out)


class MetadataRows:
    """The rows of a metadata table in order, and where each key (see `norm_key`) is: a goal
    looks up a dozen keys, each found without reading the table again."""

    __slots__ = ("_at", "rows")

    def __init__(self, rows: list[MetadataRow] | None = None,
                 at: dict[str, list[int]] | None = None) -> None:
        self.rows: list[MetadataRow] = rows or []
        self._at: dict[str, list[int]] = at or {}  # key -> positions of its rows

    def first(self, *keys: str) -> MetadataRow | None:
        """The first row, in table order, with any of `keys` (lowercased)."""
        if len(keys) == 1:  # most look-ups
            one = self._at.get(keys[0])
            return self.rows[one[0]] if one else None
        at = [self._at[k][0] for k in keys if k in self._at]
        return self.rows[min(at)] if at else None

    def all(self, *keys: str) -> list[MetadataRow]:
        """The rows with any of `keys`, in table order."""
        if len(keys) == 1:
            return [self.rows[i] for i in self._at.get(keys[0], ())]
        return [self.rows[i] for i in sorted({i for k in keys for i in self._at.get(k, ())})]

    def value(self, *keys: str) -> str:
        """The first such row's value, stripped, or ""."""
        r = self.first(*keys)
        return r.value.strip() if r else ""

    def values(self, *keys: str) -> list[str]:
        """The values of all such rows, links reduced to their text, without placeholders and
        repeats."""
        out: list[str] = []
        for r in self.all(*keys):
            v = strip_links(r.value)
            if v and not is_placeholder(v):
                out.append(v)
        return list(dict.fromkeys(out))


def read_metadata(
    table: Table, loc: Located, diags: Diagnostics, *, roadmap: bool = False
) -> MetadataRows:
    if table.width != 2 or table.header.text(1).strip():
        diags.add(
            loc_span(loc, table.header.line),
            "metadata-header",
            f"metadata table header must be `| Metadata | |`, found "
            f"`| {' | '.join(table.header_texts())} |`",
            "use exactly two columns with `Metadata` and an empty second header cell",
        )
    rows: list[MetadataRow] = []
    at: dict[str, list[int]] = {}
    seen: dict[str, MetadataRow] = {}
    path = loc.path
    for r in table.rows:
        key, value = r.first(2)
        if not key and not value:
            continue
        if "-" in key and all(map(DELIM_CELL_RE.match, r.texts)):
            continue  # a second `| --- | --- |` row (2025h1's build-std.md has one)
        line = r.line
        row = MetadataRow(key, value, Span(path, line, r.column(0)), Span(path, line, r.column(1)))
        low = norm_key(key)
        at.setdefault(low, []).append(len(rows))
        rows.append(row)
        if "champion" in low:
            continue
        if low not in KNOWN_ROWS:
            team = re.fullmatch(r"\[([-._A-Za-z0-9]+)\]", key.strip())
            diags.add(
                row.span,
                "unknown-metadata-row",
                f"metadata row `{key}` is not one goalkeeper knows",
                f"did you mean `[{team[1]}] champion`?"
                if team
                else "known rows: " + KNOWN_ROWS_HINT,
            )
            continue
        if not KNOWN_ROWS[low]:
            prev = seen.get(low)
            if prev is not None and prev.value != value:
                diags.add(
                    row.span,
                    "duplicate-metadata-row",
                    f"metadata row `{key}` appears twice with different values "
                    f"(first at line {prev.span.line})",
                    "keep one row",
                )
            seen.setdefault(low, row)
    return MetadataRows(rows, at)


@lru_cache(maxsize=4096)  # a program repeats a few dozen keys thousands of times
def norm_key(key: str) -> str:
    return " ".join(key.strip().strip("*").lower().split())


def strip_links(text: str) -> str:
    return LINK_RE.sub(r"\1", text).strip()


def is_placeholder(text: str) -> bool:
    return PLACEHOLDER_RE.match(text) is not None



def read_title(
    doc: Document, loc: Located, diags: Diagnostics, table: Table, where: str
) -> tuple[str, int]:
    first = doc.headings[0] if doc.headings else None
    if where == "preamble" or first is None:
        diags.add(
            loc_span(loc, 1),
            "missing-title",
            "document has no `# Title` heading before its metadata table",
            "start the file with `# <goal title>` and put the metadata table right under it",
        )
        return (loc.slug, 1)
    if first.level != 1:
        diags.add(
            loc_span(loc, first.line),
            "title-level",
            f"the title should be a level-1 `# Title`, found level {first.level} "
            f"`{'#' * first.level} {first.title}`",
            "make the goal's title the first line, as `# <title>`",
        )
    if where == "later":
        diags.add(
            loc_span(loc, table.line),
            "misplaced-metadata",
            f"metadata table must come directly under the title (line {first.line}), "
            f"found at line {table.line}",
            "move the `| Metadata | |` table above the first `##` section",
        )
    return (first.title or loc.slug, first.line)


def anchor(title: str) -> str:
    """The `#id` of a heading, as mdBook (and the site) spell it (first of its name)."""
    return heading_id(title)


SENTENCE_END_RE = re.compile(r"\.(\s|$)")


def first_sentence(text: str) -> str:
    para = text.strip().split("\n\n")[0] if text.strip() else ""
    para = " ".join(para.split())
    m = SENTENCE_END_RE.search(para)
    return para[: m.start() + 1] if m else para

