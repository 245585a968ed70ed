"""Roadmap documents (`roadmap-*.md`): the metadata table → :class:`~goalkeeper.model.Roadmap`."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..model import Roadmap
from .markdown import Document
from .metadata import (
    Located,
    doc_sections,
    loc_span,
    metadata_table,
    read_metadata,
    read_title,
)


def parse_roadmap(doc: Document, loc: Located, diags: Diagnostics) -> Roadmap | None:
    table, where = metadata_table(doc)
    if table is None:
        return None
    title, title_line = read_title(doc, loc, diags, table, where)
    meta = read_metadata(table, loc, diags, roadmap=True)
    for key, label in (("what and why", "What and why"), ("point of contact", "Point of contact")):
        if meta.first(key) is None:
            diags.add(
                loc_span(loc, table.line),
                "missing-roadmap-field",
                f"roadmap metadata table has no `{label}` row",
                f"add `| {label} | ... |` to the metadata table",
            )
    short = meta.value("short title") or title
    return Roadmap(
        milestone=loc.milestone,
        slug=loc.slug.removeprefix("roadmap-"),
        path=loc.path,
        title=title,
        short_title=short,
        what_and_why=meta.value("what and why"),
        point_of_contact=meta.value("point of contact"),
        application_areas=tuple(meta.values("application area")),
        metadata=tuple(meta.rows),
        sections=doc_sections(doc, loc),
        span=loc_span(loc, title_line),
    )
