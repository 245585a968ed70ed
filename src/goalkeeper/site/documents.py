"""The pages made from documents: which document becomes which URL, the markdown that is
rendered for it (metadata rows the goal omits, directives expanded) and its search entry."""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import inside
from ..model import USER_RE, Goal, Page, Program, Roadmap
from ..render.directives import expand, listing
from . import urls
from .html import inline_text, plain_text
from .search import SearchDoc

MAX_SEARCH_TEXT = 20_000  # characters of a page's text in the search index


def read_document(root: Path, path: str) -> str | None:
    """A document's text with newlines normalized, or None when it cannot be read (the loader
    has reported why)."""
    if not (_plain_path(root, path) or inside(root / path, root)):
        return None  # a symlink out of the repository (`check` reports symlink-outside)
    try:
        text = (root / path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plain_path(root: Path, path: str) -> bool:
    """Whether `path` (relative to `root`) goes down folders that are no symlinks to a file
    that is none: then it lies under `root`, wherever `root` itself is. This is the common
    case, and cheaper to tell than :func:`~goalkeeper.fsutil.inside`, which resolves every
    folder of both paths; False sends a path there."""
    if os.sep != "/" or not path or path.startswith("/"):
        return False
    where = os.fspath(root)
    for part in path.split("/"):
        if part in ("", ".", ".."):
            return False
        where = os.path.join(where, part)
        try:
            if stat.S_ISLNK(os.lstat(where).st_mode):
                return False
        except OSError:
            return False
    return True


class Texts:
    """Documents' texts for a builder kept across builds (the preview): a file is read again
    only when its modification time, size or inode changed (as the preview's watcher tells a
    change)."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[int, int, int, int], str | None]] = {}

    def read(self, root: Path, path: str) -> str | None:
        """As :func:`read_document`."""
        try:
            st = os.stat(root / path)
        except OSError:
            self._known.pop(path, None)
            return None
        key = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
        hit = self._known.get(path)
        if hit is not None and hit[0] == key:
            return hit[1]
        text = read_document(root, path)
        self._known[path] = (key, text)
        return text


@dataclass(slots=True)
class Doc:
    """A document of the program as a page of the site."""

    path: str  # relative to the program root
    url: str
    title: str
    kind: str  # goal, roadmap, page
    milestone: str = ""
    goal: Goal | None = None
    roadmap: Roadmap | None = None
    page: Page | None = None


def list_documents(program: Program) -> list[Doc]:
    src = program.config.source
    out: list[Doc] = []
    for m in program.milestones:
        for g in m.goals:
            out.append(Doc(g.path, urls.goal_url(g, src), g.title, "goal", m.name, goal=g))
        for r in m.roadmaps:
            out.append(Doc(r.path, urls.roadmap_url(r, src), r.title, "roadmap", m.name, roadmap=r))
        for p in m.pages:
            out.append(Doc(p.path, urls.page_url(urls.source_rel(p.path, src)), p.title, "page",
                            m.name, page=p))
    for p in program.pages:
        if posixpath.basename(p.path) == "SUMMARY.md":
            continue
        out.append(Doc(p.path, urls.page_url(urls.source_rel(p.path, src)), p.title, "page", page=p))
    out.sort(key=lambda d: d.url)
    return out


def prepare(program: Program, d: Doc, text: str) -> str:
    """The markdown that is rendered: injected metadata rows, then directives expanded."""
    if d.goal is not None:
        g = d.goal
        rows = []
        keys = {r.key.strip().lower() for r in g.metadata}
        if "teams" not in keys:
            teams = ", ".join(f"[{t}][]" for t in g.teams) or "(none)"
            rows.append(f"| Teams | {teams} |")
        if "task owners" not in keys:
            rows.append(f"| Task owners | {_cell(', '.join(g.task_owners)) or '(none)'} |")
        text = _insert_rows(text, g.metadata[-1].span.line if g.metadata else 0, rows)
    elif d.roadmap is not None:
        r = d.roadmap
        m = program.milestone(r.milestone)
        m = listing(m) if m else None  # (what directives see: see render.directives)
        owners: dict[str, None] = {}
        for g in m.roadmap_goals(r) if m else ():
            if not g.rejected:
                owners.update(dict.fromkeys(g.task_owners))
        if "task owners" not in {row.key.strip().lower() for row in r.metadata}:
            row = f"| Task owners | {_cell(', '.join(owners)) or '(none)'} |"
            text = _insert_rows(text, r.metadata[-1].span.line if r.metadata else 0, [row])
    if d.milestone:
        text = expand(program, d.path, text)
    return text


def reads_listing(d: Doc, text: str) -> bool:
    """Whether :func:`prepare`'s markdown for `d` (whose text is `text`) depends on its
    milestone's listing (:func:`goalkeeper.render.directives.listing`), besides its own text,
    goal or roadmap and the configuration: a roadmap's does (its goals' task owners), and so
    does a milestone document's with a directive, as written, as a legacy HTML comment, or in
    the rows injected into a goal's metadata."""
    if d.roadmap is not None:
        return True
    if not d.milestone:
        return False  # (not expanded)
    marks = ("(((", "<!--")
    if any(m in text for m in marks):
        return True
    g = d.goal
    return g is not None and any(m in v for v in (*g.teams, *g.task_owners) for m in marks)


def search_doc(program: Program, d: Doc, title: str, html: str) -> SearchDoc:
    people: list[str] = []
    teams: list[str] = []
    summary = ""
    if d.goal is not None:
        g = d.goal
        logins = [*g.points_of_contact, *(u for c in g.champions for u in c.logins),
                  *(u for o in g.task_owners for u in USER_RE.findall(o))]
        people = people_terms(program, logins)
        teams = team_terms(program, [*g.teams, *(c.team for c in g.champions)])
        summary = g.what_and_why or g.summary
    elif d.roadmap is not None:
        people = people_terms(program, USER_RE.findall(d.roadmap.point_of_contact))
        summary = d.roadmap.what_and_why
    text = plain_text(html)
    return SearchDoc(
        url=d.url,
        title=inline_text(title),
        kind=d.kind,
        milestone=d.milestone,
        summary=_shorten(inline_text(summary) if summary else text, 160),  # text, not markdown
        people=" ".join(people),
        teams=" ".join(teams),
        text=text[:MAX_SEARCH_TEXT],
    )


def _insert_rows(text: str, after_line: int, rows: list[str]) -> str:
    """Insert table rows after the 1-based line `after_line` (nothing when it is 0)."""
    if not rows or after_line <= 0:
        return text
    lines = text.split("\n")
    if after_line > len(lines):
        return text
    return "\n".join([*lines[:after_line], *rows, *lines[after_line:]])


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def people_terms(program: Program, logins: Iterable[str]) -> list[str]:
    out: dict[str, None] = {}
    for login in logins:
        person = program.person(login)
        out[f"@{person.login}"] = None
        if person.name:
            out[person.name] = None
    return list(out)


def team_terms(program: Program, names: Iterable[str]) -> list[str]:
    out: dict[str, None] = {}
    for n in names:
        out[n] = None
        team = program.teams.get(n)
        if team and team.display_name:
            out[team.display_name] = None
    return list(out)
