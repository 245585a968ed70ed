"""Goal, roadmap and page documents: markdown structure → model objects plus diagnostics.

This module reads what a document says and reports what it cannot read (structure, tables,
metadata rows). Rules that need the whole program (teams, roadmaps, people) live in
:mod:`goalkeeper.checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..anchors import heading_id
from ..constants import Format, Severity
from ..diagnostics import Diagnostics, Span, did_you_mean
from ..model import (
    USER_RE,
    Champion,
    Config,
    DocSection,
    FundingRow,
    Goal,
    HelpWanted,
    IssueRef,
    MetadataRow,
    Page,
    Roadmap,
    Subgoal,
    TeamAsk,
    WorkItem,
)
from . import legacy
from .markdown import Document, Row, Section, Table

SINGLE_USER_RE = re.compile(r"^@[A-Za-z0-9][-_A-Za-z0-9]*$")
CHAMPION_ROW_RE = re.compile(r"^\s*\[(?P<team>[^\]]*)\]\s+champion\s*$", re.IGNORECASE)
TEAM_TOKEN_RE = re.compile(r"\[([-._A-Za-z0-9]+)\]")
FIRST_TEAM_RE = re.compile(r"[-._A-Za-z0-9]+")
STRUCK_RE = re.compile(r"~~.*?~~")
DELIM_CELL_RE = re.compile(r"^\s*:?-+:?\s*$")
LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
DIRECTIVE_RE = re.compile(r"\(\(\((.+?)\)\)\)")
UNSAFE_HTML_RE = re.compile(
    r"<\s*(script|iframe|object|embed)\b|<[^>]*\son[a-z]+\s*=|javascript:", re.IGNORECASE
)

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

PLACEHOLDER_RE = re.compile(r"^\s*(\*[^*].*\*|_.*_|tbd|n/?a|-+|none|\.\.\.)?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Located:
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
        if _is_metadata_header(t):
            return t, "preamble"
    if doc.headings:
        first = doc.headings[0]
        nxt = doc.headings[1].line if len(doc.headings) > 1 else len(doc.lines) + 1
        for t in doc.tables:
            if first.line < t.line < nxt:
                return (t, "first") if _is_metadata_header(t) else (None, "")
    for t in doc.tables:
        if _is_metadata_header(t) and not _in_subgoal(doc, t):
            return t, "later"
    return None, ""


def _is_metadata_header(t: Table) -> bool:
    return t.header.text(0).strip().strip("*").lower() == "metadata"


def _in_subgoal(doc: Document, t: Table) -> bool:
    """Subgoals (#### under work items) may carry their own `| Metadata | |` table."""
    owner = None
    for s in doc.all_sections():
        if s.line < t.line <= s.end_line:
            owner = s
    return owner is not None and owner.level >= 3


def _span(loc: Located, line: int, column: int = 1) -> Span:
    return Span(loc.path, line, column)


def read_metadata(
    table: Table, loc: Located, diags: Diagnostics, *, roadmap: bool = False
) -> list[MetadataRow]:
    if table.width != 2 or table.header.text(1).strip():
        diags.add(
            _span(loc, table.header.line),
            "metadata-header",
            f"metadata table header must be `| Metadata | |`, found "
            f"`| {' | '.join(table.header_texts())} |`",
            "use exactly two columns with `Metadata` and an empty second header cell",
        )
    rows: list[MetadataRow] = []
    seen: dict[str, MetadataRow] = {}
    for r in table.rows:
        key, value = r.text(0), r.text(1)
        if not key and not value:
            continue
        if all(DELIM_CELL_RE.match(c.text) for c in r.cells):
            continue  # a second `| --- | --- |` row (2025h1's build-std.md has one)
        row = MetadataRow(key, value, _span(loc, r.line, r.column(0)), _span(loc, r.line, r.column(1)))
        rows.append(row)
        low = _norm_key(key)
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
    return rows


def _norm_key(key: str) -> str:
    return " ".join(key.strip().strip("*").lower().split())


def _first(rows: list[MetadataRow], *keys: str) -> MetadataRow | None:
    return next((r for r in rows if _norm_key(r.key) in keys), None)


def _all(rows: list[MetadataRow], *keys: str) -> list[MetadataRow]:
    return [r for r in rows if _norm_key(r.key) in keys]


def _strip_links(text: str) -> str:
    return LINK_RE.sub(r"\1", text).strip()


def is_placeholder(text: str) -> bool:
    return PLACEHOLDER_RE.match(text) is not None


# --------------------------------------------------------------------------- goals


def parse_goal(doc: Document, loc: Located, config: Config, diags: Diagnostics) -> Goal | None:
    table, where = metadata_table(doc)
    if table is None:
        return None
    title, title_line = _title(doc, loc, diags, table, where)
    rows = read_metadata(table, loc, diags)

    poc_row = _first(rows, "point of contact")
    pocs: tuple[str, ...] = ()
    owners_row = _first(rows, *legacy.OWNER_ROWS) if poc_row is None else None
    if owners_row is not None:
        # 2024h2: `Owner(s)` names one or more owners (or `![Help wanted][]`), not checked
        pocs = tuple(USER_RE.findall(owners_row.value))
    elif poc_row is None:
        diags.add(
            _span(loc, table.line),
            "missing-point-of-contact",
            "metadata table has no `Point of contact` row",
            "add `| Point of contact | @username |`: the one person who posts updates",
        )
    else:
        pocs = tuple(USER_RE.findall(poc_row.value))
        if not SINGLE_USER_RE.match(poc_row.value.strip()):
            diags.add(
                poc_row.value_span,
                "invalid-point-of-contact",
                f"point of contact must be a single GitHub username like `@ghost`, "
                f"found `{poc_row.value}`",
                "name one person; list other people as task owners in the work items",
            )

    status_row = _first(rows, "status")
    status = ""
    if status_row is None:
        diags.add(
            _span(loc, table.line),
            "missing-status",
            "metadata table has no `Status` row",
            f"add `| Status | {config.statuses[0] if config.statuses else 'Proposed'} |`",
        )
    else:
        status = config.canonical_status(status_row.value) or status_row.value.strip()
        if config.canonical_status(status_row.value) is None and not legacy.is_legacy_status(status):
            diags.add(
                status_row.value_span,
                "unknown-status",
                f"status `{status_row.value}` is not one of {', '.join(config.statuses)}",
                did_you_mean(status_row.value, config.statuses)
                or "use one of the statuses listed above",
            )

    effective = legacy.effective_status(status)
    tracking = _tracking_issue(rows, loc, effective, config, diags, status_row or table.header)
    others: list[IssueRef] = []
    for r in _all(rows, "other tracking issues", "other tracking issue", "see also"):
        others.extend(IssueRef.find_all(r.value))

    champions = _champions(rows, loc, diags)
    short_row = _first(rows, "short title")
    short_title = short_row.value.strip() if short_row and short_row.value.strip() else title

    sections = tuple(
        DocSection(s.title, s.level, s.text, _span(loc, s.line), s.end_line)
        for s in doc.all_sections()
    )
    fmt, asks, owner_items = _team_asks(doc, loc, config, diags, status)
    work_items = owner_items + _work_items(doc, loc)
    subgoals = _subgoals(doc, loc, diags)
    summary = next((s.text for s in sections if s.title.lower() == "summary"), "")
    what_row = _first(rows, "what and why")

    return Goal(
        milestone=loc.milestone,
        slug=loc.slug,
        path=loc.path,
        title=title,
        short_title=short_title,
        status=status,
        metadata=tuple(rows),
        points_of_contact=pocs,
        tracking_issue=tracking,
        other_tracking_issues=tuple(dict.fromkeys(others)),
        chat_channel=_value(rows, "zulip channel", "chat channel"),
        roadmaps=tuple(dict.fromkeys([*_themes(rows), *filter(None, [legacy.status_theme(status)])])),
        highlights=tuple(_multi(rows, "highlight")),
        needs=tuple(_multi(rows, "needs")),
        what_and_why=(what_row.value.strip() if what_row else "") or first_sentence(summary),
        timespan=_value(rows, "timespan"),
        funding_contact=_value(rows, "funding contact"),
        champions=champions,
        asks=tuple(asks),
        work_items=tuple(work_items),
        help_wanted=tuple(_help_wanted(doc, loc, diags)),
        funding=tuple(_funding(doc, loc, diags)),
        subgoals=tuple(subgoals),
        sections=sections,
        format=fmt,
        lifecycle=_value(rows, "lifecycle").lower(),
        continues_as=_value(rows, "continues as"),
        span=_span(loc, title_line),
        end_line=len(doc.lines),
    )


def _title(
    doc: Document, loc: Located, diags: Diagnostics, table: Table, where: str
) -> tuple[str, int]:
    first = doc.headings[0] if doc.headings else None
    if where == "preamble" or first is None:
        diags.add(
            _span(loc, 1),
            "missing-title",
            "document has no `# Title` heading before its metadata table",
            "start the file with `# <goal title>` and put the metadata table right under it",
        )
        return (loc.slug, 1)
    if first.level != 1:
        diags.add(
            _span(loc, first.line),
            "title-level",
            f"the title should be a level-1 `# Title`, found level {first.level} "
            f"`{'#' * first.level} {first.title}`",
            "make the goal's title the first line, as `# <title>`",
        )
    if where == "later":
        diags.add(
            _span(loc, table.line),
            "misplaced-metadata",
            f"metadata table must come directly under the title (line {first.line}), "
            f"found at line {table.line}",
            "move the `| Metadata | |` table above the first `##` section",
        )
    return (first.title or loc.slug, first.line)


def _value(rows: list[MetadataRow], *keys: str) -> str:
    r = next((r for r in rows if _norm_key(r.key) in keys), None)
    return r.value.strip() if r else ""


def _multi(rows: list[MetadataRow], *keys: str) -> list[str]:
    out: list[str] = []
    for r in _all(rows, *keys):
        v = _strip_links(r.value)
        if v and not is_placeholder(v):
            out.append(v)
    return list(dict.fromkeys(out))


FLAG_VALUES = {"yes", "true", "x", "✅"}


def _themes(rows: list[MetadataRow]) -> list[str]:
    """`Roadmap` rows, and legacy `Flagship` rows; 2024h2's `Flagship | Yes` is the theme
    "Flagship" (flagship goals then had no named themes)."""
    return list(dict.fromkeys(
        "Flagship" if _norm_key(r.key) == "flagship" and v.lower() in FLAG_VALUES else v
        for r in _all(rows, "roadmap", "flagship")
        for v in [_strip_links(r.value)]
        if v and not is_placeholder(v) and v.lower() not in ("no", "false")
    ))


def _tracking_issue(
    rows: list[MetadataRow],
    loc: Located,
    status: str,
    config: Config,
    diags: Diagnostics,
    anchor_row: MetadataRow | Row,
) -> IssueRef | None:
    row = _first(rows, "tracking issue")
    accepted = status.lower() == "accepted" and not loc.rfc_pending
    if row is None or is_placeholder(row.value):
        if accepted:
            where = (
                anchor_row.value_span if isinstance(anchor_row, MetadataRow)
                else _span(loc, anchor_row.line)
            )
            diags.add(
                row.value_span if row else where,
                "missing-tracking-issue",
                "accepted goals must have a tracking issue",
                "add `| Tracking issue | [owner/repo#N] |` naming the goal's issue in the tracker",
            )
        return None
    ref = IssueRef.parse(row.value)
    if ref is None:
        diags.add(
            row.value_span,
            "invalid-tracking-issue",
            f"tracking issue must be `[owner/repo#N]`, found `{row.value}`",
            "other issues belong in the `Other tracking issues` row",
        )
        return None
    trackers = [t.lower() for t in config.trackers()]
    if trackers and ref.repository.lower() not in trackers:
        diags.add(
            row.value_span,
            "tracking-issue-repo",
            f"tracking issue `{ref}` is not in the program's tracker `{config.tracker}`",
            "open the tracking issue in the tracker; other issues go in `Other tracking issues`",
        )
    return ref


def _champions(rows: list[MetadataRow], loc: Located, diags: Diagnostics) -> tuple[Champion, ...]:
    out: dict[str, Champion] = {}
    for r in rows:
        if "champion" not in r.key.lower():
            continue
        m = CHAMPION_ROW_RE.match(r.key)
        if m is None or not m["team"].strip():
            diags.add(
                r.span,
                "invalid-champion-row",
                f"metadata row `{r.key}` talks about champions but is not of the form "
                "`[team-name] champion`",
                "write one row per team, e.g. `| [lang] champion | @username |`",
            )
            continue
        team = m["team"].strip()
        if team in out:
            diags.add(
                r.span,
                "duplicate-champion-row",
                f"two rows name champions for team `{team}` "
                f"(first at line {out[team].span.line})",
                "keep one row per team; list co-champions in one cell",
            )
            continue
        value = r.value.strip()
        if value and not is_placeholder(value) and not USER_RE.search(value):
            diags.add(
                r.value_span,
                "invalid-champion",
                f"champion for `{team}` should be a GitHub username like `@ghost`, "
                f"found `{value}`",
                "name the team member who mentors the goal, or leave the cell empty",
            )
        out[team] = Champion(team, value, r.span)
    return tuple(out.values())


def _is_header(t: Table, want: tuple[str, ...]) -> bool:
    return tuple(h.strip().lower() for h in t.header_texts()) == tuple(w.lower() for w in want)


def _check_header(
    t: Table, want: tuple[str, ...], loc: Located, diags: Diagnostics, what: str
) -> bool:
    if _is_header(t, want):
        return True
    diags.add(
        _span(loc, t.header.line),
        "table-header",
        f"{what} table must have the columns `| {' | '.join(want)} |`, "
        f"found `| {' | '.join(t.header_texts())} |`",
        "use the table layout of the goal template",
    )
    return False


TEAM_ASKS_HEADER = ("Team", "Support level", "Notes")
OWNERSHIP_HEADER = ("Task", "Owner(s) or team(s)", "Notes")
HELP_WANTED_HEADER = ("Task", "Experience level", "Time investment")
FUNDING_HEADER = ("Purpose", "Cost", "Funded", "Sponsor(s)")


def _team_asks(
    doc: Document, loc: Located, config: Config, diags: Diagnostics, status: str
) -> tuple[Format, list[TeamAsk], list[WorkItem]]:
    rejected = status.lower() == "not accepted"
    asks_sections = doc.find_sections("Team asks")
    if asks_sections:
        root = asks_sections[0]
        asks: list[TeamAsk] = []
        for sec in root.walk():
            subgoal = "" if sec is root else sec.title
            if len(sec.tables) > 1:
                diags.add(
                    _span(loc, sec.tables[1].line),
                    "multiple-tables",
                    f"expected at most one table in `{sec.title}` section, found {len(sec.tables)}",
                    "put every ask of this section in one table",
                )
            for t in sec.tables[:1]:
                if _check_header(t, TEAM_ASKS_HEADER, loc, diags, "team asks"):
                    asks.extend(_support_rows(t, loc, config, diags, subgoal))
        if not asks and not rejected:
            _no_involvement(root, loc, diags)
        return Format.TEAM_ASKS, asks, []

    own = doc.find_sections("Ownership and team asks")
    if own:
        root = own[0]
        asks = []
        items: list[WorkItem] = []
        # the 2024 `Subgoal` table: the tool of the time read only that first table under the
        # heading, and did not require team asks
        old_2024 = bool(root.tables) and _is_header(root.tables[0], legacy.SUBGOAL_HEADER)
        for sec in [root] if old_2024 else root.walk():
            subgoal = "" if sec is root else sec.title
            if len(sec.tables) > 1 and not old_2024:
                diags.add(
                    _span(loc, sec.tables[1].line),
                    "multiple-tables",
                    f"expected at most one table in `{sec.title}` section, found {len(sec.tables)}",
                    "split the tasks into subsections, one table each",
                )
            for t in sec.tables[:1]:
                arrows = _is_header(t, legacy.SUBGOAL_HEADER)
                if arrows or _check_header(t, OWNERSHIP_HEADER, loc, diags, "ownership"):
                    a, w = _ownership_rows(t, loc, config, diags, subgoal, arrows=arrows)
                    asks.extend(a)
                    items.extend(w)
        if not asks and not rejected and not old_2024:
            _no_involvement(root, loc, diags)
        return Format.OWNERSHIP, asks, items

    diags.add(
        _span(loc, len(doc.lines)),
        "missing-team-asks",
        "no `Team asks` or `Ownership and team asks` section found",
        "add a `## Team asks` section with a `| Team | Support level | Notes |` table",
    )
    return Format.NONE, [], []


def _no_involvement(sec: Section, loc: Located, diags: Diagnostics) -> None:
    diags.add(
        _span(loc, sec.line),
        "no-team-involvement",
        f"the `{sec.title}` section names no team",
        "add one row per team whose support the goal needs, with its support level",
    )


def _support_rows(
    t: Table, loc: Located, config: Config, diags: Diagnostics, subgoal: str
) -> list[TeamAsk]:
    out: list[TeamAsk] = []
    for r in t.rows:
        team_cell, level_cell, notes = r.text(0), r.text(1), r.text(2)
        if not team_cell or team_cell.strip() == "..." or not level_cell or level_cell == "...":
            continue  # template placeholder rows
        m = FIRST_TEAM_RE.search(team_cell)
        if m is None:
            diags.add(
                _span(loc, r.line, r.column(0)),
                "unknown-team",
                f"could not read a team name from `{team_cell}`",
                "write the team as `[team-name]`",
            )
            continue
        level = config.canonical_level(level_cell)
        if level is None:
            diags.add(
                _span(loc, r.line, r.column(1)),
                "unknown-support-level",
                f"support level `{level_cell}` is not one of {', '.join(config.support_levels)}",
                did_you_mean(level_cell, config.support_levels)
                or "pick the level that matches the work you need from the team",
            )
            level = level_cell.strip()
        out.append(TeamAsk(m[0], level, "", notes, subgoal, _span(loc, r.line, r.column(0))))
    return out


def _ownership_rows(
    t: Table, loc: Located, config: Config, diags: Diagnostics, section: str, *, arrows: bool
) -> tuple[list[TeamAsk], list[WorkItem]]:
    asks: list[TeamAsk] = []
    items: list[WorkItem] = []
    for r, task, child_of in legacy.plan_rows(t.rows, arrows=arrows):
        owners, notes = r.text(1), r.text(2)
        subgoal = child_of or section
        if not task and not owners:
            continue
        span = _span(loc, r.line, r.column(0))
        if "![team]" in owners.lower():
            asked = STRUCK_RE.sub("", owners)  # `~~[compiler]~~`: no longer asked
            teams = [x for x in TEAM_TOKEN_RE.findall(asked) if x.lower() != "team"]
            if not teams:
                diags.add(
                    _span(loc, r.line, r.column(1)),
                    "unknown-team",
                    f"team ask `{task}` does not name any team",
                    "write the teams after the badge, e.g. `![Team][] [lang], [compiler]`",
                )
            if config.ask_types and task not in config.ask_types:
                # rust-project-goals.toml lists today's ask types, and old milestones keep the
                # ones since retired (2025h1's "Lang-team champion"): a warning there.
                retired = config.ask_types_path is not None and config.ask_types_path != config.path
                diags.add(
                    span,
                    "unknown-ask-type",
                    f"team ask `{task}` is not one of the ask types"
                    + (f" in {config.ask_types_path.name}" if retired and config.ask_types_path else ""),
                    did_you_mean(task, tuple(config.ask_types))
                    or "ask types: " + ", ".join(f"`{k}`" for k in config.ask_types),
                    severity=Severity.WARNING if retired else None,
                )
            for team in teams:
                asks.append(TeamAsk(team, "", task, notes, subgoal, span))
        else:
            users = USER_RE.findall(owners)
            who = tuple(f"@{u}" for u in users) or tuple(
                o.strip() for o in owners.split(",") if o.strip() and not is_placeholder(o)
            )
            items.append(
                WorkItem(
                    task,
                    who,
                    notes,
                    subgoal,
                    complete="![complete]" in notes.lower(),
                    help_wanted="help wanted" in owners.lower(),
                    span=span,
                )
            )
    return asks, items


def _work_items(doc: Document, loc: Located) -> list[WorkItem]:
    out: list[WorkItem] = []
    for sec in doc.find_sections("Work items over the next year")[:1]:
        for s in sec.walk():
            subgoal = "" if s is sec else s.title
            for t in s.tables:
                head = [h.lower() for h in t.header_texts()]
                if t.width != 3 or head[0] != "task" or head[2] != "notes":
                    continue
                for r in t.rows:
                    if not r.text(0):
                        continue
                    owners = tuple(f"@{u}" for u in USER_RE.findall(r.text(1)))
                    out.append(
                        WorkItem(
                            r.text(0),
                            owners,
                            r.text(2),
                            subgoal,
                            complete="![complete]" in r.text(2).lower(),
                            help_wanted="help wanted" in r.text(1).lower(),
                            span=_span(loc, r.line, r.column(0)),
                        )
                    )
    return out


def _subgoals(doc: Document, loc: Located, diags: Diagnostics) -> list[Subgoal]:
    out: list[Subgoal] = []
    for sec in doc.find_sections("Work items over the next year")[:1]:
        for child in sec.children:
            meta = next((t for t in child.tables if _is_metadata_header(t)), None)
            rows = read_metadata(meta, loc, diags) if meta else []
            prose = "\n".join(
                ln for ln in child.text.split("\n") if not ln.strip().startswith("|")
            )
            out.append(
                Subgoal(
                    title=child.title,
                    anchor=anchor(child.title),
                    roadmaps=tuple(_multi(rows, "roadmap", "flagship")),
                    timespan=_value(rows, "timespan"),
                    what_and_why=_value(rows, "what and why") or first_sentence(prose),
                    span=_span(loc, child.line),
                )
            )
    return out


def _help_wanted(doc: Document, loc: Located, diags: Diagnostics) -> list[HelpWanted]:
    out: list[HelpWanted] = []
    for sec in doc.find_sections("Help wanted")[:1]:
        for t in sec.tables[:1]:
            if _check_header(t, HELP_WANTED_HEADER, loc, diags, "help wanted"):
                for r in t.rows:
                    if r.text(0) and not r.text(0).startswith("*e.g."):
                        out.append(HelpWanted(r.text(0), r.text(1), r.text(2), _span(loc, r.line)))
    return out


def _funding(doc: Document, loc: Located, diags: Diagnostics) -> list[FundingRow]:
    out: list[FundingRow] = []
    for sec in doc.find_sections("Funding")[:1]:
        for t in sec.tables[:1]:
            if _check_header(t, FUNDING_HEADER, loc, diags, "funding"):
                for r in t.rows:
                    if r.text(0) and not r.text(0).startswith("*e.g."):
                        out.append(
                            FundingRow(r.text(0), r.text(1), r.text(2), r.text(3), _span(loc, r.line))
                        )
    return out


def anchor(title: str) -> str:
    """The `#id` of a heading, as mdBook (and the site) spell it (first of its name)."""
    return heading_id(title)


def first_sentence(text: str) -> str:
    para = text.strip().split("\n\n")[0] if text.strip() else ""
    para = " ".join(para.split())
    m = re.search(r"\.(\s|$)", para)
    return para[: m.start() + 1] if m else para


# --------------------------------------------------------------------------- roadmaps


def parse_roadmap(doc: Document, loc: Located, diags: Diagnostics) -> Roadmap | None:
    table, where = metadata_table(doc)
    if table is None:
        return None
    title, title_line = _title(doc, loc, diags, table, where)
    rows = read_metadata(table, loc, diags, roadmap=True)
    for key, label in (("what and why", "What and why"), ("point of contact", "Point of contact")):
        if _first(rows, key) is None:
            diags.add(
                _span(loc, table.line),
                "missing-roadmap-field",
                f"roadmap metadata table has no `{label}` row",
                f"add `| {label} | ... |` to the metadata table",
            )
    short = _value(rows, "short title") or title
    return Roadmap(
        milestone=loc.milestone,
        slug=loc.slug.removeprefix("roadmap-"),
        path=loc.path,
        title=title,
        short_title=short,
        what_and_why=_value(rows, "what and why"),
        point_of_contact=_value(rows, "point of contact"),
        application_areas=tuple(_multi(rows, "application area")),
        metadata=tuple(rows),
        sections=tuple(
            DocSection(s.title, s.level, s.text, _span(loc, s.line), s.end_line)
            for s in doc.all_sections()
        ),
        span=_span(loc, title_line),
    )


# --------------------------------------------------------------------------- any document


def scan_directives(doc: Document) -> list[tuple[str, int]]:
    """`(((DIRECTIVE)))` markers outside code blocks and inline code spans, with their lines."""
    out: list[tuple[str, int]] = []
    for idx, line in enumerate(doc.lines, start=1):
        if "(((" not in line or idx in doc.code_lines:
            continue
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
    html_lines = {ln + k for ln, content in doc.html_blocks for k in range(content.count("\n") + 1)}
    for idx, line in enumerate(doc.lines, start=1):
        if "<" not in line and "javascript:" not in line.lower():
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
            f"table row has {len(row.cells)} columns, expected no more than {width}",
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
    return [c.text for c in row.cells]
