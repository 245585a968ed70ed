"""Goal documents: the metadata table and sections of a goal → :class:`~goalkeeper.model.Goal`.

The tables under a goal's sections (team asks, work items, help wanted, funding) are read in
:mod:`goalkeeper.sources.goal_sections`. Rules that need the whole program (teams, roadmaps,
people) live in :mod:`goalkeeper.checks`.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics, did_you_mean
from ..model import USER_RE, Champion, Config, Goal, IssueRef, MetadataRow
from . import legacy
from .goal_sections import read_funding, read_help_wanted, read_subgoals, read_team_asks, read_work_items
from .markdown import Document, Row
from .metadata import (
    Located,
    MetadataRows,
    doc_sections,
    first_sentence,
    is_placeholder,
    loc_span,
    metadata_table,
    norm_key,
    read_metadata,
    read_title,
    strip_links,
)

SINGLE_USER_RE = re.compile(r"^@[A-Za-z0-9][-_A-Za-z0-9]*$")
CHAMPION_ROW_RE = re.compile(r"^\s*\[(?P<team>[^\]]*)\]\s+champion\s*$", re.IGNORECASE)


def parse_goal(doc: Document, loc: Located, config: Config, diags: Diagnostics) -> Goal | None:
    table, where = metadata_table(doc)
    if table is None:
        return None
    title, title_line = read_title(doc, loc, diags, table, where)
    meta = read_metadata(table, loc, diags)
    rows = meta.rows

    poc_row = meta.first("point of contact")
    pocs: tuple[str, ...] = ()
    owners_row = meta.first(*legacy.OWNER_ROWS) if poc_row is None else None
    if owners_row is not None:
        # 2024h2: `Owner(s)` names one or more owners (or `![Help wanted][]`), not checked
        pocs = tuple(USER_RE.findall(owners_row.value))
    elif poc_row is None:
        diags.add(
            loc_span(loc, table.line),
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

    status_row = meta.first("status")
    status = ""
    if status_row is None:
        diags.add(
            loc_span(loc, table.line),
            "missing-status",
            "metadata table has no `Status` row",
            f"add `| Status | {config.statuses[0] if config.statuses else 'Proposed'} |`",
        )
    else:
        canonical = config.canonical_status(status_row.value)
        status = canonical or status_row.value.strip()
        if canonical is None and not legacy.is_legacy_status(status):
            diags.add(
                status_row.value_span,
                "unknown-status",
                f"status `{status_row.value}` is not one of {', '.join(config.statuses)}",
                did_you_mean(status_row.value, config.statuses)
                or "use one of the statuses listed above",
            )

    effective = legacy.effective_status(status)
    tracking = _tracking_issue(meta, loc, effective, config, diags, status_row or table.header)
    others: list[IssueRef] = []
    for r in meta.all("other tracking issues", "other tracking issue", "see also"):
        others.extend(IssueRef.find_all(r.value))

    champions = _champions(rows, loc, diags)
    short_row = meta.first("short title")
    short_title = short_row.value.strip() if short_row and short_row.value.strip() else title

    sections = doc_sections(doc, loc)
    fmt, asks, owner_items = read_team_asks(doc, loc, config, diags, status)
    work_items = owner_items + read_work_items(doc, loc)
    subgoals = read_subgoals(doc, loc, diags)
    summary = ""
    for s in sections:
        if s.title.lower() == "summary":
            summary = s.text
            break
    what_row = meta.first("what and why")

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
        chat_channel=meta.value("zulip channel", "chat channel"),
        roadmaps=tuple(dict.fromkeys([*_themes(meta), *filter(None, [legacy.status_theme(status)])])),
        highlights=tuple(meta.values("highlight")),
        needs=tuple(meta.values("needs")),
        what_and_why=(what_row.value.strip() if what_row else "") or first_sentence(summary),
        timespan=meta.value("timespan"),
        funding_contact=meta.value("funding contact"),
        champions=champions,
        asks=tuple(asks),
        work_items=tuple(work_items),
        help_wanted=tuple(read_help_wanted(doc, loc, diags)),
        funding=tuple(read_funding(doc, loc, diags)),
        subgoals=tuple(subgoals),
        sections=sections,
        format=fmt,
        lifecycle=meta.value("lifecycle").lower(),
        continues_as=meta.value("continues as"),
        span=loc_span(loc, title_line),
        end_line=len(doc.lines),
    )



FLAG_VALUES = {"yes", "true", "x", "✅"}


def _themes(meta: MetadataRows) -> list[str]:
    """`Roadmap` rows, and legacy `Flagship` rows; 2024h2's `Flagship | Yes` is the theme
    "Flagship" (flagship goals then had no named themes)."""
    return list(dict.fromkeys(
        "Flagship" if norm_key(r.key) == "flagship" and v.lower() in FLAG_VALUES else v
        for r in meta.all("roadmap", "flagship")
        for v in [strip_links(r.value)]
        if v and not is_placeholder(v) and v.lower() not in ("no", "false")
    ))


def _tracking_issue(
    meta: MetadataRows,
    loc: Located,
    status: str,
    config: Config,
    diags: Diagnostics,
    anchor_row: MetadataRow | Row,
) -> IssueRef | None:
    row = meta.first("tracking issue")
    accepted = status.lower() == "accepted" and not loc.rfc_pending
    if row is None or is_placeholder(row.value):
        if accepted:
            where = (
                anchor_row.value_span if isinstance(anchor_row, MetadataRow)
                else loc_span(loc, anchor_row.line)
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
