"""Markdown to (unsanitized) HTML with pulldown-cmark, the parser mdBook uses.

`pyromark` parses a document in native code into events; this module writes them out as HTML
the way pulldown-cmark's own writer does (so pages read like the published book), and on the
way gives the site what it needs: links and images resolved through a callback, `@user`
mentions of known people linked, reference badges turned into text badges, and heading ids
spelled as mdBook spells them. The caller sanitizes the result (see
:mod:`goalkeeper.site.html`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

import pyromark

from ..anchors import USER_CONTENT, HeadingIds
from ..model import Person
from ..sources.markdown import OPTIONS

BADGE_PREFIX = "#gk-badge-"
_MENTION = re.compile(r"(?<![\w.@/`-])@([A-Za-z0-9][-_A-Za-z0-9]*)")
_ALIGN = {"Left": ' style="text-align: left"', "Center": ' style="text-align: center"',
          "Right": ' style="text-align: right"'}
_HREF_SAFE = "!#$%&'()*+,-./:;=?@_~[]"
# the tags the simple start and end events write (a title's text has no paragraphs)
_OPEN_INLINE = {"Emphasis": "<em>", "Strong": "<strong>", "Strikethrough": "<del>", "Item": "<li>"}
_OPEN = {"Paragraph": "<p>", **_OPEN_INLINE}
_CLOSE_INLINE = {"Emphasis": "</em>", "Strong": "</strong>", "Strikethrough": "</del>",
                 "Item": "</li>\n", "TableRow": "</tr>\n"}
_CLOSE = {"Paragraph": "</p>\n", **_CLOSE_INLINE}

#: (new href or None when broken, reason) for a link or image target as written.
Resolve = Callable[[str], tuple[str | None, str]]


@cache
def _parser() -> pyromark.Markdown:
    return pyromark.Markdown(options=OPTIONS)


@cache
def _inline_parser() -> pyromark.Markdown:
    return pyromark.Markdown(options=pyromark.Options.ENABLE_STRIKETHROUGH)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@lru_cache(maxsize=8192)  # (a site links the same pages and people again and again)
def escape_href(href: str) -> str:
    """A URL as pulldown-cmark writes it in an attribute: unsafe characters percent-encoded."""
    return escape(quote(href, safe=_HREF_SAFE))


@dataclass(slots=True)
class Page:
    """What rendering one document gathered besides its HTML."""

    problems: list[tuple[str, str]] = field(default_factory=list)  # (target, reason)
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (level, text, id)


def render(
    text: str,
    *,
    resolve: Resolve | None = None,
    people: Mapping[str, Person] | None = None,
    badges: Mapping[str, str] | None = None,
    mark: str = "",
) -> tuple[str, Page]:
    """HTML for the markdown `text`. `resolve` rewrites link and image targets; `people` are
    linked where mentioned; `badges` maps a badge's css class to its text (images whose target
    is `#gk-badge-<class>`); heading ids start with `mark` (the sanitizer's sign that
    goalkeeper made them)."""
    page = Page()
    writer = _Writer(page, resolve, people or {}, badges or {}, mark)
    events: Iterator[Any] = _parser().events(text)
    writer.run(events)
    return "".join(writer.out), page


def render_inline(text: str) -> str:
    """A one-line text (a title) as inline HTML: code, emphasis, strikethrough; links, images
    and raw HTML are shown as their text."""
    writer = _Writer(Page(), None, {}, {}, "", inline=True)
    events: Iterator[Any] = _inline_parser().events(text)
    writer.run(events)
    return "".join(writer.out).strip()


class _Writer:
    def __init__(self, page: Page, resolve: Resolve | None, people: Mapping[str, Person],
                 badges: Mapping[str, str], mark: str, *, inline: bool = False) -> None:
        self.page = page
        self.resolve = resolve
        self.people = people
        self.badges = badges
        self.mark = mark
        self.inline = inline
        self.out: list[str] = []
        self.ids = HeadingIds()
        self.link_depth = 0
        self.code_block = False
        self.alignments: tuple[str, ...] = ()
        self.in_head = False
        self.cell = 0
        self.cells: tuple[str, ...] = ("<td>",)  # the row's opening cell tags (the last: any more)
        self.heading: tuple[int, int, str] | None = None  # (output index, level, given id)
        self.heading_text: list[str] = []
        self.image: list[str] | None = None  # an image's description, collected as text
        self._image: dict[str, Any] = {}
        self.footnotes: dict[str, int] = {}

    # ------------------------------------------------------------------ events

    def run(self, events: Iterator[Any]) -> None:
        # The common events (text, table cells, simple tags: most of a document's thousands)
        # are written here, without a call each; the others go through `start` and `end`.
        out = self.out
        append = out.append
        opening, closing = (_OPEN_INLINE, _CLOSE_INLINE) if self.inline else (_OPEN, _CLOSE)
        mentions = bool(self.people)
        for ev in events:
            if type(ev) is not dict:
                if ev == "SoftBreak":
                    if self.image is not None:
                        self.image.append("\n")
                        continue
                    if self.heading is not None:
                        self.heading_text.append("\n")
                    append("\n")
                elif ev == "HardBreak":
                    if self.heading is not None:
                        self.heading_text.append("\n")
                    append("<br />\n" if self.image is None else "")
                elif ev == "Rule":
                    append("<hr />\n")
                continue
            (kind, value), = ev.items()
            if kind == "Text":
                if self.image is not None:
                    self.image.append(value)
                    continue
                if self.heading is not None:
                    self.heading_text.append(value)
                if "@" in value and mentions and not self.code_block and self.link_depth == 0:
                    append(self._mentions(value))
                elif "&" in value or "<" in value or ">" in value or '"' in value:
                    append(escape(value))
                else:
                    append(value)
            elif kind == "Start":
                if type(value) is str and self.image is None:
                    if value == "TableCell":
                        cells, cell = self.cells, self.cell
                        append(cells[cell] if cell < len(cells) else cells[-1])
                        continue
                    tag = opening.get(value)
                    if tag is not None:
                        append(tag)
                        continue
                    if value == "TableRow":
                        self.cell = 0
                        append("<tr>")
                        continue
                self.start(value)
            elif kind == "End":
                if type(value) is str and self.image is None:
                    if value == "TableCell":
                        append("</th>" if self.in_head else "</td>")
                        self.cell += 1
                        continue
                    tag = closing.get(value)
                    if tag is not None:
                        append(tag)
                        continue
                self.end(value)
            elif kind == "Code":
                if self.image is not None:
                    self.image.append(value)
                else:
                    if self.heading is not None:
                        self.heading_text.append(value)
                    append(f"<code>{escape(value)}</code>")
            elif kind in ("Html", "InlineHtml"):
                if self.image is not None:
                    continue
                append(escape(value) if self.inline else value)
            elif kind == "FootnoteReference":
                n = self.footnotes.setdefault(value, len(self.footnotes) + 1)
                append(f'<sup class="footnote-reference"><a href="#footnote-'
                       f'{escape_href(value)}">{n}</a></sup>')
            elif kind == "TaskListMarker":
                append('<input disabled="" type="checkbox" checked=""/>\n' if value
                       else '<input disabled="" type="checkbox"/>\n')
            else:  # math and the like are not enabled: show the source text
                append(escape(str(value)))

    def _mentions(self, value: str) -> str:
        parts: list[str] = []
        pos = 0
        for m in _MENTION.finditer(value):
            person = self.people.get(m[1].lower())
            if person is None:
                continue  # unknown users are left alone (e.g. `foo.@bar` syntax in prose)
            parts.append(escape(value[pos:m.start()]))
            title = f' title="@{escape(person.login)}"' if person.name else ""
            parts.append(f'<a href="https://github.com/{escape_href(person.login)}" class="user"'
                         f'{title}>{escape(person.name or "@" + person.login)}</a>')
            pos = m.end()
        parts.append(escape(value[pos:]))
        return "".join(parts)

    def start(self, tag: Any) -> None:
        """A start event `run` does not write itself."""
        out = self.out
        name: str
        value: Any
        if type(tag) is str:
            name, value = tag, None
        else:
            (name, value), = tag.items()
        if self.image is not None:
            if name == "Image":  # an image in an image's description: its text only
                self.image.append("")
            return
        if name == "Link":
            self._link(value)
        elif name == "Heading":
            self.heading = (len(out), int(value["level"][1:]), value.get("id") or "")
            self.heading_text = []
            out.append("")  # the opening tag, once the text (and so the id) is known
        elif name == "Image":
            self._image_start(value)
        elif name == "CodeBlock":
            self.code_block = True
            lang = ""
            if type(value) is dict and "Fenced" in value:
                lang = value["Fenced"].split()[0] if value["Fenced"].split() else ""
            out.append(f'<pre><code class="language-{escape(lang)}">' if lang else "<pre><code>")
        elif name == "List":
            out.append(f'<ol start="{value}">\n' if value not in (None, 1) else
                       "<ol>\n" if value == 1 else "<ul>\n")
        elif name == "BlockQuote":
            out.append("<blockquote>\n")
        elif name == "Table":
            self.alignments = tuple(value)
            self.cells = self._cells("th" if self.in_head else "td")
            out.append("<table>")
        elif name == "TableHead":
            self.in_head, self.cell = True, 0
            self.cells = self._cells("th")
            out.append("<thead><tr>")
        elif name == "FootnoteDefinition":
            n = self.footnotes.setdefault(value, len(self.footnotes) + 1)
            ident = escape(quote(value, safe=_HREF_SAFE))
            out.append(f'<div class="footnote-definition" id="{self.mark}footnote-{ident}">'
                       f'<sup class="footnote-definition-label">{n}</sup>')
        # (HtmlBlock writes nothing; nor does a title's Paragraph)

    def end(self, tag: Any) -> None:
        """An end event `run` does not write itself."""
        out = self.out
        name = tag if type(tag) is str else next(iter(tag))
        if self.image is not None:
            if name == "Image":
                self._image_end()
            return
        if name == "Link":
            self.link_depth = max(0, self.link_depth - 1)
            if not self.inline:
                out.append("</a>")
        elif name == "Heading":
            self._heading_end()
        elif name == "CodeBlock":
            self.code_block = False
            out.append("</code></pre>\n")
        elif name == "List":
            out.append("</ol>\n" if tag["List"] else "</ul>\n")
        elif name == "BlockQuote":
            out.append("</blockquote>\n")
        elif name == "Table":
            out.append("</tbody></table>\n")
        elif name == "TableHead":
            self.in_head = False
            self.cells = self._cells("td")
            out.append("</tr></thead><tbody>\n")
        elif name == "FootnoteDefinition":
            out.append("</div>\n")

    # ------------------------------------------------------------------ pieces

    def _cells(self, tag: str) -> tuple[str, ...]:
        return (*(f"<{tag}{_ALIGN.get(a, '')}>" for a in self.alignments), f"<{tag}>")

    def _heading_end(self) -> None:
        assert self.heading is not None
        index, level, given = self.heading
        self.heading = None
        text = "".join(self.heading_text).strip()
        if given:  # `## Title {#custom}`: used as written, outside mdBook's numbering
            ident = given
            attr = (self.mark + given) if given == given.lower() else USER_CONTENT + given
        else:
            ident = self.ids.add(text)
            attr = self.mark + ident
        self.page.headings.append((level, text, ident))
        self.out[index] = f'<h{level} id="{escape(attr)}">'
        self.out.append(f"</h{level}>\n")

    def _link(self, value: dict[str, Any]) -> None:
        self.link_depth += 1
        if self.inline:
            return  # a title's link shows as its text
        href = str(value.get("dest_url", ""))
        if value.get("link_type") == "Email":
            href = "mailto:" + href
        title = str(value.get("title") or "")
        t = f' title="{escape(title)}"' if title else ""
        if self.resolve is not None:
            new, problem = self.resolve(href)
            if new is None:
                self.page.problems.append((href, problem))
                self.out.append(f'<a class="broken-link" title="not in this repository: '
                                f'{escape(href)}">')
                return
            href = new
        self.out.append(f'<a href="{escape_href(href)}"{t}>')

    def _image_start(self, value: dict[str, Any]) -> None:
        self.image = []
        self._image = value

    def _image_end(self) -> None:
        assert self.image is not None
        alt = "".join(self.image)
        self.image = None
        value = self._image
        src = str(value.get("dest_url", ""))
        if self.inline:
            self.out.append(escape(alt))
            return
        if src.startswith(BADGE_PREFIX):
            css = src[len(BADGE_PREFIX):]
            label = self.badges.get(css, css)
            self.out.append(f'<span class="badge badge-{escape(css)}">{escape(label)}</span>')
            return
        if self.resolve is not None:
            new, problem = self.resolve(src)
            if new is None:
                self.page.problems.append((src, problem))
            else:
                src = new
        title = str(value.get("title") or "")
        t = f' title="{escape(title)}"' if title else ""
        self.out.append(f'<img src="{escape_href(src)}" alt="{escape(alt)}"{t} />')
