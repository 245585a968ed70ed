"""The page a directive is expanded in: its program, milestone and links (see
:mod:`.directives`), shared by the directive tables and the RFC renderer."""

from __future__ import annotations

import posixpath
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
        if self.absolute_links:
            src, site = self._site
            rel = path[len(src):] if path.startswith(src) else path
            url = site + rel[:-3] + ".html"
        else:
            url = _relpath(path, self.page_dir or ".")
            if not url.startswith("."):
                url = "./" + url
        return url + (f"#{anchor}" if anchor else "")

    @cached_property  # (a table links to each of its goals)
    def _site(self) -> tuple[str, str]:
        """The source folder and the published site's URL, each with a trailing slash (the URL
        is "" when the configuration has none)."""
        base = self.program.config.site_url or ""
        return self.program.config.source.strip("/") + "/", base.rstrip("/") + "/" if base else ""

    def goal_link(self, g: Goal, *, short: bool = False, anchor: str = "") -> str:
        return f"[{g.short_title if short else g.title}]({self.href(g.path, anchor)})"

    def roadmap_link(self, r: Roadmap) -> str:
        return f"[{r.title}]({self.href(r.path)})"

    def goals(self) -> list[Goal]:
        return list(self.milestone.goals) if self.milestone else []

    @cached_property  # (a context lives for one page; its milestone does not change)
    def current_format(self) -> bool:
        """Whether the milestone is in the 2026 format. Its tables follow the reference tool as
        it is now (rows by lowercased title, one champion row per goal); older milestones keep
        the layout their published RFCs have (rows by file, champions' goals in one cell)."""
        return any(g.format is Format.TEAM_ASKS for g in self.goals())

    @cached_property
    def legacy_format(self) -> bool:
        """Whether the milestone predates champion rows (`| [team] champion | @x |`, 2025h2):
        its RFC came from the reference tool of 2025h1, whose goal tables differ (see
        :func:`.goal_tables.goal_table`; 2024's own layouts are in :mod:`.legacy_tables`)."""
        return self.era == "2025"

    @cached_property
    def era(self) -> str:
        """"2024" or "2025" for milestones whose published pages had older table layouts."""
        return legacy_tables.era(self.goals())

    def order(self, goals: Iterable[Goal]) -> list[Goal]:
        if self.era:  # the reference tool of 2024 and 2025h1 sorted by title, case-sensitively
            return sorted(goals, key=lambda g: (g.title, g.path))
        if self.current_format:
            return sorted(goals, key=lambda g: (g.title.lower(), g.path))
        return sorted(goals, key=lambda g: g.path)

    def live(self) -> list[Goal]:
        """Non-rejected goals, in the order of the milestone's era (see `current_format`)."""
        return list(self._live)

    @cached_property  # (a page's directives ask for it a dozen times)
    def _live(self) -> tuple[Goal, ...]:
        return tuple(self.order(g for g in self.goals() if not g.rejected))

    @cached_property  # (the LARGE, MEDIUM and SMALL GOALS tables of a page share it)
    def by_size(self) -> dict[str, list[Goal]]:
        """Non-rejected goals by their size (`Goal.size`, lowercased), each list by title."""
        levels = self.program.config.support_levels
        out: dict[str, list[Goal]] = {}
        for g in sorted(self._live, key=lambda g: (g.title.lower(), g.path)):
            out.setdefault(g.size(levels).lower(), []).append(g)
        return out


@lru_cache(maxsize=65536)
def _relpath(path: str, start: str) -> str:
    # (pure; a page links to every goal of its milestone, and posixpath.relpath is slow)
    return posixpath.relpath(path, start)


#: A directive's renderer: the page's context and the directive's argument (after `NAME:`).
Handler = Callable[[Context, str], str]
