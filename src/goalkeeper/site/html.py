"""Markdown to safe HTML: pulldown-cmark (`render_md`) for the structure, nh3 for sanitizing.

Goal documents are written by anyone who opens a pull request, so raw HTML in them is allowed
through markdown and then cleaned by nh3 (the Rust `ammonia` sanitizer): no script, no event
handler, no `javascript:` (or other non-web) URL survives. While rendering, links between
documents are rewritten from `.md` paths to the site's relative `.html` URLs (broken ones are
reported and left without a target), `@user` mentions of known people link to their profile,
`[team]` references link to the team's page, and the reference badges (`![Team][]`,
`![Help wanted][]` ...) become text badges instead of images from a badge service.
"""

from __future__ import annotations

import contextvars
import html
import posixpath
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import unquote

import nh3

from ..anchors import USER_CONTENT
from ..model import Person
from . import render_md
from .urls import relative

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
render_md.BADGE_PREFIX = "#gk-badge-"
_ISSUE_REF = re.compile(r"\[([-_.A-Za-z0-9]+)/([-_.A-Za-z0-9]+)#([0-9]+)\]")
# `[x]` and `![x]` with no bracket in x: every one a text holds (matches cannot overlap)
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
_BANG_BRACKETED = re.compile(r"!\[([^\[\]]*)\]")

#: Reference badges used by goal documents, by lowercased label: (css class, text).
BADGES: dict[str, tuple[str, str]] = {
    "team": ("team", "Team ask"),
    "help wanted": ("help", "Help wanted"),
    "heap wanted": ("help", "Help wanted"),  # a typo in real documents
    "complete": ("complete", "Complete"),
    "tbd": ("tbd", "TBD"),
}

_BADGE_TEXT = dict(BADGES.values())

_TAGS = nh3.ALLOWED_TAGS | {"progress", "input", "section"}
_ATTRIBUTES: dict[str, set[str]] = {
    **{k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"title", "lang"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
    "a": {"href", "hreflang", "class", "id"},
    "img": {"alt", "src", "width", "height", "title"},
    "span": {"class"},
    "sup": {"class"},
    "div": {"class", "id"},
    "code": {"class"},
    "pre": {"class"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "scope", "style"},
    "progress": {"value", "max"},
    "input": {"type", "checked", "disabled"},
    "ol": {"start", "type"},
    "details": {"open"},
}


# The marker of the heading ids goalkeeper made in the fragment being sanitized: a random
# value per render, so a document cannot write an id that passes for one.
_OWN_IDS: contextvars.ContextVar[str] = contextvars.ContextVar("goalkeeper_own_ids", default="")


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute not in ("id", "name"):
        return value
    mark = _OWN_IDS.get()
    if mark and value.startswith(mark):
        return value[len(mark):]  # a heading id goalkeeper made
    return USER_CONTENT + value


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        tag_attribute_values=None,
        link_rel="noopener noreferrer",
    )


def sanitize(fragment: str, own_ids: str = "") -> str:
    """Remove everything active from an HTML fragment: scripts, event handlers, styles beyond
    text alignment, and URLs other than http(s), mailto and relative ones. Ids from the
    fragment are prefixed with `user-content-` (so `<a id="MiniSearch">` cannot clobber a
    script's global), except those starting with `own_ids`, which lose that marker."""
    token = _OWN_IDS.set(own_ids)
    try:
        return str(_cleaner().clean(fragment))
    finally:
        _OWN_IDS.reset(token)


@lru_cache(maxsize=8192)
def inline_html(text: str) -> str:
    """A one-line markdown text (a title) as sanitized inline HTML: `code`, *emphasis*, links."""
    return sanitize(render_md.render_inline(text))


@lru_cache(maxsize=8192)
def inline_text(text: str) -> str:
    """A one-line markdown text as plain text (for `<title>` and the like)."""
    return plain_text(inline_html(text))


def plain_text(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed (for the search index)."""
    return " ".join(html.unescape(re.sub(r"<[^<>]*>", " ", fragment)).split())


@dataclass(frozen=True, slots=True)
class LinkProblem:
    """A link in a page that points at nothing the site holds."""

    path: str  # the document, relative to the program root
    line: int  # 1-based, 0 when unknown
    target: str  # the link as written
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: link `{self.target}`: {self.message}"


@dataclass(frozen=True, slots=True)
class Linker:
    """Resolves links written in documents to site URLs.

    `documents` maps every document and asset path (relative to the program root) to its site
    URL; `urls` is every URL the site holds (documents, assets and generated pages).
    """

    source: str  # the source folder, relative to the program root ("src")
    documents: Mapping[str, str]
    urls: frozenset[str]
    milestone_pattern: str = r"^\d{4}(h[12])?$"
    #: Files of the repository outside the site (e.g. `../rust-project-goals.toml`) are linked
    #: on the forge: `repo_url` + `/blob/HEAD/` + path, when `root` holds them.
    repo_url: str = ""
    root: Path | None = None
    #: the first folders of the documents' site paths, once asked for (see `missing`)
    _folders: list[frozenset[str]] = field(default_factory=list, init=False, compare=False,
                                           repr=False)

    def resolve(self, page_path: str, page_url: str, href: str) -> tuple[str | None, str]:
        """(new href, "") for a good link, (None, reason) for one that points at nothing."""
        if not href or href.startswith(("#", "//")) or _SCHEME.match(href):
            return href, ""
        path, hash_, fragment = href.partition("#")
        path, _, query = path.partition("?")
        suffix = (f"?{query}" if query else "") + (f"#{fragment}" if hash_ else "")
        path = unquote(path)
        src = self.source.strip("/")
        src = "" if src in ("", ".") else src
        if path.startswith("/"):
            target = posixpath.normpath(posixpath.join(src, path.lstrip("/")))
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path))
        if target.startswith("../") or target == "..":
            return None, "points outside the repository"
        url = self._url_of(target, path.endswith("/"))
        if (url is None and self.repo_url and self.root is not None and not target.endswith(".md")
                and (self.root / target).is_file()):  # a repository file the site does not publish
            return f"{self.repo_url}/blob/HEAD/{target}{suffix}", ""
        if url is None:
            return None, self.missing(target)
        return relative(page_url, url) + suffix, ""

    def missing(self, target: str) -> str:
        """Why `target` (a root-relative path) is not in the site."""
        rel = self._site_rel(target)
        first = rel.split("/", 1)[0]
        if "/" in rel and re.match(self.milestone_pattern, first):
            if not self._folders:
                self._folders.append(frozenset(self._site_rel(p).split("/", 1)[0]
                                               for p in self.documents))
            if first not in self._folders[0]:
                return f"milestone `{first}` is not in this repository (`{target}`)"
        return f"no page `{target}` in this repository"

    def _site_rel(self, target: str) -> str:
        """A root-relative path made relative to the source folder (the site's root)."""
        src = self.source.strip("/")
        if src in ("", "."):
            return target
        return target[len(src) + 1:] if target.startswith(src + "/") else target

    def _url_of(self, target: str, folder: bool) -> str | None:
        candidates = [f"{target}/README.md", f"{target}/index.md"] if folder else [target]
        if not folder and not posixpath.splitext(target)[1]:
            candidates += [f"{target}/README.md", f"{target}/index.md", f"{target}.md"]
        for c in candidates:
            if c in self.documents:
                return self.documents[c]
        # a link to an `.html` URL of the site (as the published book writes them)
        rel = self._site_rel(target)
        if rel in self.urls:
            return rel
        if folder:
            idx = posixpath.join(rel, "index.html")
            return idx if idx in self.urls else None
        return None


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    problems: tuple[LinkProblem, ...] = ()
    headings: tuple[tuple[int, str, str], ...] = ()  # (level, text, id)


class MarkdownRenderer:
    """Renders the documents of one program: knows its people, teams and page URLs."""

    def __init__(
        self,
        *,
        linker: Linker | None = None,
        people: Mapping[str, Person] | None = None,
        teams: Mapping[str, str] | None = None,
        team_link: Callable[[str, str], str] | None = None,
    ) -> None:
        """`teams` maps team names to the site URL of their page; `team_link(page_url, url)`
        makes the relative link (default: :func:`~goalkeeper.site.urls.relative`)."""
        self.linker = linker
        self.people = people or {}
        self.teams = teams or {}
        self._team_link = team_link or relative

    def render(
        self, text: str, page_path: str = "", page_url: str = "index.html", *, origin: str = ""
    ) -> Rendered:
        """Sanitized HTML for `text`, the markdown of the document at `page_path` (relative to
        the program root) that the site shows at `page_url`. `origin` is the document as
        written (before directives were expanded), to give link problems their line."""
        mark = f"gk{secrets.token_hex(8)}-"  # marks the heading ids goalkeeper makes
        linker = self.linker

        resolved: dict[str, tuple[str | None, str]] = {}  # (a table links one goal many times)

        def resolve(href: str) -> tuple[str | None, str]:
            assert linker is not None
            hit = resolved.get(href)
            if hit is None:
                hit = resolved[href] = linker.resolve(page_path, page_url, href)
            return hit

        body, page = render_md.render(
            text + self._definitions(text, page_url), resolve=resolve if linker else None,
            people=self.people, badges=_BADGE_TEXT, mark=mark)
        problems = tuple(
            LinkProblem(page_path, _line_of(origin or text, href), href, message)
            for href, message in dict.fromkeys(page.problems)
        )
        return Rendered(sanitize(body, mark), problems, tuple(page.headings))

    def _definitions(self, text: str, page_url: str) -> str:
        """Reference definitions for `[team]` links, `[owner/repo#N]` issue links and badges
        the text uses (the document's own definitions win: they come first)."""
        defs: list[str] = []
        low = text.lower()
        for m in dict.fromkeys(_ISSUE_REF.findall(text)):
            defs.append(f"[{m[0]}/{m[1]}#{m[2]}]: https://github.com/{m[0]}/{m[1]}/issues/{m[2]}")
        # what `f"[{name}]" in low` tells, from one pass over the text, not one per team
        bracketed = set(_BRACKETED.findall(low)) if "[" in low else set()
        for name, url in self.teams.items():
            key = name.lower()
            if key in bracketed if "[" not in key and "]" not in key else f"[{key}]" in low:
                defs.append(f"[{name}]: {self._team_link(page_url, url)}")
        badged = set(_BANG_BRACKETED.findall(low)) if "![" in low else set()
        for label, (css, _) in BADGES.items():
            if label in badged:  # (no label has a bracket)
                defs.append(f"[{label}]: {render_md.BADGE_PREFIX}{css}")
        return "\n\n" + "\n".join(defs) + "\n" if defs else ""


def _line_of(text: str, href: str) -> int:
    if not href:
        return 0
    for n, line in enumerate(text.split("\n"), start=1):
        if href in line:
            return n
    return 0
