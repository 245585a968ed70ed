"""The tables under a goal's sections: team asks (or the older ownership table), work items,
subgoals, help wanted and funding.
"""

from __future__ import annotations

import re

from ..constants import Format, Severity
from ..diagnostics import Diagnostics, Span, did_you_mean
from ..model import USER_RE, Config, FundingRow, HelpWanted, Subgoal, TeamAsk, WorkItem
from . import legacy
from .markdown import Document, Section, Table
from .metadata import (
    Located,
    MetadataRows,
    anchor,
    first_sentence,
    is_metadata_header,
    is_placeholder,
    loc_span,
    read_metadata,
)

TEAM_TOKEN_RE = re.compile(r"\[([-._A-Za-z0-9]+)\]")
FIRST_TEAM_RE = re.compile(r"[-._A-Za-z0-9]+")
STRUCK_RE = re.compile(r"~~.*?~~")


def _is_header(t: Table, want: tuple[str, ...]) -> bool:
    """Whether the table's header cells are `want`, in any case."""
    texts = t.header.texts
    return len(texts) == len(want) and [h.strip().lower() for h in texts] == [w.lower() for w in want]


def _check_header(
    t: Table, want: tuple[str, ...], loc: Located, diags: Diagnostics, what: str
) -> bool:
    if _is_header(t, want):
        return True
    diags.add(
        loc_span(loc, t.header.line),
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


def read_team_asks(
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
                    loc_span(loc, sec.tables[1].line),
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
                    loc_span(loc, sec.tables[1].line),
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
        loc_span(loc, len(doc.lines)),
        "missing-team-asks",
        "no `Team asks` or `Ownership and team asks` section found",
        "add a `## Team asks` section with a `| Team | Support level | Notes |` table",
    )
    return Format.NONE, [], []


def _no_involvement(sec: Section, loc: Located, diags: Diagnostics) -> None:
    diags.add(
        loc_span(loc, sec.line),
        "no-team-involvement",
        f"the `{sec.title}` section names no team",
        "add one row per team whose support the goal needs, with its support level",
    )


def _support_rows(
    t: Table, loc: Located, config: Config, diags: Diagnostics, subgoal: str
) -> list[TeamAsk]:
    out: list[TeamAsk] = []
    path = loc.path
    for r in t.rows:
        team_cell, level_cell, notes = r.first(3)
        if not team_cell or team_cell.strip() == "..." or not level_cell or level_cell == "...":
            continue  # template placeholder rows
        m = FIRST_TEAM_RE.search(team_cell)
        if m is None:
            diags.add(
                loc_span(loc, r.line, r.column(0)),
                "unknown-team",
                f"could not read a team name from `{team_cell}`",
                "write the team as `[team-name]`",
            )
            continue
        level = config.canonical_level(level_cell)
        if level is None:
            diags.add(
                loc_span(loc, r.line, r.column(1)),
                "unknown-support-level",
                f"support level `{level_cell}` is not one of {', '.join(config.support_levels)}",
                did_you_mean(level_cell, config.support_levels)
                or "pick the level that matches the work you need from the team",
            )
            level = level_cell.strip()
        out.append(TeamAsk(m[0], level, "", notes, subgoal, Span(path, r.line, r.column(0))))
    return out


def _ownership_rows(
    t: Table, loc: Located, config: Config, diags: Diagnostics, section: str, *, arrows: bool
) -> tuple[list[TeamAsk], list[WorkItem]]:
    asks: list[TeamAsk] = []
    items: list[WorkItem] = []
    path = loc.path
    for r, task, child_of in legacy.plan_rows(t.rows, arrows=arrows):
        owners, notes = r.first(3)[1:]
        subgoal = child_of or section
        if not task and not owners:
            continue
        span = Span(path, r.line, r.column(0))
        owners_low = owners.lower()
        if "![team]" in owners_low:
            # `~~[compiler]~~`: no longer asked
            asked = STRUCK_RE.sub("", owners) if "~~" in owners else owners
            teams = [x for x in TEAM_TOKEN_RE.findall(asked) if x.lower() != "team"]
            if not teams:
                diags.add(
                    loc_span(loc, r.line, r.column(1)),
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
                    help_wanted="help wanted" in owners_low,
                    span=span,
                )
            )
    return asks, items


def read_work_items(doc: Document, loc: Located) -> list[WorkItem]:
    out: list[WorkItem] = []
    for sec in doc.find_sections("Work items over the next year")[:1]:
        for s in sec.walk():
            subgoal = "" if s is sec else s.title
            for t in s.tables:
                head = [h.lower() for h in t.header_texts()]
                if t.width != 3 or head[0] != "task" or head[2] != "notes":
                    continue
                for r in t.rows:
                    task, who, notes = r.first(3)
                    if not task:
                        continue
                    out.append(
                        WorkItem(
                            task,
                            tuple(f"@{u}" for u in USER_RE.findall(who)),
                            notes,
                            subgoal,
                            complete="![complete]" in notes.lower(),
                            help_wanted="help wanted" in who.lower(),
                            span=Span(loc.path, r.line, r.column(0)),
                        )
                    )
    return out


def read_subgoals(doc: Document, loc: Located, diags: Diagnostics) -> list[Subgoal]:
    out: list[Subgoal] = []
    for sec in doc.find_sections("Work items over the next year")[:1]:
        for child in sec.children:
            meta = next((t for t in child.tables if is_metadata_header(t)), None)
            rows = read_metadata(meta, loc, diags) if meta else MetadataRows()
            prose = "\n".join(
                ln for ln in child.text.split("\n") if not ln.strip().startswith("|")
            )
            out.append(
                Subgoal(
                    title=child.title,
                    anchor=anchor(child.title),
                    roadmaps=tuple(rows.values("roadmap", "flagship")),
                    timespan=rows.value("timespan"),
                    what_and_why=rows.value("what and why") or first_sentence(prose),
                    span=loc_span(loc, child.line),
                )
            )
    return out


def read_help_wanted(doc: Document, loc: Located, diags: Diagnostics) -> list[HelpWanted]:
    out: list[HelpWanted] = []
    for sec in doc.find_sections("Help wanted")[:1]:
        for t in sec.tables[:1]:
            if _check_header(t, HELP_WANTED_HEADER, loc, diags, "help wanted"):
                for r in t.rows:
                    if r.text(0) and not r.text(0).startswith("*e.g."):
                        out.append(HelpWanted(r.text(0), r.text(1), r.text(2), loc_span(loc, r.line)))
    return out


def read_funding(doc: Document, loc: Located, diags: Diagnostics) -> list[FundingRow]:
    out: list[FundingRow] = []
    for sec in doc.find_sections("Funding")[:1]:
        for t in sec.tables[:1]:
            if _check_header(t, FUNDING_HEADER, loc, diags, "funding"):
                for r in t.rows:
                    if r.text(0) and not r.text(0).startswith("*e.g."):
                        out.append(
                            FundingRow(r.text(0), r.text(1), r.text(2), r.text(3), loc_span(loc, r.line))
                        )
    return out
