"""Expansion of `(((DIRECTIVE)))` markers in milestone pages (work in progress)."""

from __future__ import annotations

from ..model import Program


def expand(program: Program, page_path: str, text: str, *, absolute_links: bool = False) -> str:
    """Return `text` (the markdown of the page at `page_path`, relative to the program root)
    with every directive replaced by generated markdown. Links to goals point at
    `<slug>.md` files (relative) or, with `absolute_links`, at the published site."""
    return text
