"""The book as one page (`print.html`, as mdBook has), and previous/next links between pages.

Each chapter's HTML was rendered for its own URL, so in the print page its relative links are
re-rooted, links to other chapters become links to their section of the print page, and its
ids get the chapter's prefix (the same heading may appear in many chapters).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from functools import lru_cache

from .urls import safe_relative

_ATTR = re.compile(r'(\s(?:href|src|id)=")([^"]*)(")')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


@lru_cache(maxsize=8192)
def chapter_id(url: str) -> str:
    """The id of a chapter's section in the print page."""
    return "chapter-" + re.sub(r"[^A-Za-z0-9]+", "-", url.removesuffix(".html")).strip("-").lower()


def print_chapter(url: str, body: str, chapters: frozenset[str]) -> str:
    """The HTML of the chapter at `url` as it sits in print.html (at the site's root)."""
    prefix = chapter_id(url) + "--"
    folder = posixpath.dirname(url)

    made: dict[str, str] = {}  # (a chapter links the same pages again and again)

    def fix(m: re.Match[str]) -> str:
        attr, value = m[1], m[2]
        if attr[1] == "i":  # (attr: a whitespace character, the name, `="`)
            return f"{attr}{prefix}{value}{m[3]}"
        hit = made.get(m[0])
        if hit is None:
            hit = made[m[0]] = link(m)
        return hit

    def link(m: re.Match[str]) -> str:
        attr, value = m[1], m[2]
        if not value or _SCHEME.match(value):
            return m[0]
        path, hash_, fragment = value.partition("#")
        if not path:
            return f"{attr}#{prefix}{fragment}{m[3]}"
        target = _target(folder, path.split("?", 1)[0])
        if target in chapters and attr[1] == "h":
            anchor = f"{chapter_id(target)}--{fragment}" if hash_ else chapter_id(target)
            return f"{attr}#{anchor}{m[3]}"
        if target.startswith(".."):
            return m[0]
        return f"{attr}{safe_relative(target + (f'#{fragment}' if hash_ else ''))}{m[3]}"

    return _ATTR.sub(fix, body)


@lru_cache(maxsize=8192)
def _target(folder: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(folder, path))


Link = tuple[str, str]  # (url, title)


def pager(order: Sequence[Link], url: str) -> tuple[Link | None, Link | None]:
    """The (url, title) before and after `url` in the reading order (None at either end)."""
    for i, (u, _) in enumerate(order):
        if u == url:
            return (order[i - 1] if i > 0 else None, order[i + 1] if i + 1 < len(order) else None)
    return None, None
