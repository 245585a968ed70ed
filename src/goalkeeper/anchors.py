"""Heading ids spelled exactly as mdBook (0.5) spells them, so links into the published site
(`2026/goals.html#goals-by-team`, years of blog posts and issues) keep landing on their heading.

mdBook's rule, from the heading's text (the text of its links and code spans included, raw HTML
tags and image descriptions left out, line breaks read as spaces): lowercase the text, keep
letters, digits, `_` and `-`, turn each whitespace character into `-`, drop everything else.
Nothing is collapsed or trimmed: `Beyond the \\`&\\`` is `beyond-the-`. A repeated id gets
`-1`, `-2`, … (the first free one: a second `Dup` is `dup-1`, so a later `Dup-1` is `dup-1-1`).
Ids written by hand (`## Title {#custom}`) are used as they are and do not take part in the
numbering.

Ids from documents can never clobber a script's global (`window.MiniSearch`): every id this
module makes is lowercase, and ids written in a document's raw HTML are prefixed with
`user-content-` by the sanitizer (see :mod:`goalkeeper.site.html`).
"""

from __future__ import annotations

from functools import lru_cache

#: Prefix of ids and names that come from a document's raw HTML (as GitHub does).
USER_CONTENT = "user-content-"

# Combining marks that are not "Alphabetic" in Unicode (so mdBook drops them): the generic
# diacritics blocks and viramas. Other combining marks (Indic vowel signs) are letters to Rust.
_DIACRITICS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
               (0xFE20, 0xFE2F))


def _alphanumeric(ch: str) -> bool:
    """Rust's `char::is_alphanumeric` (the Alphabetic or Numeric property), closely."""
    if ch.isalnum():
        return True
    import unicodedata  # (only a heading's non-ASCII punctuation or mark comes here)

    cat = unicodedata.category(ch)
    if cat in ("Nl", "No"):
        return True
    if cat in ("Mn", "Mc"):
        if ch == "\u0345":  # COMBINING GREEK YPOGEGRAMMENI is Other_Alphabetic
            return True
        code = ord(ch)
        if any(lo <= code <= hi for lo, hi in _DIACRITICS):
            return False
        return unicodedata.combining(ch) != 9  # a virama is not a letter
    return False


# ASCII characters: kept (letters, digits, `_`, `-`), whitespace to `-`, the others dropped
_ASCII_ID = {i: ("-" if chr(i).isspace() else None) for i in range(128)
             if not (chr(i).isalnum() or chr(i) in "_-")}


@lru_cache(maxsize=4096)  # (every goal has its "Summary", "Motivation", "Team asks" ...)
def heading_id(text: str) -> str:
    """The id mdBook gives a heading whose text is `text` (before making it unique)."""
    if text.isascii():
        return text.strip().lower().translate(_ASCII_ID)
    out: list[str] = []
    for ch in text.strip().lower():
        if ch.isascii():
            if ch.isalnum() or ch in "_-":
                out.append(ch)
            elif ch.isspace():
                out.append("-")
        elif _alphanumeric(ch):
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    return "".join(out)


class HeadingIds:
    """Unique heading ids within one page, numbered as mdBook numbers them."""

    __slots__ = ("_counts", "_used")

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._counts: dict[str, int] = {}

    def add(self, text: str) -> str:
        """The id of the next heading whose text is `text`."""
        base = heading_id(text)
        n = self._counts.get(base, 0)
        ident = base if n == 0 else f"{base}-{n}"
        while ident in self._used:
            n += 1
            ident = f"{base}-{n}"
        self._counts[base] = n + 1
        self._used.add(ident)
        return ident
