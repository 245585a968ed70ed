"""A cell's markdown for where it is shown: readable text in a terminal, markdown in a document.

Goal documents write table cells and list items in markdown: `[text](url)` links,
`[lang][]` / `[text][label]` reference links, `[compiler]` shortcut references to teams,
`![Help wanted][]` badges, `` `code` ``, emphasis and the odd `<br>`. A terminal view must not
lose the bracketed text (rich reads `[lang]` as a style tag) nor print markup; a document must
keep the markdown, with only its unsafe parts neutralised. :func:`inline` does both, so every
view and document converts cells the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from .tables import safe_url

Target = Literal["text", "markdown"]

# The patterns are compiled when first used (`re` keeps them), not at import: a view whose
# cells are plain words needs none of them, and compiling them all cost every view 2.4 ms.
# Each is written in its `re.compile` call, where tests/regex_audit.py finds it.


def _code_re() -> re.Pattern[str]:  # whole runs: linear
    return re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)


def _img_inline_re() -> re.Pattern[str]:
    return re.compile(r"!\[([^\[\]\n]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\s*\)")


def _img_ref_re() -> re.Pattern[str]:
    return re.compile(r"!\[([^\[\]\n]*)\](?:\[([^\[\]\n]*)\])?")


def _link_inline_re() -> re.Pattern[str]:
    return re.compile(
        r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?"
        r"(?:\s+\"[^\"]*\")?\s*\)"
    )


def _link_ref_re() -> re.Pattern[str]:
    return re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])+)\]\[([^\[\]\n]*)\]")


def _link_shortcut_re() -> re.Pattern[str]:
    return re.compile(r"(?<![\\\]])\[([^\[\]\n]+)\](?![\[(:])")


def _autolink_re() -> re.Pattern[str]:
    return re.compile(r"<((?:https?|mailto):[^<>\s]+)>")


def _br_re() -> re.Pattern[str]:
    return re.compile(r"<br\s*/?>", re.I)


def _tag_re() -> re.Pattern[str]:
    return re.compile(
        r"</?(?:a|abbr|b|code|del|details|div|em|i|img|kbd|p|s|small|span|strong|sub|summary|sup|u)"
        r"(?:\s[^<>]*)?/?>",
        re.I,
    )


def _strong_re() -> re.Pattern[str]:
    return re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


def _em_re() -> re.Pattern[str]:
    return re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")


def _escape_re() -> re.Pattern[str]:
    return re.compile(r"\\([!-/:-@\[-`{-~])")


def _charref_re() -> re.Pattern[str]:  # html._charref
    return re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


_CHECKBOX = {"[ ]", "[x]", "[X]"}
_MARKED_RE = re.compile(r"[`<\[*_\\&]")  # a character every conversion to text starts from


def inline(
    text: str,
    to: Target = "text",
    *,
    urls: bool = True,
    refs: Mapping[str, str] | None = None,
) -> str:
    """`text` (one cell's markdown; newlines are folded) converted for its output.

    to="text": readable plain text for a terminal or a CSV cell. Link text is kept; the URL of an
    inline link follows in parentheses when `urls` (dropped when not, when it is not
    http(s)/mailto, or when it only repeats the text); reference links `[x][]`, `[x][y]`,
    shortcut references `[team]` and badges `![Help wanted][]` keep their text; code keeps its
    backticks; emphasis marks, escapes and HTML tags go (`<br>` becomes a space, entities are
    decoded).

    to="markdown": the same markdown for a document that renders it: links and code are kept as
    written; a link to an unsafe scheme (`javascript:`) keeps only its text; raw HTML is escaped
    so a hostile cell cannot inject tags. Reference links resolve through `refs` (lowercased
    label → URL) into inline links; without a definition they keep their text, since the
    document will not carry the definition.
    """
    if to == "text" and not _MARKED_RE.search(text):
        return " ".join(text.split())  # no code, link, tag, mark, escape or entity to convert
    folded = " ".join(text.split())
    parts = _code_re().split(folded) if "`" in folded else [folded]
    # re.split with two groups: [text, fence, code, text, fence, code, ..., text]
    out: list[str] = []
    for i in range(0, len(parts), 3):
        out.append(_convert(parts[i], to, urls, refs))
        if i + 2 < len(parts):
            fence, code = parts[i + 1], parts[i + 2]
            out.append(f"{fence}{_escape(code) if to == 'markdown' else code}{fence}")
    joined = "".join(out)
    return " ".join(joined.split()) if to == "text" else joined.strip()


def _convert(s: str, to: Target, urls: bool, refs: Mapping[str, str] | None) -> str:
    if not s:
        return s
    if to == "markdown":
        return _markdown(s, refs)
    # each step is skipped when the text lacks the character its pattern starts from
    if "<" in s:
        s = _br_re().sub(" ", s)
        s = _autolink_re().sub(lambda m: m[1], s)
        s = _tag_re().sub("", s)
    if "[" in s:
        s = _links(s, urls)
    s = _strip_marks(s)
    if "\\" in s:
        s = _escape_re().sub(lambda m: m[1], s)
    if "&" not in s or not _charref_re().search(s):  # nothing html.unescape would decode (and
        return s  # its import, with every HTML5 entity, is 2 ms)
    from html import unescape

    return unescape(s)


def _links(s: str, urls: bool) -> str:
    """Images, links and references as their text (and an inline link's URL when `urls`)."""
    s = _img_inline_re().sub(lambda m: m[1], s)
    s = _img_ref_re().sub(lambda m: m[1], s)

    def link(m: re.Match[str]) -> str:
        label, url = m[1], m[2]
        shown = _strip_marks(label)
        if not urls or not safe_url(url) or url in (label, shown):
            return label
        return f"{label} ({url})"

    s = _link_inline_re().sub(link, s)
    s = _link_ref_re().sub(lambda m: m[1], s)
    return _link_shortcut_re().sub(lambda m: m[0] if m[0] in _CHECKBOX else m[1], s)


def _escape(s: str) -> str:
    """html.escape(s, quote=False)."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _strip_marks(s: str) -> str:
    if "*" not in s and "_" not in s:
        return s
    for _ in range(3):  # nested emphasis: ***x***, **_x_**
        s2 = _em_re().sub(lambda m: m[2], _strong_re().sub(lambda m: m[2], s))
        if s2 == s:
            break
        s = s2
    return s


def _lone_bracket_re() -> re.Pattern[str]:
    return re.compile(r"\\.|[\[\]]", re.DOTALL)


def _markdown(s: str, refs: Mapping[str, str] | None) -> str:
    s = _br_re().sub(" ", s)

    def inline_link(m: re.Match[str]) -> str:
        url = m[2]
        if url.startswith("#") or safe_url(url):
            return m[0]
        return m[1]

    def ref_link(m: re.Match[str]) -> str:
        target = _resolve(refs, m[2] or m[1])
        return f"[{m[1]}]({target})" if target else m[1]

    def img_ref(m: re.Match[str]) -> str:
        target = _resolve(refs, m[2] or m[1])
        return f"![{m[1]}]({target})" if target else m[1]

    def shortcut(m: re.Match[str]) -> str:
        if m[0] in _CHECKBOX:
            return m[0]
        target = _resolve(refs, m[1])
        return f"[{m[1]}]({target})" if target else m[1]

    held: list[str] = []

    def hold(text: str) -> str:
        held.append(text)
        return f"\x00{len(held) - 1}\x00"

    s = _autolink_re().sub(lambda m: hold(m[0]), s)
    # Raw HTML is escaped (autolinks are held above): a hostile cell cannot inject tags.
    s = _escape(s)
    s = _img_inline_re().sub(lambda m: hold(m[0] if safe_url(m[2]) else m[1]), s)
    s = _img_ref_re().sub(lambda m: hold(img_ref(m)), s)
    s = _link_inline_re().sub(lambda m: hold(inline_link(m)), s)
    s = _link_ref_re().sub(lambda m: hold(ref_link(m)), s)
    s = _link_shortcut_re().sub(lambda m: hold(shortcut(m)), s)
    # brackets left over are text: escaped, so they cannot pair with a neighbour into a link
    s = _lone_bracket_re().sub(lambda m: m[0] if len(m[0]) == 2 else "\\" + m[0], s)
    return re.sub(r"\x00(\d+)\x00", lambda m: held[int(m[1])], s)


def _resolve(refs: Mapping[str, str] | None, label: str) -> str:
    if not refs:
        return ""
    url = refs.get(" ".join(label.split()).lower(), "")
    return url if safe_url(url) else ""
