"""The site's navigation: from the repository's `SUMMARY.md` (mdBook's format) when there is one,
else from the milestones.

As in the reference tool, a page holding `(((GOAL CHAPTERS)))` or `(((ROADMAP CHAPTERS)))` gets
the milestone's goals or roadmaps as its children. Entries that point at documents absent from
the repository (older milestones left out of a copy) are kept as plain text and reported.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import Milestone, Page, Program
from ..sources import legacy
from ..sources.documents import is_known_directive
from .html import Linker, LinkProblem

_PART = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(\s*)[-*+]\s+\[(.*)\]\((.*)\)\s*$")
_PREFIX = re.compile(r"^\[(.*)\]\((.*)\)\s*$")


@dataclass(slots=True)
class NavItem:
    title: str
    url: str | None  # site URL; None for a draft chapter or a missing document
    children: list[NavItem] = field(default_factory=list)
    part: bool = False  # a part title (`# Heading` in SUMMARY.md), not a link
    missing: str = ""  # why the entry has no page

    def walk(self) -> list[NavItem]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out


def _clean_title(text: str) -> str:
    """Titles stay markdown (the templates render them inline); only whitespace is trimmed."""
    return " ".join(text.split())


def from_summary(
    text: str,
    summary_path: str,
    linker: Linker,
    program: Program,
    problems: list[LinkProblem],
) -> list[NavItem]:
    """Parse SUMMARY.md; `linker` knows the documents (root-relative path -> site URL)."""
    documents = linker.documents
    base = posixpath.dirname(summary_path)
    items: list[NavItem] = []
    stack: list[tuple[int, NavItem]] = []  # (indent, item) of the open list items
    in_fence = False
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or not line.strip():
            continue
        m = _PART.match(line)
        if m:
            if m[1].strip().lower() != "summary":
                items.append(NavItem(_clean_title(m[1]), None, part=True))
            stack.clear()
            continue
        m = _ITEM.match(line)
        if m:
            indent = len(m[1].expandtabs(4))
            item = _entry(m[2], m[3], base, n, summary_path, linker, problems)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            (stack[-1][1].children if stack else items).append(item)
            stack.append((indent, item))
            continue
        m = _PREFIX.match(line.strip())
        if m:
            items.append(_entry(m[1], m[2], base, n, summary_path, linker, problems))
            stack.clear()
    _add_chapters(items, program, documents)
    return items


def _entry(
    title: str,
    link: str,
    base: str,
    line: int,
    summary_path: str,
    linker: Linker,
    problems: list[LinkProblem],
) -> NavItem:
    link = link.strip().strip("<>")
    if not link:
        return NavItem(_clean_title(title), None)  # a draft chapter
    target = posixpath.normpath(posixpath.join(base, link.split("#", 1)[0]))
    url = linker.documents.get(target)
    if url is None:
        msg = linker.missing(target)
        problems.append(LinkProblem(summary_path, line, link, msg))
        return NavItem(_clean_title(title), None, missing=msg)
    return NavItem(_clean_title(title), url)


def _add_chapters(items: list[NavItem], program: Program, documents: Mapping[str, str]) -> None:
    """Children for pages holding `(((GOAL CHAPTERS)))` / `(((ROADMAP CHAPTERS)))`."""
    by_url = {u: p for p, u in documents.items()}
    listed = {i.url for top in items for i in top.walk() if i.url}
    pages = {p.path: (m, p) for m in program.milestones for p in m.pages}
    for top in items:
        for item in top.walk():
            hit = pages.get(by_url.get(item.url or "", ""))
            if hit is None:
                continue
            milestone, page = hit
            kinds = {d.strip().upper() for d, _ in page.directives}
            if posixpath.basename(page.path) != "README.md":
                _add_listed_goals(item, milestone, page, documents, listed)
            if "GOAL CHAPTERS" in kinds and posixpath.basename(page.path) != "README.md":
                for g in sorted(milestone.goals, key=lambda g: (g.title.lower(), g.slug)):
                    url = documents.get(g.path)
                    if not g.rejected and url and url not in listed:
                        item.children.append(NavItem(g.title, url))
                        listed.add(url)
            if "ROADMAP CHAPTERS" in kinds:
                for r in sorted(milestone.roadmaps, key=lambda r: (r.title.lower(), r.slug)):
                    url = documents.get(r.path)
                    if url and url not in listed:
                        item.children.append(NavItem(r.title, url))
                        listed.add(url)


def _add_listed_goals(item: NavItem, milestone: Milestone, page: Page,
                      documents: Mapping[str, str], listed: set[str]) -> None:
    """Before August 2025 a goal list written as an HTML comment (`<!-- GOALS 'Accepted' -->`)
    also made its goals chapters of the page holding it."""
    for marker, _line in page.directives:
        keep = legacy.chapter_filter(marker, is_known_directive) if "<!--" in marker else None
        if keep is None:
            continue
        for g in sorted((g for g in milestone.goals if keep(g)), key=lambda g: (g.title, g.path)):
            url = documents.get(g.path)
            if url and url not in listed:
                item.children.append(NavItem(g.title, url))
                listed.add(url)


def from_milestones(program: Program, documents: Mapping[str, str], home: str) -> list[NavItem]:
    """Navigation for a repository without SUMMARY.md: newest milestone first."""
    items = [NavItem(program.config.project_name or "Home", home)]
    for m in reversed(program.milestones):
        items.append(NavItem(m.name, None, part=True))
        items.extend(_milestone_items(m, documents))
    others = sorted(
        (p for p in program.pages if documents.get(p.path) and posixpath.basename(p.path) != "SUMMARY.md"),
        key=lambda p: p.path,
    )
    if others:
        items.append(NavItem("Pages", None, part=True))
        items.extend(NavItem(p.title or posixpath.basename(p.path), documents[p.path]) for p in others)
    return items


def _milestone_items(m: Milestone, documents: Mapping[str, str]) -> list[NavItem]:
    out: list[NavItem] = []
    readme = next((p for p in m.pages if posixpath.basename(p.path) == "README.md"), None)
    out.append(NavItem("Overview", documents.get(readme.path) if readme else f"{m.name}/index.html"))
    for p in sorted(m.pages, key=lambda p: (p.title.lower(), p.path)):
        if p is not readme and documents.get(p.path):
            out.append(NavItem(p.title or posixpath.basename(p.path), documents[p.path]))
    if m.roadmaps:
        out.append(NavItem("Roadmaps", None, [
            NavItem(r.title, documents[r.path])
            for r in sorted(m.roadmaps, key=lambda r: (r.title.lower(), r.slug))
            if r.path in documents
        ]))
    live = [g for g in m.goals if not g.rejected and g.path in documents]
    out.append(NavItem("Goals", None, [
        NavItem(g.title, documents[g.path]) for g in sorted(live, key=lambda g: (g.title.lower(), g.slug))
    ]))
    return out


def nav_script(html: str, fold: bool, level: int) -> str:
    """`nav.js`: the navigation's HTML (links from the site's root) and book.toml's
    `[output.html.fold]` (when `fold`, sections deeper than `level` start folded)."""
    data = json.dumps({"html": html, "fold": fold, "level": level}, ensure_ascii=False)
    return "window.goalkeeperNav=" + data.replace("<", "\\u003c") + ";\n"
