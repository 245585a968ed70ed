"""`goalkeeper minutes import|add`: write minutes into the program's minutes folder.

Minutes are written as ``<[minutes] dir>/<team>/<YYYY-MM-DD>-<slug>.md`` (the slug is the title
without its date), UTF-8 without a byte-order mark, with ``\\n`` line endings and one final
newline. Nothing else in a file changes, so its word count is the same before and after. Writes
are atomic, and a file that exists with different content is never overwritten.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from ...diagnostics import Diagnostic, Diagnostics
from ...errors import GoalkeeperError
from ...fsutil import write_atomic
from .config import MinutesFolder, load_minutes_config
from .folders import display_path, scan

_TEAM_RE = re.compile(r"[A-Za-z0-9][-_.A-Za-z0-9]*")
_DATE_IN_TEXT_RE = re.compile(r"(?<![0-9])[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9])")


class MinutesFileError(GoalkeeperError):
    """A minutes file cannot be written: it exists, or an option is invalid."""


@dataclass(frozen=True, slots=True)
class ImportAction:
    source: str  # as displayed (relative to the program root or the current folder)
    target: str
    status: str  # "created", "unchanged" (same bytes already there) or "conflict" (left alone)


@dataclass(frozen=True, slots=True)
class ImportResult:
    actions: tuple[ImportAction, ...]
    diagnostics: tuple[Diagnostic, ...]  # for the source files that were skipped
    files: int
    skipped: int

    def count(self, status: str) -> int:
        return sum(1 for a in self.actions if a.status == status)


def check_team(team: str) -> str:
    if not _TEAM_RE.fullmatch(team):
        raise MinutesFileError(
            f"team {team!r} must be a plain folder name (letters, digits, `-`, `_`, `.`)"
        )
    return team


def file_name(date: datetime.date, title: str) -> str:
    """``2026-03-05-lang-triage.md`` for ("2026-03-05", "Lang triage 2026-03-05")."""
    slug = re.sub(r"[^a-z0-9]+", "-", _DATE_IN_TEXT_RE.sub("", title).lower()).strip("-")[:60]
    return f"{date.isoformat()}-{slug.rstrip('-')}.md" if slug else f"{date.isoformat()}.md"


def normalise(data: bytes) -> str:
    """The file's text as written by goalkeeper: no BOM, ``\\n`` line endings, one final newline."""
    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip() + "\n"


def import_minutes(source: Path, team: str, root: Path) -> ImportResult:
    """Copy the minutes in `source` (any layout, team `team`) into ROOT's minutes folder.

    Files the reader would skip (no date, stubs, agendas, ...) are not copied; their
    diagnostics are returned. A target that exists with the same bytes is left as it is
    ("unchanged"); with different bytes it is left alone and reported ("conflict").
    """
    check_team(team)
    if not source.is_dir():
        raise MinutesFileError(f"{source}: no such folder of minutes")
    config = load_minutes_config(root)
    diags = Diagnostics()
    found, files, skipped = scan(config, (MinutesFolder(str(source.resolve()), team=team),), diags)
    target_dir = config.dir_path / team
    taken: set[str] = set()
    actions: list[ImportAction] = []
    for f in found:
        name = file_name(f.meeting.date, f.meeting.title)
        stem, n = name[:-3], 2
        while name in taken:
            name, n = f"{stem}-{n}.md", n + 1
        taken.add(name)
        target = target_dir / name
        text = normalise(f.source.read_bytes())
        shown = display_path(target, root)
        if target.exists():
            same = target.read_bytes() == text.encode("utf-8")
            actions.append(ImportAction(f.meeting.path, shown, "unchanged" if same else "conflict"))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text)
        actions.append(ImportAction(f.meeting.path, shown, "created"))
    return ImportResult(tuple(actions), tuple(diags.sorted()), files, skipped)


TEMPLATE = """# {title}

- Date: {date}
{author_line}
## Attendees

{attendees}

## Notes

"""


def add_minutes(
    root: Path,
    *,
    team: str,
    date: datetime.date,
    title: str,
    author: str = "",
    attendees: tuple[str, ...] = (),
) -> Path:
    """Create ``<dir>/<team>/<date>-<slug>.md`` from a small template; never overwrites a file.

    The new file has fewer than ``[minutes] min_words`` words, so `minutes stats` reports it
    as a stub until the minutes are written.
    """
    check_team(team)
    title = " ".join(title.split())
    if not title:
        raise MinutesFileError("the title must not be empty")
    for written in _DATE_IN_TEXT_RE.findall(title):
        y, m, d = (int(x) for x in written.split("-"))
        try:
            same = datetime.date(y, m, d) == date
        except ValueError:
            same = False
        if not same:
            raise MinutesFileError(f"the title's date {written} is not the meeting's date {date}")
    config = load_minutes_config(root)
    path = config.dir_path / team / file_name(date, title)
    if path.exists():
        raise MinutesFileError(f"{path} already exists; goalkeeper never overwrites minutes")
    text = TEMPLATE.format(
        title=title,
        date=date.isoformat(),
        author_line=f"- Minutes: {author}\n" if author else "",
        attendees="\n".join(f"- {a}" for a in attendees) if attendees else "- ...",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    return path
