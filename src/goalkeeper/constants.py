"""Allowed values in one place: statuses, support levels, severities and diagnostic codes.

Every diagnostic goalkeeper can emit is listed in :data:`CODES` with its default severity and a
one-line description; ``docs/diagnostics.md`` is checked against this table by the tests, so the
documentation cannot drift from the code.
"""

from __future__ import annotations

import enum

from .records import Record, dataclass


class Status(enum.StrEnum):
    """Goal statuses found in real goal documents (older milestones included)."""

    PROPOSED = "Proposed"
    INVITED = "Invited"
    ACCEPTED = "Accepted"
    PROPOSED_FOR_MENTORSHIP = "Proposed for mentorship"
    NOT_ACCEPTED = "Not accepted"


#: Statuses that the slate's accepted RFC turns into accepted ones (lowercased).
SLATE_STATUSES = ("proposed", "proposed for flagship", "proposed for mentorship", "invited")
#: Statuses that mean "accepted" when written in the document (lowercased).
ACCEPTED_STATUSES = ("accepted", "flagship", "orphaned")  # 2024h2: Orphaned, seeking an owner
#: Statuses for goals that were taken on while still looking for an owner (lowercased).
HELP_WANTED_STATUSES = ("proposed for mentorship", "invited", "orphaned")

DEFAULT_STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
DEFAULT_SUPPORT_LEVELS: tuple[str, ...] = ("Vibes", "Small", "Medium", "Large")
DEFAULT_CHAMPION_LEVELS: tuple[str, ...] = ("Medium", "Large")
DEFAULT_REQUIRED_SECTIONS: tuple[str, ...] = ("Summary", "Motivation")

#: Files larger than this are reported and not parsed (configurable in goalkeeper.toml).
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024


class Lifecycle(enum.StrEnum):
    """Where an accepted goal stands during implementation season."""

    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Format(enum.StrEnum):
    """Which team-ask format a goal document uses."""

    TEAM_ASKS = "team-asks"  # 2026: `## Team asks` with Team | Support level | Notes
    OWNERSHIP = "ownership"  # pre-2026: `## Ownership and team asks` with ![Team][] rows
    NONE = "none"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Code(Record):
    code: str
    severity: Severity
    summary: str


_E, _W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        # Reading files
        Code("io-error", _E, "A file or folder could not be read (permissions, symlink loop)."),
        Code("symlink-outside", _E, "A symlink leads out of the repository; it is not read or published."),
        Code("not-utf8", _E, "A document is not valid UTF-8 text."),
        Code("binary-file", _E, "A `.md` file holds binary data (NUL bytes)."),
        Code("file-too-large", _E, "A document is larger than `max_file_bytes`; it is skipped."),
        Code("empty-file", _W, "A document in a milestone folder is empty."),
        # Document structure
        Code("missing-title", _E, "A goal or roadmap does not start with a `# Title` heading."),
        Code("title-level", _W, "The title heading is not level 1 (`# Title`)."),
        Code("misplaced-metadata", _E, "A `| Metadata | |` table is not directly under the title."),
        Code("metadata-header", _E, "The metadata table's header is not `| Metadata | |`."),
        Code("malformed-table", _E, "A table row has the wrong number of columns."),
        Code("multiple-tables", _E, "A team-asks section holds more than one table."),
        Code("table-header", _E, "A team-asks, help-wanted or funding table has other columns."),
        Code("goal-outside-milestone", _W, "A file looks like a goal but is not in a milestone."),
        Code("raw-html", _W, "A document holds script tags, event handlers or `javascript:` URLs."),
        Code("unknown-directive", _E, "A `(((DIRECTIVE)))` marker is not one goalkeeper knows."),
        Code("legacy-directive", _W, "A directive is written in the older `<!-- NAME -->` form."),
        # Metadata rows
        Code("unknown-metadata-row", _W, "A metadata row is not one goalkeeper knows."),
        Code("duplicate-metadata-row", _W, "A single-valued metadata row appears twice."),
        Code("missing-point-of-contact", _E, "No `Point of contact` row."),
        Code("invalid-point-of-contact", _E, "The point of contact is not a single `@user`."),
        Code("missing-status", _E, "No `Status` row."),
        Code("unknown-status", _E, "The status is not one of the configured statuses."),
        Code("missing-tracking-issue", _E, "An accepted goal has no tracking issue."),
        Code("invalid-tracking-issue", _E, "A tracking issue is not in `owner/repo#N` form."),
        Code("tracking-issue-repo", _W, "A tracking issue is not in the program's tracker."),
        Code("duplicate-tracking-issue", _E, "Two goals of a milestone share a tracking issue."),
        Code("invalid-champion-row", _E, "A champion row is not of the form `[team] champion`."),
        Code("duplicate-champion-row", _E, "Two champion rows name the same team."),
        Code("invalid-champion", _W, "A champion value is not `@user` (or empty/TBD)."),
        Code("unknown-lifecycle", _E, "A `Lifecycle` value is not active/paused/completed/withdrawn."),
        Code("unknown-continuation", _W, "`Continues as` names no goal of the program."),
        Code("missing-roadmap-field", _E, "A roadmap lacks its `What and why` or point of contact."),
        # Teams and asks
        Code("unknown-team", _E, "A team is not among the program's teams."),
        Code("archived-team", _W, "A team is archived in the team data."),
        Code("unchecked-teams", _W, "No team data configured: team names could not be checked."),
        Code("person-without-name", _W, "A person file of the team data has no usable `name`."),
        Code("missing-team-asks", _E, "Neither `## Team asks` nor `## Ownership and team asks`."),
        Code("no-team-involvement", _E, "The team-asks section names no team."),
        Code("unknown-support-level", _E, "A support level is not one of the configured levels."),
        Code("unknown-ask-type", _E, "A pre-2026 team ask is not one of the configured ask types."),
        Code("missing-champion", _W, "A Medium or Large ask has no `[team] champion` row."),
        Code("champion-without-ask", _W, "A champion row names a team the goal asks nothing of."),
        Code("champion-not-member", _W, "A champion is not a member of the team they champion."),
        # Cross-document
        Code("unknown-roadmap", _E, "A `Roadmap` row names no roadmap of the milestone."),
        Code("unknown-directive-theme", _W, "A directive names a roadmap, highlight or area no goal has."),
        Code("unknown-highlight", _W, "A `Highlight` theme is named by no highlight directive."),
        Code("inconsistent-username", _E, "A username is spelled two ways (e.g. differing case)."),
        Code("duplicate-slug", _E, "Two goals of a milestone have the same slug."),
        Code("duplicate-short-title", _E, "Two goals of a milestone have the same short title."),
        Code("missing-section", _W, "A required section (e.g. `## Summary`) is missing."),
        # Meeting minutes (skipped unless noted)
        Code("minutes-empty", _W, "A minutes file is empty (or has front matter only)."),
        Code("minutes-no-date", _E, "Minutes have no date in the file name, front matter or heading."),
        Code("minutes-conflicting-dates", _E, "File name, front matter and heading give different dates."),
        Code("minutes-invalid-date", _E, "A date in minutes is not a calendar date (e.g. 2026-02-30)."),
        Code("minutes-no-team", _E, "The team of minutes is unknown (no folder, field or rule gives it)."),
        Code("minutes-stub", _W, "Minutes have fewer than `[minutes] min_words` words (a stub)."),
        Code("minutes-agenda-only", _W, "The attendee list is a placeholder: an agenda, not minutes."),
        Code("minutes-attendees-paragraph", _W, "Attendees are a paragraph, not a list (meeting kept)."),
        Code("minutes-duplicate", _W, "A second file records the same meeting (team, date, title)."),
        # Goals proposed in pull requests (`goals --proposals`)
        Code("proposal-unreadable", _E, "A proposed goal document could not be read at the head commit."),
        Code("proposal-not-a-goal", _E, "A proposed goal document has no metadata table, so it is no goal."),
    )
}


def severity_of(code: str) -> Severity:
    return CODES[code].severity

# Configuration defaults (goalkeeper.toml's [project] and [layout]).
DEFAULT_MILESTONE_PATTERN = r"^\d{4}(h[12])?$"
DEFAULT_IGNORE = ("TEMPLATE*.md", "*-TEMPLATE.md", "ROADMAP_TEMPLATE.md")
DEFAULT_API_URL = "https://api.github.com"
#: Where `goalkeeper sync` keeps what it read from the forge: ROOT/CACHE_DIR/DB_NAME (SQLite).
CACHE_DIR = ".goalkeeper-cache"
DB_NAME = "goalkeeper.sqlite3"
#: The program's own minutes folder, ROOT/MINUTES_DIR, unless [minutes] dir says otherwise.
MINUTES_DIR = "minutes"
