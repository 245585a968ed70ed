"""One meeting's minutes: a markdown file read into :class:`Meeting` (:func:`read_file`).

Layouts read as teams write them today:

* the date in the file name (``2025-05-09.md``, ``T-compiler Meeting Agenda 2026-04-2.md``), in
  front matter (``date: 2026-02-03``), in the first heading (``# Libs-API Meeting 2026-02-03``)
  or on a ``Date:`` / ``Meeting date:`` line above the first section; when several give a date
  they must agree;
* the team from the folder (``[[minutes.folders]] team``, else the sub-folder holding the file),
  from a front-matter field, or from regex rules on the first heading (Libs-API and Libs minutes
  share one folder);
* attendees from an ``Attendees`` / ``Attendance`` / ``Present`` / ``Participants`` section's
  list (``- Council members: a, b`` rows included, ``Regrets`` / ``Absent`` rows excluded) or an
  ``**Attendees**: a, b`` line above the first section;
* the author of the minutes from a ``Minutes:`` / ``Minutes by:`` / ``Scribe:`` line above the
  first section (``## Meeting roles`` included) or front matter ``author``.

Files that cannot be counted are reported and skipped, each with one diagnostic (see
``docs/diagnostics.md``): unreadable, binary, non-UTF-8 or empty files, no date, conflicting or
impossible dates, no team, stubs shorter than ``min_words``, agendas whose attendee list is a
placeholder (``**Attendees**: ...``), and a second file for the same meeting. Attendees written
as a paragraph are reported and the meeting is kept without attendees.

Folders of such files are walked by :mod:`goalkeeper.sources.minutes.folders`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...diagnostics import Diagnostics, Span
from ...model import Meeting
from ..text import decode
from .config import MinutesConfig, MinutesFolder, TeamFrom
from .words import count_words, split_front_matter

_DATE_RE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])")
_BLOCK_RE = re.compile(  # after a newline: a heading (groups 1, 2) or a code fence (group 3)
    r"\n {0,3}(?:(#{1,6})(?:[ \t]([^\n]*))?|(`{3,}|~{3,})[^\n]*)(?=\n|\Z)"
)  # the heading's text is the rest of the line (closing #s removed in code: linear)
_LIST_RE = re.compile(r"^\s*(?:[-*+]|[0-9]+[.)])(?:\s+(.*))?$")
_LABEL_RE = re.compile(  # possessive spaces and a greedy value: linear on any line
    r"^\s{0,3}(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z ./-]{0,40}?)\s*+"
    r"(?:\*\*|__)?\s*+:\s*+(?:\*\*|__)?\s*+((?:.*\S)?)\s*$"
)
_ATTENDEE_TITLES = ("attendees", "attendance", "present", "participants")
_ATTENDEES_RE = re.compile(r"^[*_`\s]*+(?:attendees|attendance|present|participants)\b", re.I)
_META_RE = re.compile(  # headings above the first section that do not end the header
    r"^[*_`\s]*+(?:attendees|attendance|present|participants|meeting roles|roles|(?:meeting )?date)\b",
    re.I,
)
_ABSENT_LABELS = frozenset({"regrets", "absent", "apologies", "not present", "excused", "missing"})
_AUTHOR_LABELS = frozenset(
    {"minutes", "minutes by", "minute taker", "minute-taker", "minutetaker", "scribe",
     "notetaker", "note taker", "note-taker", "notes by", "author", "authors"}
)
_AUTHOR_FIELDS = ("author", "authors", "minutes", "scribe")
_DATE_LABELS = frozenset({"date", "meeting date"})
_PLACEHOLDERS = frozenset({"", "...", "…", "tbd", "tba", "-", "?", "n/a", "none", "todo"})
# a whitespace run is tried once, from its start (`(?<!\s)`, possessive), not from each of its
# characters; a bracket or parenthesis stops at the next opening one: linear on any line
_NAME_SPLIT_RE = re.compile(r"(?<!\s)\s*+(?:[,;]|\band\b|&)\s*")
_PARENS_RE = re.compile(r"(?<!\s)\s*+\([^()]*\)")
_LINK_RE = re.compile(r"\[([^\[\]]*)\]\([^)\[]*\)")
_MARKUP_RE = re.compile(r"[*_`]+")
_URL_RE = re.compile(r"^(?:https?://|www\.)")


@dataclass(frozen=True, slots=True)
class _Heading:
    level: int
    title: str
    line: int  # 1-based, in the file
    index: int  # index into the body's lines


def read_file(
    path: Path,
    size: int,
    rel: str,
    base: Path,
    spec: MinutesFolder,
    config: MinutesConfig,
    diags: Diagnostics,
) -> Meeting | None:
    """One minutes file as a Meeting, or None with exactly one diagnostic saying why."""
    try:
        if size > config.max_file_bytes:
            diags.add(Span(rel), "file-too-large",
                      f"file is {size:,} bytes, more than the {config.max_file_bytes:,} allowed; skipped",
                      "split the minutes, or raise [program] max_file_bytes in goalkeeper.toml")
            return None
        data = path.read_bytes()
    except OSError as e:
        diags.add(Span(rel), "io-error", f"cannot read file: {e.strerror}",
                  "check the file's permissions and that any symlink resolves")
        return None
    fallback = _folder_team(path, base, spec) if spec.team_from is TeamFrom.FOLDER else spec.team
    return parse_minutes(data, rel, fallback, spec, config.min_words, diags)


def _folder_team(path: Path, base: Path, spec: MinutesFolder) -> str:
    if spec.team:
        return spec.team
    parts = path.relative_to(base).parts
    if len(parts) > 1:
        return parts[0]
    return "" if spec.implicit else base.resolve().name


def parse_minutes(
    data: bytes,
    rel: str,
    folder_team: str,
    spec: MinutesFolder,
    min_words: int,
    diags: Diagnostics,
) -> Meeting | None:
    """Parse one file's bytes; None (with one diagnostic) when the file cannot be counted."""
    text = decode(data, rel, diags, "minutes")
    if text is None:
        return None
    front_bytes, body_bytes, body_line0 = split_front_matter(data)
    body = body_bytes.decode("utf-8-sig") if front_bytes or body_line0 else text
    if not body or body.isspace():
        what = "file has front matter but no minutes" if body_line0 else "file is empty"
        diags.add(Span(rel, 1), "minutes-empty", f"{what}; skipped",
                  "write the minutes, or delete the file")
        return None
    front = _front_matter(front_bytes.decode("utf-8-sig"))
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    lines = body.split("\n")
    headings = _headings(body, body_line0)
    first = headings[0] if headings else None
    header_end = _header_end(headings, len(lines))

    labels = list(_labels(lines, header_end, body_line0))
    head_line = first.line if first else 1
    date = _date(rel, front, first, labels, diags)
    if date is None:
        return None
    team = _team(rel, front, first, folder_team, spec, diags)
    if team is None:
        return None

    # Words, attendees, author
    words = count_words(body_bytes)
    if words < min_words:
        diags.add(Span(rel, head_line), "minutes-stub",
                  f"minutes have {words} words, fewer than the {min_words} of real minutes "
                  "(a stub or an unfilled template); not counted",
                  "write the minutes, or delete the file ([minutes] min_words sets the limit)")
        return None
    attendees, declared, paragraph = _attendees(lines, headings, labels, header_end, body_line0)
    if declared and not attendees and paragraph is None:
        diags.add(Span(rel, declared), "minutes-agenda-only",
                  "the attendee list is empty or a placeholder, so these are an agenda, not minutes; "
                  "not counted",
                  "list who attended (`**Attendees**: a, b`), or delete the agenda")
        return None
    if paragraph is not None:
        diags.add(Span(rel, paragraph), "minutes-attendees-paragraph",
                  "attendees must be a list (`- name` per line, or `Attendees: a, b`), found a "
                  "paragraph; the meeting is kept without attendees",
                  "write one `- name` per line under the heading")
    author = ""
    for _, label, value in labels:
        if label in _AUTHOR_LABELS and value and not _URL_RE.match(value):
            author = _clean(value)
            break
    if not author:
        author = next((_clean(front[k][0]) for k in _AUTHOR_FIELDS if front.get(k, ("", 0))[0]), "")
    title = _clean(first.title) if first and first.title.strip() else ""
    title = title or front.get("title", ("", 0))[0] or rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Meeting(
        team=team,
        date=date,
        title=title,
        path=rel,
        attendees=attendees,
        author=author,
        words=words,
        span=Span(rel, head_line),
    )


def _date(
    rel: str,
    front: dict[str, tuple[str, int]],
    first: _Heading | None,
    labels: list[tuple[int, str, str]],
    diags: Diagnostics,
) -> datetime.date | None:
    """The meeting's date: every source that gives one must agree (else one diagnostic)."""
    fm_date, fm_line = front.get("date", ("", 0))
    sources: list[tuple[str, int, re.Match[str]]] = []  # (where, line, the date as written)
    for where, line, value in (
        ("the file name", 0, rel.rsplit("/", 1)[-1]),
        ("the front matter's `date`", fm_line, fm_date),
        ("the first heading", first.line if first else 0, first.title if first else ""),
    ):
        m = _DATE_RE.search(value)
        if m:
            sources.append((where, line, m))
    for line, label, value in labels:
        m = _DATE_RE.search(value) if label in _DATE_LABELS else None
        if m:
            sources.append((f"the `{label.capitalize()}:` line", line, m))
            break
    head_line = first.line if first else 1
    if not sources:
        diags.add(Span(rel, head_line), "minutes-no-date",
                  "minutes must have a date (YYYY-MM-DD) in the file name, the front matter or the "
                  "first heading; none found, skipped",
                  "rename the file to YYYY-MM-DD.md or add the date to the first heading")
        return None
    dates: list[tuple[str, int, str, datetime.date]] = []
    for where, line, m in sources:
        try:
            dates.append((where, line, m[0], datetime.date(int(m[1]), int(m[2]), int(m[3]))))
        except ValueError:
            diags.add(Span(rel, line or head_line), "minutes-invalid-date",
                      f"{where} gives {m[0]}, which is not a calendar date; skipped",
                      "correct the date")
            return None
    where0, _, written0, date = dates[0]
    for where, line, written, other in dates[1:]:
        if other != date:
            diags.add(Span(rel, line or head_line), "minutes-conflicting-dates",
                      f"minutes must have one date: {where0} gives {written0} but {where} gives "
                      f"{written}; skipped",
                      "make the file name, front matter and heading agree")
            return None
    return date


def _team(
    rel: str,
    front: dict[str, tuple[str, int]],
    first: _Heading | None,
    fallback: str,
    spec: MinutesFolder,
    diags: Diagnostics,
) -> str | None:
    """The meeting's team by the folder's `team_from` rule, else `fallback` (else a diagnostic)."""
    team = ""
    if spec.team_from is TeamFrom.HEADING:
        heading = _clean(first.title) if first else ""
        team = next((r.team for r in spec.rules if r.pattern.search(heading)), "")
    elif spec.team_from is TeamFrom.FIELD:
        team = front.get(spec.field, ("", 0))[0]
    if team or fallback:
        return team or fallback
    if spec.team_from is TeamFrom.HEADING:
        why = f"no rule of [[minutes.folders]] path = {spec.path!r} matches the first heading"
        hint = "add a rule for this heading, or a fallback `team` to the folder"
    elif spec.team_from is TeamFrom.FIELD:
        why = f"the front matter has no `{spec.field}` field"
        hint = f"add `{spec.field}: <team>` to the front matter, or a fallback `team` to the folder"
    else:
        why = f"the file is directly in `{spec.path}`, not in a team's sub-folder"
        hint = f"move it to `{spec.path}/<team>/`"
    diags.add(Span(rel, first.line if first else 1), "minutes-no-team",
              f"the team of these minutes is unknown: {why}; skipped", hint)
    return None


def _front_matter(text: str) -> dict[str, tuple[str, int]]:
    """Top-level ``key: value`` pairs of YAML-style front matter, with their 1-based lines."""
    out: dict[str, tuple[str, int]] = {}
    for i, line in enumerate(text.split("\n"), 2):  # line 1 is the opening `---`
        if not line or line[0] in " \t-#":
            continue
        key, sep, value = line.partition(":")
        if sep:
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            out.setdefault(key.strip().lower(), (value, i))
    return out


def _headings(body: str, line0: int) -> list[_Heading]:
    """ATX headings outside code fences, found by one regex scan of the body."""
    out: list[_Heading] = []
    fence = ""
    index, pos = 0, 0
    text = "\n" + body  # so that every line, the first included, follows a newline
    for m in _BLOCK_RE.finditer(text):
        index += text.count("\n", pos, m.start())
        pos = m.start()
        marker = m.group(3)
        if fence:
            if marker and marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            continue
        if marker:
            fence = marker
        else:
            out.append(_Heading(len(m.group(1)), _heading_text(m.group(2) or ""), line0 + index + 1,
                                index))
    return out


def _heading_text(raw: str) -> str:
    """`Title ##` → `Title`: the optional closing run of `#` (after a space) is not text."""
    text = raw.strip(" \t")
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare.rstrip(" \t")
    return text.strip()


def _is_meta(title: str) -> bool:
    return _META_RE.match(title) is not None


def _header_end(headings: list[_Heading], n: int) -> int:
    """Index of the first line of the first real section (a level-1/2 heading not about roles)."""
    for h in headings[1:]:
        if h.level <= 2 and not _is_meta(h.title):
            return h.index
    return n


def _labels(lines: list[str], end: int, line0: int) -> Iterator[tuple[int, str, str]]:
    """``(line, label, value)`` of the ``Label: value`` lines in lines[:end]."""
    for i in range(end):
        line = lines[i]
        if ":" not in line or line.lstrip().startswith("#"):
            continue
        m = _LABEL_RE.match(line)
        if m:
            yield line0 + i + 1, " ".join(m.group(1).lower().split()), m.group(2)


def _attendees(
    lines: list[str],
    headings: list[_Heading],
    labels: list[tuple[int, str, str]],
    header_end: int,
    line0: int,
) -> tuple[tuple[str, ...], int, int | None]:
    """(names, line of the first attendee declaration or 0, line of a paragraph or None)."""
    names: dict[str, str] = {}
    declared = 0
    paragraph: int | None = None
    for line, label, value in labels:
        if label in _ATTENDEE_TITLES:
            declared = declared or line
            if not value.strip():
                # `Attendees:` on its own line, the names as a list below it
                for text in lines[line - line0 :]:
                    m = _LIST_RE.match(text)
                    if not m:
                        break
                    _add_names(names, (m.group(1) or "").strip())
                continue
            if _is_prose(value):
                paragraph = paragraph if paragraph is not None else line
            else:
                _add_names(names, value)
    for k, h in enumerate(headings):
        if not _ATTENDEES_RE.match(h.title):
            continue
        declared = declared or h.line
        stop = headings[k + 1].index if k + 1 < len(headings) else len(lines)
        in_item = False
        for i in range(h.index + 1, stop):
            text = lines[i]
            if not text.strip():
                in_item = False
                continue
            m = _LIST_RE.match(text)
            if m:
                in_item = True
                item = (m.group(1) or "").strip()
                lm = _LABEL_RE.match(item) if ":" in item else None
                if lm:
                    label = " ".join(lm.group(1).lower().split())
                    if label not in _ABSENT_LABELS:
                        _add_names(names, lm.group(2))
                else:
                    _add_names(names, item)
            elif in_item and text[:1] in " \t":
                continue  # continuation of a list item
            elif paragraph is None:
                paragraph = line0 + i + 1
    return tuple(names.values()), declared, paragraph


def _is_prose(value: str) -> bool:
    """A sentence rather than a list of names: an item of 5+ words, or of 3+ ending in `.`."""
    items = [v.split() for v in _NAME_SPLIT_RE.split(_PARENS_RE.sub("", value)) if v]
    return any(len(w) > 4 or (len(w) > 2 and w[-1].endswith((".", "!"))) for w in items)


def _add_names(names: dict[str, str], value: str) -> None:
    value = _PARENS_RE.sub("", _LINK_RE.sub(r"\1", value))
    if fold(value.strip()) in _PLACEHOLDERS:
        return
    for part in _NAME_SPLIT_RE.split(value):
        name = _clean(part).lstrip("@").strip(" .")
        if name and fold(name) not in _PLACEHOLDERS:
            names.setdefault(fold(name), name)


def _clean(text: str) -> str:
    """Markdown links, emphasis and code marks removed, white space collapsed."""
    if "[" in text:
        text = _LINK_RE.sub(r"\1", text)
    if "*" in text or "_" in text or "`" in text:
        text = _MARKUP_RE.sub("", text)
    return " ".join(text.split())


def fold(text: str) -> str:
    """`text` case-folded, white space collapsed: how two meeting titles are compared."""
    return " ".join(text.casefold().split())
