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
    """Writes one document's events. The state of the walk (in an image, a heading, a code
    block, a link, a table) lives in `run`'s own variables: it is read for every event."""

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
        self.footnotes: dict[str, int] = {}

    def run(self, events: Iterator[Any]) -> None:
        out = self.out
        append = out.append
        inline = self.inline
        opening, closing = (_OPEN_INLINE, _CLOSE_INLINE) if inline else (_OPEN, _CLOSE)
        mentions = bool(self.people)
        image: list[str] | None = None  # an image's description, collected as text
        image_tag: dict[str, Any] = {}
        heading: list[str] | None = None  # a heading's text, collected
        heading_at, level, given = 0, 0, ""  # its opening tag's index in `out`, level, id
        link_depth = 0
        code_block = False
        alignments: tuple[str, ...] = ()  # of the table's columns
        in_head = False
        cell = 0
        cells: tuple[str, ...] = ("<td>",)  # the row's opening cell tags (the last: any more)
        for ev in events:
            if type(ev) is not dict:
                if ev == "SoftBreak":
                    if image is not None:
                        image.append("\n")
                        continue
                    if heading is not None:
                        heading.append("\n")
                    append("\n")
                elif ev == "HardBreak":
                    if heading is not None:
                        heading.append("\n")
                    append("<br />\n" if image is None else "")
                elif ev == "Rule":
                    append("<hr />\n")
                continue
            kind, = ev  # (an event is a dict of one item: its key is read, not its items)
            value = ev[kind]
            if kind == "Text":
                if image is not None:
                    image.append(value)
                    continue
                if heading is not None:
                    heading.append(value)
                if "@" in value and mentions and not code_block and not link_depth:
                    append(self._mentions(value))
                elif "&" in value or "<" in value or ">" in value or '"' in value:
                    append(escape(value))
                else:
                    append(value)
            elif kind == "Start":
                name: str
                arg: Any
                if type(value) is str:
                    if image is not None:
                        continue
                    if value == "TableCell":
                        append(cells[cell] if cell < len(cells) else cells[-1])
                        continue
                    tag = opening.get(value)
                    if tag is not None:
                        append(tag)
                        continue
                    if value == "TableRow":
                        cell = 0
                        append("<tr>")
                        continue
                    name, arg = value, None
                else:
                    name, = value
                    arg = value[name]
                    if image is not None:
                        if name == "Image":  # an image in an image's description: its text only
                            image.append("")
                        continue
                if name == "Link":
                    link_depth += 1
                    if not inline:  # (a title's link shows as its text)
                        self._link(arg)
                elif name == "Heading":
                    heading, heading_at = [], len(out)
                    level, given = int(arg["level"][1:]), arg.get("id") or ""
                    append("")  # the opening tag, once the text (and so the id) is known
                elif name == "Image":
                    image, image_tag = [], arg
                elif name == "CodeBlock":
                    code_block = True
                    lang = ""
                    if type(arg) is dict and "Fenced" in arg:
                        lang = arg["Fenced"].split()[0] if arg["Fenced"].split() else ""
                    append(f'<pre><code class="language-{escape(lang)}">' if lang else "<pre><code>")
                elif name == "List":
                    append(f'<ol start="{arg}">\n' if arg not in (None, 1) else
                           "<ol>\n" if arg == 1 else "<ul>\n")
                elif name == "BlockQuote":
                    append("<blockquote>\n")
                elif name == "Table":
                    alignments = tuple(arg)
                    cells = _cells("th" if in_head else "td", alignments)
                    append("<table>")
                elif name == "TableHead":
                    in_head, cell = True, 0
                    cells = _cells("th", alignments)
                    append("<thead><tr>")
                elif name == "FootnoteDefinition":
                    n = self.footnotes.setdefault(arg, len(self.footnotes) + 1)
                    ident = escape(quote(arg, safe=_HREF_SAFE))
                    append(f'<div class="footnote-definition" id="{self.mark}footnote-{ident}">'
                           f'<sup class="footnote-definition-label">{n}</sup>')
                # (HtmlBlock writes nothing; nor does a title's Paragraph)
            elif kind == "End":
                if type(value) is str:
                    name = value
                else:
                    name, = value
                if image is not None:
                    if name == "Image":
                        self._image(image, image_tag)
                        image = None
                    continue
                if name == "TableCell":
                    append("</th>" if in_head else "</td>")
                    cell += 1
                    continue
                tag = closing.get(name)
                if tag is not None:
                    append(tag)
                elif name == "Link":
                    link_depth = max(0, link_depth - 1)
                    if not inline:
                        append("</a>")
                elif name == "Heading":
                    assert heading is not None
                    self._heading(heading, heading_at, level, given)
                    heading = None
                elif name == "CodeBlock":
                    code_block = False
                    append("</code></pre>\n")
                elif name == "List":
                    append("</ol>\n" if value["List"] else "</ul>\n")
                elif name == "BlockQuote":
                    append("</blockquote>\n")
                elif name == "Table":
                    append("</tbody></table>\n")
                elif name == "TableHead":
                    in_head = False
                    cells = _cells("td", alignments)
                    append("</tr></thead><tbody>\n")
                elif name == "FootnoteDefinition":
                    append("</div>\n")
            elif kind == "Code":
                if image is not None:
                    image.append(value)
                else:
                    if heading is not None:
                        heading.append(value)
                    append(f"<code>{escape(value)}</code>")
            elif kind in ("Html", "InlineHtml"):
                if image is None:
                    append(escape(value) if inline else value)
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
            parts.append(_person_link(person.login, person.name))
            pos = m.end()
        parts.append(escape(value[pos:]))
        return "".join(parts)

    def _heading(self, parts: list[str], index: int, level: int, given: str) -> None:
        """A heading's tags, now that its text is known (the opening one at `index`)."""
        text = "".join(parts).strip()
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

    def _image(self, parts: list[str], value: dict[str, Any]) -> None:
        """An image, at its end: `parts` are its description's text."""
        alt = "".join(parts)
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


@lru_cache(maxsize=4096)  # (a person is mentioned in many documents)
def _person_link(login: str, name: str) -> str:
    title = f' title="@{escape(login)}"' if name else ""
    return (f'<a href="https://github.com/{escape_href(login)}" class="user"{title}>'
            f'{escape(name or "@" + login)}</a>')


def _cells(tag: str, alignments: tuple[str, ...]) -> tuple[str, ...]:
    """A table row's opening cell tags, by column (the last for any beyond)."""
    return (*(f"<{tag}{_ALIGN.get(a, '')}>" for a in alignments), f"<{tag}>")
