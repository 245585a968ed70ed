"""The program manager's published updates (``[report] posts``): when each one went out.

A folder of blog posts in the shape of the Rust blog's (Zola front matter between ``+++``
lines, or YAML between ``---``), one file per update. A post's date is its front matter's
``date``, else the date in its ``path`` (``inside-rust/2026/02/11/...``), else the one in its
file name; the month it covers is read from its title ("... — January 2026", "... — End of
2025" is December). Files without a date are left out, never fatal.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

_PATH_DATE = re.compile(r"(?<!\d)(\d{4})/(\d{2})/(\d{2})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_FIELD = re.compile(r'^[ \t]*(path|date|title)[ \t]*[=:][ \t]*"?([^"\n]*)"?[ \t]*$', re.M)
_MONTHS = {m.lower(): i for i, m in enumerate(cal.month_name) if m}
_TITLE_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
_TITLE_END = re.compile(r"\bend of (\d{4})\b", re.I)


@dataclass(frozen=True, slots=True)
class Post:
    date: dt.date  # when it was published
    month: str  # YYYY-MM it reports on, "" when the title does not say
    title: str
    path: str  # the file
    url_path: str = ""  # the front matter's `path` (where the post is published), "" if none


def _front_matter(head: str) -> dict[str, str]:
    """`path`, `date` and `title` of a post's front matter (TOML between `+++` lines, else
    `key: value` / `key = "value"` lines)."""
    if head.startswith("+++"):
        end = head.find("\n+++", 3)
        if end > 0:
            try:
                data = tomllib.loads(head[3:end])
            except tomllib.TOMLDecodeError:
                data = {}
            got: dict[str, str] = {k: str(data[k]) for k in ("path", "date", "title") if k in data}
            if got:
                return got
    fields: dict[str, str] = {}
    for k, v in _FIELD.findall(head):
        fields.setdefault(k, v.strip())
    return fields


def _date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def read_posts(folder: Path) -> list[Post]:
    """Every dated post in `folder` (not recursive), oldest first."""
    out: list[Post] = []
    try:
        files = sorted(folder.glob("*.md"))
    except OSError:
        return []
    for f in files:
        try:
            head = f.read_bytes()[:4096].decode("utf-8", errors="replace")
        except OSError:
            continue
        fields = _front_matter(head)
        date = None
        for text, rx in ((fields.get("date", ""), _ISO_DATE), (fields.get("path", ""), _PATH_DATE),
                         (f.name, _ISO_DATE)):
            m = rx.search(text)
            date = _date(*m.groups()) if m else None
            if date:
                break
        if date is None:
            continue
        title = fields.get("title", "")
        month = ""
        tm = _TITLE_MONTH.search(title)
        if tm:
            month = f"{int(tm[2]):04d}-{_MONTHS[tm[1].lower()]:02d}"
        elif (te := _TITLE_END.search(title)):
            month = f"{int(te[1]):04d}-12"
        out.append(Post(date, month, title, str(f), fields.get("path", "").strip("/")))
    out.sort(key=lambda p: (p.date, p.path))
    return out


def update_window(posts: list[Post], month: str, today: dt.date, start: dt.date, end: dt.date
                  ) -> tuple[dt.date, dt.date]:
    """[since, until) for the update on `month`: since the previous update's date (the latest
    post on an earlier month), until this month's own post's date when it is published, else
    today (at least the month's end). Without posts: the calendar month [start, end)."""
    own = [p for p in posts if p.month == month]
    until = own[0].date if own else max(today, end)
    earlier = [p for p in posts if p.date < until and (p.month or "0000-00") < month]
    if not posts:
        return start, end
    since = earlier[-1].date if earlier else start
    return since, until
