"""Markdown to safe HTML: markdown-it-py for the structure, nh3 for sanitizing.

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
from typing import Any
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..anchors import USER_CONTENT, HeadingIds
from ..model import Person
from .urls import relative

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_MENTION = re.compile(r"(?<![\w.@/`-])@([A-Za-z0-9][-_A-Za-z0-9]*)")
_BADGE_PREFIX = "#gk-badge-"
_ISSUE_REF = re.compile(r"\[([-_.A-Za-z0-9]+)/([-_.A-Za-z0-9]+)#([0-9]+)\]")

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
    "div": {"class"},
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
    return sanitize(_inline_markdown().renderInline(text))


@lru_cache(maxsize=8192)
def inline_text(text: str) -> str:
    """A one-line markdown text as plain text (for `<title>` and the like)."""
    return plain_text(inline_html(text))


@cache
def _inline_markdown() -> MarkdownIt:
    # titles sit inside links and headings: no links, images or raw HTML of their own
    return MarkdownIt("commonmark", {"html": False}).enable(["strikethrough"]).disable(
        ["link", "image", "autolink"]
    )


def plain_text(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed (for the search index)."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


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
            folders = {self._site_rel(p).split("/", 1)[0] for p in self.documents}
            if first not in folders:
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


@dataclass(slots=True)
class _Env:
    page_path: str
    page_url: str
    linker: Linker | None
    people: Mapping[str, Person]
    problems: list[tuple[str, str]] = field(default_factory=list)
    headings: list[tuple[int, str, str]] = field(default_factory=list)
    #: marks the heading ids goalkeeper makes until the sanitizer has seen them
    mark: str = field(default_factory=lambda: f"gk{secrets.token_hex(8)}-")


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.core.ruler.push("goalkeeper", _core_rule)
    md.add_render_rule("image", _render_image)
    return md


def _core_rule(state: Any) -> None:
    env = state.env.get("goalkeeper")
    if not isinstance(env, _Env):
        return
    ids = HeadingIds()
    tokens: list[Token] = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and i + 1 < len(tokens):
            text = _inline_text(tokens[i + 1])
            ident = ids.add(text)  # spelled as mdBook spells it
            tok.attrSet("id", env.mark + ident)
            env.headings.append((int(tok.tag[1:]), text.strip(), ident))
        elif tok.type == "inline" and tok.children:
            tok.children = _rewrite_inline(tok.children, env)


def _inline_text(tok: Token) -> str:
    """A heading's text as mdBook reads it for its id: text and code, line breaks as spaces;
    raw HTML and image descriptions left out."""
    out: list[str] = []
    for c in tok.children or ():
        if c.type in ("text", "code_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out).strip()


def _rewrite_inline(children: list[Token], env: _Env) -> list[Token]:
    out: list[Token] = []
    depth = 0  # inside a link: mentions are not linked again
    for c in children:
        if c.type == "link_open":
            depth += 1
            href = str(c.attrGet("href") or "")
            if env.linker is not None:
                new, problem = env.linker.resolve(env.page_path, env.page_url, href)
                if new is None:
                    env.problems.append((href, problem))
                    c.attrs.pop("href", None)
                    c.attrSet("class", "broken-link")
                    c.attrSet("title", f"not in this repository: {href}")
                else:
                    c.attrSet("href", new)
        elif c.type == "link_close":
            depth = max(0, depth - 1)
        elif c.type == "image" and env.linker is not None:
            src = str(c.attrGet("src") or "")
            if not src.startswith(_BADGE_PREFIX):
                new, problem = env.linker.resolve(env.page_path, env.page_url, src)
                if new is None:
                    env.problems.append((src, problem))
                else:
                    c.attrSet("src", new)
        elif c.type == "text" and depth == 0 and "@" in c.content and env.people:
            out.extend(_mentions(c, env.people))
            continue
        out.append(c)
    return out


def _mentions(tok: Token, people: Mapping[str, Person]) -> list[Token]:
    text = tok.content
    out: list[Token] = []
    pos = 0
    for m in _MENTION.finditer(text):
        person = people.get(m[1].lower())
        if person is None:
            continue  # unknown users are left alone (e.g. `foo.@bar` syntax in prose)
        if m.start() > pos:
            out.append(_text(text[pos : m.start()]))
        link = Token("link_open", "a", 1)
        link.attrSet("href", f"https://github.com/{person.login}")
        link.attrSet("class", "user")
        if person.name:
            link.attrSet("title", f"@{person.login}")
        out.extend([link, _text(person.name or f"@{person.login}"), Token("link_close", "a", -1)])
        pos = m.end()
    if pos == 0:
        return [tok]
    if pos < len(text):
        out.append(_text(text[pos:]))
    return out


def _text(content: str) -> Token:
    t = Token("text", "", 0)
    t.content = content
    return t


def _render_image(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    tok = tokens[idx]
    src = str(tok.attrGet("src") or "")
    if src.startswith(_BADGE_PREFIX):
        css = src[len(_BADGE_PREFIX):]
        label = _BADGE_TEXT.get(css, css)
        return f'<span class="badge badge-{css}">{html.escape(label)}</span>'
    return self.image(tokens, idx, options, env)


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
        env = _Env(page_path, page_url, self.linker, self.people)
        body = _markdown().render(text + self._definitions(text, page_url), {"goalkeeper": env})
        problems = tuple(
            LinkProblem(page_path, _line_of(origin or text, href), href, message)
            for href, message in dict.fromkeys(env.problems)
        )
        return Rendered(sanitize(body, env.mark), problems, tuple(env.headings))

    def _definitions(self, text: str, page_url: str) -> str:
        """Reference definitions for `[team]` links, `[owner/repo#N]` issue links and badges
        the text uses (the document's own definitions win: they come first)."""
        defs: list[str] = []
        low = text.lower()
        for m in dict.fromkeys(_ISSUE_REF.findall(text)):
            defs.append(f"[{m[0]}/{m[1]}#{m[2]}]: https://github.com/{m[0]}/{m[1]}/issues/{m[2]}")
        for name, url in self.teams.items():
            if f"[{name.lower()}]" in low:
                defs.append(f"[{name}]: {self._team_link(page_url, url)}")
        for label, (css, _) in BADGES.items():
            if f"![{label}]" in low:
                defs.append(f"[{label}]: {_BADGE_PREFIX}{css}")
        return "\n\n" + "\n".join(defs) + "\n" if defs else ""


def _line_of(text: str, href: str) -> int:
    if not href:
        return 0
    for n, line in enumerate(text.split("\n"), start=1):
        if href in line:
            return n
    return 0
