"""Markdown and CSV tables from rows (shared by directives, reviews and CLI exports)."""

from __future__ import annotations

import io
from collections.abc import Sequence


def cell(text: str) -> str:
    """A value safe inside a markdown table cell: pipes escaped, newlines folded."""
    return " ".join(text.replace("|", "\\|").split())


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GFM table (cells are escaped) followed by a newline."""
    head = "| " + " | ".join(cell(h) for h in headers) + " |"
    sep = "| " + " | ".join(":--" for _ in headers) + " |"
    body = ["| " + " | ".join([cell(c) for c in r]) + " |" for r in rows]
    return "\n".join([head, sep, *body]) + "\n"


def md_table_raw(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GFM table whose cells are already markdown (links, badges); only newlines are folded."""
    head = "| " + " | ".join(headers) + " |"
    sep = "| " + " | ".join(":--" for _ in headers) + " |"
    body = ["| " + " | ".join([" ".join(c.split()) for c in r]) + " |" for r in rows]
    return "\n".join([head, sep, *body]) + "\n"


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue()


def md_text(text: str) -> str:
    """Untrusted text as inline markdown that renders as the same text: HTML is escaped (no
    tags survive a renderer that allows raw HTML), link brackets and emphasis are escaped."""
    import html
    import re

    escaped = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\\[\]`*_])", r"\\\1", escaped)


def safe_url(url: str) -> str:
    """The URL if it is http(s) or mailto, else "" (no `javascript:` and friends)."""
    u = url.strip()
    return u if u.lower().startswith(("https://", "http://", "mailto:")) and " " not in u else ""
