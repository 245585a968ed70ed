"""Where every page of the site lives, and relative links between pages.

The URLs are those of the published goals site (an mdBook), so links from years of blog posts
and issues keep working: a document `src/<path>.md` becomes `<path>.html`, a folder's README
becomes its `index.html`, so each goal is at `<milestone>/<slug>.html` and each roadmap at
`<milestone>/roadmap-<slug>.html`. Links are always relative, so the site works from `file://`.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import quote, urlsplit

from ..model import Goal, Roadmap

#: Pages goalkeeper generates (not from a document). Documents never shadow them silently:
#: the build reports a collision and keeps the document.
DASHBOARD = "dashboard.html"
SEARCH = "search.html"
TEAMS = "teams/index.html"
CHAMPIONS = "champions.html"
HIGHLIGHTS = "highlights.html"
AREAS = "areas.html"
NOT_ACCEPTED = "not-accepted.html"
NOT_FOUND = "404.html"
HOME = "index.html"
PRINT = "print.html"  # the whole book in one page
TOC = "toc.html"  # the navigation as a page, for readers without script
SEARCH_INDEX = "search-index.js"
NAV_SCRIPT = "nav.js"  # the navigation, once per site (site.js puts it in every page)
STATIC = "static"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def page_url(source_rel: str) -> str:
    """The URL of a document, given its path relative to the source folder (`2026/x.md`)."""
    stem, dot, ext = source_rel.rpartition(".")
    if not dot or ext.lower() != "md":
        return source_rel  # an asset keeps its path
    folder, _, name = stem.rpartition("/")
    if name.lower() == "readme":
        name = "index"
    return f"{folder}/{name}.html" if folder else f"{name}.html"


def source_rel(path: str, source: str) -> str:
    """A program-root-relative path (`src/2026/x.md`) made relative to the source folder."""
    prefix = source.strip("/") + "/" if source.strip("/") not in ("", ".") else ""
    return path[len(prefix):] if prefix and path.startswith(prefix) else path


def goal_url(goal: Goal, source: str = "src") -> str:
    return page_url(source_rel(goal.path, source))


def roadmap_url(roadmap: Roadmap, source: str = "src") -> str:
    return page_url(source_rel(roadmap.path, source))


def team_url(team: str) -> str:
    """`teams/<team>.html`; characters unsafe in a file name become `-`."""
    return f"teams/{_UNSAFE.sub('-', team).strip('-') or 'team'}.html"


def root_prefix(url: str) -> str:
    """The relative path from `url` back to the site root: "./" or "../" repeated.

    Never empty: a page's URL comes from a file name in the repository, and a file named
    `javascript:alert(1).md` must not become `href="javascript:alert(1).html"`."""
    return "../" * url.count("/") or "./"


def site_path(site_url: str) -> str:
    """The path of the site on its host (`https://x.github.io/goals/` -> `/goals/`), `/` when
    unknown: the 404 page, served at any depth, links from there."""
    path = urlsplit(site_url).path if site_url else ""
    path = "/" + "/".join(quote(p) for p in path.split("/") if p not in ("", ".", ".."))
    return path.rstrip("/") + "/"


def safe_relative(href: str) -> str:
    """`href` (a relative link) made unable to read as a URL scheme: `./` is put before it
    when its first path segment holds a colon (`javascript:x.html` -> `./javascript:x.html`)."""
    first = href.split("/", 1)[0]
    if ":" in first.split("#", 1)[0].split("?", 1)[0]:
        return "./" + href
    return href


def relative(from_url: str, to_url: str) -> str:
    """A relative link from the page at `from_url` to `to_url` (both site-root relative)."""
    target, hash_, fragment = to_url.partition("#")
    if not target:
        return f"#{fragment}" if hash_ else safe_relative(posixpath.basename(from_url))
    rel = _relpath(target, posixpath.dirname(from_url) or ".")
    return safe_relative(rel + (f"#{fragment}" if hash_ else ""))


@lru_cache(maxsize=65536)
def _relpath(target: str, start: str) -> str:
    # a site links the same few pages (teams, milestones) from every page: relpath normalizes
    # both paths each time, which showed up in profiles of a build
    return posixpath.relpath(target, start)
