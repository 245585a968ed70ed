"""RSS/Atom feeds named in goalkeeper.toml, for the "Worth a look" links of the monthly report.

    [[report.feeds]]
    name = "Rust Project updates"
    url = "https://blog.rust-lang.org/inside-rust/feed.xml"   # or: path = "feeds/inside-rust.xml"

    [[report.feeds]]                 # a folder of blog posts (Zola front matter) is a feed too:
    name = "Rust Project updates"    # each post's title and date, linked at base_url + its `path`
    path = "../blog/content"
    base_url = "https://blog.rust-lang.org/"

Feeds are parsed with feedparser. A local `path` is read from disk; a `url` is fetched with the
timeout given, and a feed that cannot be read is reported, never fatal.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..constants import DEFAULT_MAX_FILE_BYTES
from ..errors import ConfigError


@dataclass(frozen=True, slots=True)
class FeedSpec:
    name: str
    url: str = ""
    path: str = ""
    base_url: str = ""  # for a folder of posts: where they are published


@dataclass(frozen=True, slots=True)
class FeedItem:
    feed: str
    title: str
    link: str
    published: dt.date


@dataclass(frozen=True, slots=True)
class FeedResult:
    items: tuple[FeedItem, ...]
    problems: tuple[str, ...]  # one sentence per feed that could not be read


def feed_specs(raw: dict[str, Any], where: str) -> list[FeedSpec]:
    report = raw.get("report", {})
    if not isinstance(report, dict):
        raise ConfigError(f"{where}: [report] must be a table")
    specs = []
    for i, f in enumerate(report.get("feeds", []) or []):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            raise ConfigError(f"{where}: [[report.feeds]] entry {i + 1} needs a name")
        url, path = f.get("url", ""), f.get("path", "")
        if not isinstance(url, str) or not isinstance(path, str) or bool(url) == bool(path):
            raise ConfigError(f"{where}: feed {f['name']!r} needs exactly one of url or path")
        base = f.get("base_url", "")
        if not isinstance(base, str):
            raise ConfigError(f"{where}: feed {f['name']!r}: base_url must be a string")
        specs.append(FeedSpec(f["name"], url, path, base))
    return specs


def read_feeds(
    specs: list[FeedSpec], root: Path, *, start: dt.date, end: dt.date, timeout: float = 10.0,
    offline: bool = False, max_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> FeedResult:
    """Entries published in [start, end) from every feed, in the order of the feeds, oldest
    first within each. Entries without a date cannot be placed: each feed that has some gets
    one problem saying how many were left out."""
    items: list[FeedItem] = []
    problems: list[str] = []
    for spec in specs:
        if spec.url and offline:
            problems.append(f"feed {spec.name!r} skipped: it is a URL and --offline was given")
            continue
        if spec.path and (root / spec.path).is_dir():
            items += _folder_items(spec, root / spec.path, start, end)
            continue
        if spec.path:
            p = root / spec.path
            try:
                if p.stat().st_size > max_bytes:
                    problems.append(_too_large(spec, p.stat().st_size, max_bytes))
                    continue
                data: bytes = p.read_bytes()
            except OSError as e:
                problems.append(f"feed {spec.name!r}: cannot read {p}: {e.strerror}")
                continue
            parsed = _parse(data)
        else:
            import httpx

            try:
                resp = httpx.get(spec.url, timeout=timeout, follow_redirects=True)
                resp.raise_for_status()
            except httpx.HTTPError as e:
                problems.append(f"feed {spec.name!r}: cannot fetch {spec.url}: {e}")
                continue
            if len(resp.content) > max_bytes:
                problems.append(_too_large(spec, len(resp.content), max_bytes))
                continue
            parsed = _parse(resp.content)
        if parsed is None or (parsed.get("bozo") and not parsed.get("entries")):
            problems.append(f"feed {spec.name!r} is not a valid RSS or Atom feed")
            continue
        mine = []
        undated = 0
        for entry in parsed.get("entries", []):
            with warnings.catch_warnings():  # feedparser's notice about its own fallback
                warnings.simplefilter("ignore", DeprecationWarning)
                when = entry.get("published_parsed") or entry.get("updated_parsed")
            title = _text(" ".join(str(entry.get("title", "")).split()))
            if not when:
                undated += 1
                continue
            try:
                day = dt.date(*when[:3])
            except (TypeError, ValueError):
                undated += 1
                continue
            if start <= day < end and (title or entry.get("link")):
                mine.append(FeedItem(spec.name, title, _text(str(entry.get("link", ""))), day))
        if undated:
            problems.append(f"feed {spec.name!r}: {undated} entr{'y has' if undated == 1 else 'ies have'} "
                            "no publication date and cannot be placed in the month; not listed")
        items += sorted(mine, key=lambda i: (i.published, i.title))
    return FeedResult(tuple(items), tuple(problems))


def _folder_items(spec: FeedSpec, folder: Path, start: dt.date, end: dt.date) -> list[FeedItem]:
    """The posts of a blog folder published in [start, end), oldest first (see posts.py)."""
    from .posts import read_posts

    base = spec.base_url.rstrip("/")
    out = []
    for post in read_posts(folder):
        if not start <= post.date < end:
            continue
        link = f"{base}/{post.url_path}/" if base and post.url_path else ""
        title = " ".join(post.title.split()) or Path(post.path).stem
        out.append(FeedItem(spec.name, title, link, post.date))
    return sorted(out, key=lambda i: (i.published, i.title))


def _too_large(spec: FeedSpec, size: int, limit: int) -> str:
    return (f"feed {spec.name!r} is {size:,} bytes, more than the {limit:,} allowed; not read "
            "(raise [program] max_file_bytes in goalkeeper.toml to read it)")


def _text(s: str) -> str:
    """Feed text as valid Unicode: a character reference to a lone surrogate (`&#xD800;`)
    becomes U+FFFD instead of failing when the report is written."""
    return s.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if not s.isascii() else s


_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _parse(data: bytes) -> Any:
    """feedparser's result, or None when the feed breaks the parser. Character references to
    what is not a character (`&#xD800;`, `&#0;`) become U+FFFD first: feedparser fails on them."""
    import feedparser

    def fix(m: re.Match[bytes]) -> bytes:
        value = int(m[1], 16) if m[1] else int(m[2])
        return b"&#xFFFD;" if value == 0 or 0xD800 <= value <= 0xDFFF or value > 0x10FFFF else m[0]

    try:
        return feedparser.parse(_CHARREF.sub(fix, data))
    except (ValueError, RecursionError):  # UnicodeError is a ValueError
        return None
