"""What the site takes from mdBook's `book.toml` (`[output.html]`), so it can stand in for the
published mdBook site: redirect pages for old URLs, the "edit this page" link, and which
navigation sections start folded.

book.toml comes from the repository, so it is untrusted: a redirect may only name a page of the
site (`/2026/reference.html`) and lead to a relative URL or an http(s) one; anything else is
reported and left out.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from ..fsutil import inside
from .html import LinkProblem
from .urls import safe_relative

BOOK = "book.toml"
_SAFE_TARGET = re.compile(r"^https?://", re.I)


@dataclass(frozen=True, slots=True)
class Redirect:
    url: str  # the old page, site-root relative (`2026/reference.html`)
    target: str  # as written in book.toml, relative to the old page or http(s)


@dataclass(frozen=True, slots=True)
class BookSettings:
    redirects: tuple[Redirect, ...] = ()
    #: `edit-url-template` with `{path}` (the document's path under the source folder)
    edit_url_template: str = ""
    git_repository_url: str = ""
    fold_enable: bool = False
    fold_level: int = 0
    problems: tuple[LinkProblem, ...] = field(default_factory=tuple)


def read_book(root: Path) -> BookSettings:
    """The settings of `root/book.toml` (defaults when there is none or it cannot be read; the
    config loader reports a broken book.toml)."""
    path = root / BOOK
    if not path.is_file() or not inside(path, root):
        return BookSettings()
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return BookSettings()
    out = _table(_table(data, "output"), "html")
    problems: list[LinkProblem] = []
    redirects: list[Redirect] = []
    for old, new in _table(out, "redirect").items():
        url = old.strip().lstrip("/")
        parts = url.split("/")
        if (not isinstance(new, str) or not url or any(p in ("", ".", "..") for p in parts)
                or "\\" in url or not url.endswith(".html")):
            problems.append(LinkProblem(BOOK, 0, old, "a redirect must be an `.html` page of "
                                        "the site (`/2026/old.html` = \"new.html\"); skipped"))
            continue
        new = new.strip()
        if urlsplit(new).scheme and not _SAFE_TARGET.match(new):
            problems.append(LinkProblem(BOOK, 0, new, "a redirect leads to a relative URL or "
                                        "an http(s) one; skipped"))
            continue
        redirects.append(Redirect(url, new))
    template = _string(out, "edit-url-template")
    repo = _string(out, "git-repository-url")
    fold = _table(out, "fold")
    level = fold.get("level", 0)
    return BookSettings(
        redirects=tuple(redirects),
        edit_url_template=template if _SAFE_TARGET.match(template) else "",
        git_repository_url=repo if _SAFE_TARGET.match(repo) else "",
        fold_enable=fold.get("enable") is True,
        fold_level=level if isinstance(level, int) and not isinstance(level, bool) else 0,
        problems=tuple(problems),
    )


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    return value if isinstance(value, dict) else {}


def _string(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def redirect_href(r: Redirect, site_urls: frozenset[str]) -> tuple[str, str]:
    """(href from the old page, problem) for a redirect. The target is read as a browser
    reads it, relative to the old page; when nothing is there but the site has the target
    from its root (`/about/x.html` = "about/y.html" written from the root), that page is used.
    """
    if _SAFE_TARGET.match(r.target):
        return r.target, ""
    path, hash_, fragment = r.target.partition("#")
    folder = posixpath.dirname(r.url)
    if path.startswith("/"):
        target = posixpath.normpath(path.lstrip("/"))
    else:
        target = posixpath.normpath(posixpath.join(folder, path)) if path else r.url
    suffix = f"#{fragment}" if hash_ else ""
    if target not in site_urls and path and not path.startswith("/"):
        from_root = posixpath.normpath(path)
        if from_root in site_urls:
            target = from_root
    problem = "" if target in site_urls else f"redirect target `{target}` is not a page of the site"
    rel = posixpath.relpath(target, folder or ".") if not target.startswith("..") else target
    return safe_relative(quote(rel, safe="/-._~!$&'()*+,;=:@%") + suffix), problem


def redirect_page(href: str, title: str) -> str:
    """A page that sends the reader to `href`, keeping the fragment they came with: a script
    for the fragment, a meta refresh and a canonical link without script, and a visible link."""
    attr = html.escape(href, quote=True)
    js = json.dumps(href).replace("<", "\\u003c").replace(">", "\\u003e")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Redirecting… · {html.escape(title)}</title>
<script>
(function () {{
  var u = new URL({js}, window.location.href);
  if (window.location.hash) u.hash = window.location.hash;
  window.location.replace(u.href);
}})();
</script>
<meta http-equiv="refresh" content="0; URL={attr}">
<link rel="canonical" href="{attr}">
<meta name="robots" content="noindex">
</head>
<body>
<p>This page has moved to <a href="{attr}">{html.escape(href)}</a>.</p>
</body>
</html>
"""
