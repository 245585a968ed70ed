"""The page a directive is expanded in: its program, milestone and links (see
:mod:`.directives`), shared by the directive tables and the RFC renderer."""

from __future__ import annotations

import posixpath
from _thread import allocate_lock  # (threading itself is a millisecond to import)
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache

from ..constants import Format
from ..model import Goal, Milestone, Program, Roadmap
from ..records import Record, dataclass
from . import legacy_tables


@dataclass(frozen=True, repr=False, eq=False)
class Context(Record):
    program: Program
    milestone: Milestone | None
    page_path: str  # relative to the program root
    absolute_links: bool

    @property
    def page_dir(self) -> str:
        return posixpath.dirname(self.page_path)

    def href(self, path: str, anchor: str = "") -> str:
        """Link to a document (by its source path) from this page."""
        url = self._urls.get(path)
        if url is None:
            url = self._urls[path] = self._url(path)
        return f"{url}#{anchor}" if anchor else url

    def _url(self, path: str) -> str:
        if self.absolute_links:
            base = self.program.config.site_url or ""
            src = self.program.config.source.strip("/") + "/"
            rel = path[len(src):] if path.startswith(src) else path
            return (base.rstrip("/") + "/" if base else "") + rel[:-3] + ".html"
        url = _relpath(path, self.page_dir or ".")
        return url if url.startswith(".") else "./" + url

    @cached_property  # (the tables of a page link to each goal several times)
    def _urls(self) -> dict[str, str]:
        return {}

    def goal_link(self, g: Goal, *, short: bool = False, anchor: str = "") -> str:
        return f"[{g.short_title if short else g.title}]({self.href(g.path, anchor)})"

    def roadmap_link(self, r: Roadmap) -> str:
        return f"[{r.title}]({self.href(r.path)})"

    def goals(self) -> list[Goal]:
        return list(self.milestone.goals) if self.milestone else []

    @property
    def current_format(self) -> bool:
        """Whether the milestone is in the 2026 format. Its tables follow the reference tool as
        it is now (rows by lowercased title, one champion row per goal); older milestones keep
        the layout their published RFCs have (rows by file, champions' goals in one cell)."""
        return self._shared.current_format

    @property
    def legacy_format(self) -> bool:
        """Whether the milestone predates champion rows (`| [team] champion | @x |`, 2025h2):
        its RFC came from the reference tool of 2025h1, whose goal tables differ (see
        :func:`.goal_tables.goal_table`; 2024's own layouts are in :mod:`.legacy_tables`)."""
        return self._shared.era == "2025"

    @property
    def era(self) -> str:
        """"2024" or "2025" for milestones whose published pages had older table layouts."""
        return self._shared.era

    def order(self, goals: Iterable[Goal]) -> list[Goal]:
        return _order(goals, self.era, self.current_format)

    def live(self) -> list[Goal]:
        """Non-rejected goals, in the order of the milestone's era (see `current_format`)."""
        return list(self._shared.live)

    @cached_property  # (a page's directives ask for them a dozen times)
    def _shared(self) -> _Milestone:
        return _of(self.milestone)

    @cached_property  # (the LARGE, MEDIUM and SMALL GOALS tables of a page share it)
    def by_size(self) -> dict[str, list[Goal]]:
        """Non-rejected goals by their size (`Goal.size`, lowercased), each list by title."""
        levels = self.program.config.support_levels
        out: dict[str, list[Goal]] = {}
        for g in sorted(self._shared.live, key=lambda g: (g.title.lower(), g.path)):
            out.setdefault(g.size(levels).lower(), []).append(g)
        return out


def _order(goals: Iterable[Goal], era: str, current_format: bool) -> list[Goal]:
    if era:  # the reference tool of 2024 and 2025h1 sorted by title, case-sensitively
        return sorted(goals, key=lambda g: (g.title, g.path))
    if current_format:
        return sorted(goals, key=lambda g: (g.title.lower(), g.path))
    return sorted(goals, key=lambda g: g.path)


class _Milestone:
    """What every page of a milestone works out alike from its goals alone."""

    __slots__ = ("current_format", "era", "live")

    def __init__(self, goals: tuple[Goal, ...]) -> None:
        self.era = legacy_tables.era(list(goals))
        self.current_format = any(g.format is Format.TEAM_ASKS for g in goals)
        self.live = tuple(_order((g for g in goals if not g.rejected), self.era, self.current_format))


#: the `_Milestone` of the milestones whose pages were expanded last, by identity (each is held,
#: so that its id is not reused meanwhile): the pages of a milestone are given the same listing
#: (see `directives.listing`) and need not sort its goals again
_milestones: dict[int, tuple[Milestone, _Milestone]] = {}
_milestones_lock = allocate_lock()


def _of(m: Milestone | None) -> _Milestone:
    if m is None:
        return _Milestone(())
    with _milestones_lock:
        hit = _milestones.get(id(m))
        if hit is not None and hit[0] is m:
            return hit[1]
        shared = _Milestone(m.goals)
        if len(_milestones) >= 16:
            del _milestones[next(iter(_milestones))]  # the least recently made
        _milestones[id(m)] = (m, shared)
        return shared


@lru_cache(maxsize=65536)
def _relpath(path: str, start: str) -> str:
    # (pure; a page links to every goal of its milestone, and posixpath.relpath is slow)
    return posixpath.relpath(path, start)


#: A directive's renderer: the page's context and the directive's argument (after `NAME:`).
Handler = Callable[[Context, str], str]
