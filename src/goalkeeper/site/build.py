"""Build the program's website in memory, and write it to a folder.

:class:`SiteBuilder` turns a loaded :class:`~goalkeeper.model.Program` into a :class:`Site`:
every file of the site as bytes, keyed by its URL. `goalkeeper build` writes it with
:func:`write_site` (only files whose bytes changed); `goalkeeper serve` keeps one builder and
serves each new build from memory. The builder caches rendered markdown and charts by their
inputs, so a rebuild after one saved file renders only what that change affects.

Pages are Jinja2 templates (autoescaped) from the package's `templates/` folder, each of which a
repository can override by putting a file of the same name in `ROOT/templates/`; files in
`ROOT/templates/static/` are added to (or replace) the site's `static/` assets.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..errors import GoalkeeperError
from ..fsutil import inside
from ..model import USER_RE, Goal, Page, Program, Roadmap
from ..render.directives import expand
from ..views import overview
from . import reports, urls
from .book import BOOK, read_book, redirect_href, redirect_page
from .charts import stacked_bars
from .html import (
    Linker,
    LinkProblem,
    MarkdownRenderer,
    Rendered,
    inline_html,
    inline_text,
    plain_text,
)
from .nav import NavItem, from_milestones, from_summary, nav_script
from .output import WriteReport as WriteReport
from .output import write_site as write_site
from .printing import chapter_id, print_chapter
from .search import SearchDoc, index_script

TEMPLATE_DIR = "templates"  # in the repository: ROOT/templates/ overrides the package's
MAX_SEARCH_TEXT = 20_000  # characters of a page's text in the search index

STATUS_COLORS = {
    "Accepted": "#009E73",
    "Proposed": "#0072B2",
    "Invited": "#56B4E9",
    "Proposed for mentorship": "#CC79A7",
    "Not accepted": "#999999",
}
LEVEL_COLORS = {"Large": "#D55E00", "Medium": "#E69F00", "Small": "#0072B2", "Vibes": "#999999"}


class Files(Mapping[str, bytes]):
    """The files of a site by URL. Some are computed on first access (the search index), so a
    preview that only reloads a page does not pay for them; writing the site computes them all.
    Equality compares the files that were computed up front: the deferred ones derive from them.
    """

    def __init__(self, ready: dict[str, bytes], deferred: dict[str, Callable[[], bytes]]) -> None:
        self._ready = ready
        self._deferred = dict(deferred)
        self._lock = threading.Lock()
        self._keys = sorted({*ready, *deferred})

    def __getitem__(self, url: str) -> bytes:
        if url in self._ready:
            return self._ready[url]
        with self._lock:
            make = self._deferred.pop(url, None)
            if make is not None:
                self._ready[url] = make()
        return self._ready[url]

    def __contains__(self, url: object) -> bool:
        return url in self._ready or url in self._deferred

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def same_as(self, other: Files) -> bool:
        """Whether both hold the same files (comparing those computed up front)."""
        return self._keys == other._keys and self._eager() == other._eager()

    def _eager(self) -> dict[str, bytes]:
        return {k: v for k, v in self._ready.items() if k != urls.SEARCH_INDEX}


@dataclass(frozen=True, slots=True)
class Site:
    """A built site: file contents by URL (site-root relative), and what it was built from."""

    files: Files
    #: URL of each page made from a document -> the document's path (relative to the root).
    sources: Mapping[str, str]
    #: Links (and navigation entries) that point at nothing the site holds.
    problems: tuple[LinkProblem, ...] = ()


def build_site(program: Program) -> Site:
    """Build the site of `program` in memory (no cache kept)."""
    return SiteBuilder().build(program)


def read_document(root: Path, path: str) -> str | None:
    """A document's text with newlines normalized, or None when it cannot be read (the loader
    has reported why)."""
    if not inside(root / path, root):
        return None  # a symlink out of the repository (`check` reports symlink-outside)
    try:
        text = (root / path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(slots=True)
class _Doc:
    path: str  # relative to the program root
    url: str
    title: str
    kind: str  # goal, roadmap, page
    milestone: str = ""
    goal: Goal | None = None
    roadmap: Roadmap | None = None
    page: Page | None = None


class SiteBuilder:
    """Builds sites; keep one across builds (as `goalkeeper serve` does) to re-use its caches."""

    def __init__(self) -> None:
        # rendered documents by (path, URL, markdown); valid while the link context is the same
        self._rendered: dict[tuple[str, str, str], Rendered] = {}
        self._context: tuple[object, ...] = ()
        self._env: jinja2.Environment | None = None
        self._env_root: Path | None = None
        self._env_signature: tuple[tuple[str, int, int], ...] = ()
        self.rendered = 0  # documents rendered (cache misses) by the last build
        # document pages by URL: (inputs, subject, bytes), for the next build to keep
        self._pages: dict[str, tuple[tuple[object, ...], object, bytes]] = {}
        self._pages_env: jinja2.Environment | None = None
        self.templated = 0  # document pages templated (cache misses) by the last build

    # ------------------------------------------------------------------ set-up

    def _environment(self, root: Path) -> jinja2.Environment:
        """The Jinja environment; made anew when the repository's overrides change (a cached
        package template would otherwise hide an override added later)."""
        signature = _overrides_signature(root / TEMPLATE_DIR)
        if self._env is None or self._env_root != root or signature != self._env_signature:
            self._env_signature = signature
            loaders: list[jinja2.BaseLoader] = [
                _RepositoryLoader(root / TEMPLATE_DIR, root),
                jinja2.PackageLoader("goalkeeper.site", "templates"),
            ]
            env = SandboxedEnvironment(  # overrides come from the repository
                loader=jinja2.ChoiceLoader(loaders),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                auto_reload=True,
                # compiled templates are kept (by name and source checksum) in a per-user
                # folder of the system's temporary directory: compiling them took a tenth of
                # the build
                bytecode_cache=jinja2.FileSystemBytecodeCache(),
            )
            env.filters.update(md_inline=lambda t: Markup(inline_html(t)), md_text=inline_text)
            env.globals.update(
                goal_url=lambda g: urls.goal_url(g, self._source),
                roadmap_url=lambda r: urls.roadmap_url(r, self._source),
                team_url=urls.team_url,
            )
            self._env, self._env_root = env, root
        return self._env

    _source = "src"

    # ------------------------------------------------------------------ build

    def build(self, program: Program) -> Site:
        """The whole site of `program`, in memory."""
        config = program.config
        self._source = config.source
        root = program.root
        env = self._environment(root)
        problems: list[LinkProblem] = []

        docs = self._documents(program)
        documents: dict[str, str] = {d.path: d.url for d in docs}
        assets = self._assets(program)
        for path, (url, _) in assets.items():
            documents[path] = url

        teams = overview.teams_in_use(program)
        generated = self._generated_urls(program, docs, teams)
        report_pages = [rp for rp in reports.plan(program, {d.path: d.url for d in docs},
                                                  dt.datetime.now(dt.UTC).date())
                        if rp.url not in generated]
        generated += [rp.url for rp in report_pages]
        report_sources = {d.path for d in docs if d.page is not None and any(
            t.strip().upper().startswith("REPORTS") for t, _ in d.page.directives)}
        taken = {d.url: d.path for d in docs}
        for url in list(generated):
            if url in taken:
                problems.append(LinkProblem(taken[url], 0, url, "document has the URL of a page "
                                            "goalkeeper generates; the document is shown there"))
                generated.remove(url)
        site_urls = frozenset({*documents.values(), *generated})

        linker = Linker(config.source, documents, site_urls, config.milestone_pattern,
                        config.repo_url, program.root)
        team_urls = {t: urls.team_url(t) for t in teams}
        renderer = MarkdownRenderer(linker=linker, people=program.people, teams=team_urls)
        context = (site_urls, tuple(sorted(program.people.items())), tuple(team_urls))
        if context != self._context:  # links or mentions may render differently: start afresh
            self._rendered, self._context = {}, context

        # navigation
        sources_of = {d.url for d in docs}
        source = config.source.strip("/")
        summary_path = "SUMMARY.md" if source in ("", ".") else f"{source}/SUMMARY.md"
        summary = read_document(root, summary_path) if (root / summary_path).is_file() else None
        if summary is not None:
            nav = from_summary(summary, summary_path, linker, program, problems)
        else:
            nav = from_milestones(program, documents, urls.HOME)
        # the report pages sit under their reports page
        by_url = {i.url: i for top in nav for i in top.walk() if i.url}
        for rp in report_pages:
            if rp.url in taken or rp.parent not in by_url:
                continue
            by_url[rp.parent].children.append(item := NavItem(rp.title, rp.url))
            by_url[rp.url] = item
        # reading order (previous/next links, the print page): the documents' navigation
        order = list({i.url: (i.url, i.title) for top in nav for i in top.walk()
                      if i.url and not i.part and i.url in sources_of}.values())
        position = {u: n for n, (u, _) in enumerate(order)}

        def neighbours(url: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
            # printing.pager's answer, looked up instead of searched (20,000 goals: 20,000 pages)
            n = position.get(url)
            if n is None:
                return None, None
            return (order[n - 1] if n > 0 else None, order[n + 1] if n + 1 < len(order) else None)

        # the program's own pages first: they are what a reader of the site comes for
        nav[:0] = [NavItem(title, url) for title, url in self._program_pages(program, generated)]
        nav_titles = {i.url: i.title for top in nav for i in top.walk() if i.url}
        book = read_book(root)
        # the navigation is written once, in nav.js (and toc.html without script), never in
        # every page: its links start from the site's root (`./`), site.js re-roots them
        nav_html = Markup(env.get_template("nav.html").render(items=nav, root="./"))

        repository_url = next((u for u in (config.repo_url, book.git_repository_url)
                               if u.startswith(("https://", "http://"))), "")
        printed: dict[str, str] = {}  # chapter HTML by URL, for print.html
        files: dict[str, bytes] = {}
        sources: dict[str, str] = {}
        search_docs: list[SearchDoc] = []
        rendered_count = templated = 0
        used: dict[tuple[str, str, str], Rendered] = {}
        pages: dict[str, tuple[tuple[object, ...], object, bytes]] = {}
        if env is not self._pages_env:  # templates changed: every page is made again
            self._pages, self._pages_env = {}, env

        def page(template: str, url: str, title: str, **ctx: Any) -> None:
            # never "": see urls.root_prefix. The 404 page is served at any depth, so its
            # links start from the site's path on its host (book.toml's site-url)
            root_prefix = urls.site_path(config.site_url) if url == urls.NOT_FOUND else (
                "../" * url.count("/") or "./")
            html = env.get_template(template).render(
                pager=neighbours(url),
                repository_url=repository_url,
                root=root_prefix,
                url=url,
                title=title,
                project=config.project_name,
                nav=Markup(f'<noscript><p><a href="{root_prefix}{urls.TOC}">Contents</a></p></noscript>'),
                **ctx,
            )
            files[url] = html.encode("utf-8")

        # documents
        for d in docs:
            text = read_document(root, d.path)
            if text is None:
                continue
            md = self._prepare(program, d, text)
            key = (d.path, d.url, md)
            rendered = self._rendered.get(key)
            if rendered is None:
                rendered = renderer.render(md, d.path, d.url, origin=text)
                rendered_count += 1
            used[key] = rendered
            problems.extend(rendered.problems)
            title = d.title or nav_titles.get(d.url) or posixpath.basename(d.path)
            if d.kind == "page" and d.url in nav_titles:
                title = nav_titles[d.url]  # as mdBook does: SUMMARY.md names the pages
            content = Markup(rendered.html)
            if d.path in report_sources:
                content += self._reports_note(d.url, report_pages)
            # a page whose inputs are unchanged is not templated again (the live preview
            # rebuilds after every save): its document, title and subject are the same
            subject = d.goal or d.roadmap or d.page
            edit_url = book.edit_url_template.replace("{path}", quote(d.path))
            inputs = (d.kind, d.url, title, config.project_name, str(content), d.milestone, edit_url,
                      repository_url, neighbours(d.url))
            kept = self._pages.get(d.url)
            if kept is not None and kept[0] == inputs and kept[1] == subject:
                files[d.url] = kept[2]
            else:
                page(
                    f"{d.kind}.html",
                    d.url,
                    title,
                    content=content,
                    edit_url=edit_url,
                    doc=d,
                    goal=d.goal,
                    roadmap=d.roadmap,
                )
                templated += 1
            pages[d.url] = (inputs, subject, files[d.url])
            sources[d.url] = d.path
            printed[d.url] = rendered.html
            search_docs.append(self._search_doc(program, d, title, rendered.html))
        self._rendered = used
        self.rendered = rendered_count
        self._pages = pages
        self.templated = templated

        # report pages, from the synced data
        for rp in report_pages:
            if rp.url in taken:
                continue
            children = [c for c in report_pages if c.parent == rp.url]
            out = renderer.render(reports.markdown(program, rp, children), rp.source, rp.url)
            problems.extend(out.problems)
            page("page.html", rp.url, rp.title, content=Markup(out.html))

        # generated pages
        self._generated_pages(program, generated, teams, page, search_docs)

        if urls.PRINT in generated:
            in_print = frozenset(u for u, _ in order if u in printed)
            page("print.html", urls.PRINT, "Print", chapters=[
                (chapter_id(u), t, Markup(print_chapter(u, printed[u], in_print)))
                for u, t in order if u in in_print])
        if urls.TOC in generated:
            page("toc.html", urls.TOC, "Contents", toc=nav_html)
        files[urls.NAV_SCRIPT] = nav_script(nav_html, book.fold_enable, book.fold_level).encode()

        # redirect pages for old URLs (book.toml's [output.html.redirect])
        problems.extend(book.problems)
        for r in book.redirects:
            if r.url in sources and r.url not in nav_titles:
                # a document the navigation does not list: mdBook would not publish it, and
                # the published site has the redirect there
                del files[r.url], sources[r.url]
                search_docs[:] = [sd for sd in search_docs if sd.url != r.url]
            elif r.url in files or r.url in site_urls:
                problems.append(LinkProblem(BOOK, 0, "/" + r.url, "a page of the site has this "
                                            "URL; the redirect is not written"))
                continue
            href, problem = redirect_href(r, site_urls)
            if problem:
                problems.append(LinkProblem(BOOK, 0, r.target, problem))
            files[r.url] = redirect_page(href, config.project_name).encode("utf-8")

        # assets, static files and the search index
        for _, (url, data) in assets.items():
            files.setdefault(url, data)
        for name, data in self._static(root).items():
            files[f"{urls.STATIC}/{name}"] = data
        deferred = {urls.SEARCH_INDEX: lambda: index_script(search_docs).encode("utf-8")}
        unique = tuple(dict.fromkeys(problems))
        return Site(files=Files(files, deferred), sources=sources, problems=unique)

    @staticmethod
    def _reports_note(url: str, report_pages: list[reports.ReportPage]) -> Markup:
        """The reports page's list of reports; without synced data, what to run, said in the
        page's source only."""
        mine = [rp for rp in report_pages if rp.parent == url]
        if not mine:
            return Markup("\n<!-- goalkeeper: no synced data, so no reports. Run `goalkeeper "
                          "sync ROOT`, then `goalkeeper build ROOT`, to make the monthly blog "
                          "posts and the teams' recent updates. -->\n")
        items = "".join(f'<li><a href="{escape(urls.relative(url, rp.url))}">{escape(rp.title)}</a></li>'
                        for rp in mine)
        return Markup(f'\n<ul class="reports">{items}</ul>\n')

    # ------------------------------------------------------------------ documents

    def _documents(self, program: Program) -> list[_Doc]:
        src = program.config.source
        out: list[_Doc] = []
        for m in program.milestones:
            for g in m.goals:
                out.append(_Doc(g.path, urls.goal_url(g, src), g.title, "goal", m.name, goal=g))
            for r in m.roadmaps:
                out.append(_Doc(r.path, urls.roadmap_url(r, src), r.title, "roadmap", m.name, roadmap=r))
            for p in m.pages:
                out.append(_Doc(p.path, urls.page_url(urls.source_rel(p.path, src)), p.title, "page",
                                m.name, page=p))
        for p in program.pages:
            if posixpath.basename(p.path) == "SUMMARY.md":
                continue
            out.append(_Doc(p.path, urls.page_url(urls.source_rel(p.path, src)), p.title, "page", page=p))
        out.sort(key=lambda d: d.url)
        return out

    def _assets(self, program: Program) -> dict[str, tuple[str, bytes]]:
        """Non-markdown files under the source folder, copied as they are: only passive kinds
        (images, PDFs, plain text, data) and never through a link that leaves the repository.
        HTML, SVG and scripts are left out: documents come from anyone who opens a pull request,
        and the site sanitizes what it renders but cannot sanitize a copied file."""
        src_dir = program.config.source_dir
        out: dict[str, tuple[str, bytes]] = {}
        limit = program.config.max_file_bytes
        for folder, dirs, names in os.walk(src_dir):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or name.lower().endswith(".md"):
                    continue
                p = Path(folder) / name
                try:
                    if not p.is_file() or p.stat().st_size > limit:
                        continue
                    data = p.read_bytes()
                except OSError:
                    continue
                if not _safe_asset(p, program.root):
                    continue
                rel_src = p.relative_to(src_dir).as_posix()
                rel_root = p.relative_to(program.root).as_posix()
                out[rel_root] = (rel_src, data)
        return out

    def _prepare(self, program: Program, d: _Doc, text: str) -> str:
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

    def _search_doc(self, program: Program, d: _Doc, title: str, html: str) -> SearchDoc:
        people: list[str] = []
        teams: list[str] = []
        summary = ""
        if d.goal is not None:
            g = d.goal
            logins = [*g.points_of_contact, *(u for c in g.champions for u in c.logins),
                      *(u for o in g.task_owners for u in USER_RE.findall(o))]
            people = _people_terms(program, logins)
            teams = _team_terms(program, [*g.teams, *(c.team for c in g.champions)])
            summary = g.what_and_why or g.summary
        elif d.roadmap is not None:
            people = _people_terms(program, USER_RE.findall(d.roadmap.point_of_contact))
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

    # ------------------------------------------------------------------ generated pages

    def _generated_urls(self, program: Program, docs: list[_Doc], teams: list[str]) -> list[str]:
        have = {d.url for d in docs}
        out = [urls.DASHBOARD, urls.SEARCH, urls.TEAMS, urls.CHAMPIONS, urls.HIGHLIGHTS, urls.AREAS,
               urls.NOT_ACCEPTED, urls.NOT_FOUND, urls.TOC, urls.PRINT]
        out += [urls.team_url(t) for t in teams]
        if urls.HOME not in have:
            out.append(urls.HOME)
        for m in program.milestones:
            idx = f"{urls.source_rel(m.path, program.config.source)}/index.html"
            if idx not in have:
                out.append(idx)
        return out

    @staticmethod
    def _program_pages(program: Program, generated: list[str]) -> list[tuple[str, str]]:
        pages = [
            ("Dashboard", urls.DASHBOARD),
            ("Goals by team", urls.TEAMS),
            ("Champions", urls.CHAMPIONS),
            ("Highlights", urls.HIGHLIGHTS),
            ("Application areas", urls.AREAS),
            ("Goals not accepted", urls.NOT_ACCEPTED),
            ("Search", urls.SEARCH),
        ]
        return [(t, u) for t, u in pages if u in generated]

    def _generated_pages(
        self,
        program: Program,
        generated: list[str],
        teams: list[str],
        page: Callable[..., None],
        search_docs: list[SearchDoc],
    ) -> None:
        gen = set(generated)
        config = program.config
        milestones = list(reversed(program.milestones))

        def emit(url: str, template: str, title: str, **ctx: Any) -> None:
            if url in gen:
                page(template, url, title, **ctx)

        emit(urls.DASHBOARD, "dashboard.html", "Dashboard", **self._dashboard(program))
        emit(urls.SEARCH, "search.html", "Search")
        emit(urls.NOT_FOUND, "404.html", "Page not found")
        team_rows = {m.name: {r.team: r for r in overview.team_load(program, m)} for m in milestones}
        emit(urls.TEAMS, "teams.html", "Goals by team", teams=[  # teams some goal asks
            (t, program.teams.get(t)) for t in teams
        ], milestones=milestones, load=team_rows)
        for t in teams:
            team = program.teams.get(t)
            by_milestone = overview.goals_of_team(program, t)
            title = (team.display_name if team and team.display_name else t)
            emit(urls.team_url(t), "team.html", title, team_name=t, team=team,
                 goals=by_milestone, person=program.person)
            if urls.team_url(t) in gen:
                members = [*(team.leads if team else ()), *(team.members if team else ())]
                search_docs.append(SearchDoc(
                    url=urls.team_url(t), title=f"{title} ({t})" if title != t else t, kind="team",
                    milestone="", summary=f"Goals that ask the {t} team for support",
                    people=" ".join(_people_terms(program, list(dict.fromkeys(members)))),
                    teams=" ".join(_team_terms(program, [t])),
                    text=" ".join(g.goal.title for _, rows in by_milestone for g in rows),
                ))
        emit(urls.CHAMPIONS, "champions.html", "Champions",
             champions=[(m.name, overview.champions(program, m)) for m in milestones],
             person=program.person)
        emit(urls.HIGHLIGHTS, "highlights.html", "Highlights",
             highlights=[(m.name, overview.highlights(m)) for m in milestones])
        emit(urls.AREAS, "areas.html", "Application areas and roadmaps",
             areas=overview.application_areas(program))
        emit(urls.NOT_ACCEPTED, "not_accepted.html", "Goals not accepted",
             rejected=overview.not_accepted(program))
        emit(urls.HOME, "home.html", config.project_name or "Goals", milestones=milestones)
        for m in program.milestones:
            idx = f"{urls.source_rel(m.path, config.source)}/index.html"
            emit(idx, "milestone.html", f"{m.name} goals", milestone=m,
                 goals=overview.by_title([g for g in m.goals if not g.rejected]),
                 roadmaps=sorted(m.roadmaps, key=lambda r: r.title.lower()))

    def _dashboard(self, program: Program) -> dict[str, Any]:
        counts = overview.status_counts(program)
        order = overview.status_order(program)
        used = [s for s in order if any(c[s] for _, c in counts)]
        status_chart = self._chart(
            "Goals per status and milestone",
            [m for m, _ in counts],
            [(s, [c[s] for _, c in counts]) for s in used],
            ident="status",
            colors=STATUS_COLORS,
        ) if counts else ""
        loads = []
        for m in reversed(program.milestones):
            rows = overview.team_load(program, m)
            rank = {lvl.lower(): i for i, lvl in enumerate(program.config.support_levels)}
            levels = sorted(dict.fromkeys(k for r in rows for k in r.by_level),
                            key=lambda k: (-rank.get(k.lower(), -1), k))
            chart = self._chart(
                f"Team load in {m.name}: goals per team and support level",
                [r.team for r in rows],
                [(lvl, [r.by_level.get(lvl, 0) for r in rows]) for lvl in levels],
                ident=f"load-{m.name}",
                colors=LEVEL_COLORS,
            ) if rows else ""
            loads.append((m, rows, levels, Markup(chart)))
        return {
            "counts": counts,
            "statuses": used,
            "status_chart": Markup(status_chart),
            "loads": loads,
            "highlights": [(m.name, overview.highlights(m)) for m in reversed(program.milestones)],
            "milestones": list(reversed(program.milestones)),
            **self._tracking(program),
            **self._calendar(program),
            **self._minutes(program),
            **self._proposals(program),
        }

    def _proposals(self, program: Program) -> dict[str, Any]:
        """Goals proposed in open pull requests, once `goalkeeper sync` has read them."""
        from ..proposals import cached_pulls, summary, target_milestones

        pulls = cached_pulls(program)
        if not pulls:
            return {"proposals": []}
        found = [summary(program, pulls, m) for m in target_milestones(program)]
        return {"proposals": [s for s in found if s.proposals]}

    def _tracking(self, program: Program) -> dict[str, Any]:
        """Progress and health per goal of the newest milestone, once tracking data is synced."""
        import datetime as dt

        from ..health import health_for, health_rules_for
        from ..progress import cached_progress

        progress = cached_progress(program) if program.milestones else None
        if not progress:
            return {"tracking": None}
        today = dt.datetime.now(dt.UTC).date()
        m = program.milestones[-1]
        health = health_for(program, progress, health_rules_for(program.config), today, m.name)
        rows = [(g, progress.get(g.key), health.get(g.key))
                for g in overview.by_title([g for g in m.goals if g.accepted])]
        order = ["on track", "at risk", "stalled", "no data"]
        counts = {name: sum(1 for _, _, h in rows if h is not None and str(h.health) == name)
                  for name in order}
        chart = self._chart(f"Health of the {m.name} goals", [m.name],
                            [(name, [n]) for name, n in counts.items() if n],
                            ident="health", colors=HEALTH_COLORS)
        return {"tracking": {"milestone": m, "rows": rows, "today": today, "counts": counts,
                             "chart": Markup(chart)}}

    def _calendar(self, program: Program) -> dict[str, Any]:
        import datetime as dt

        from ..calendar import PHASE_TITLES, program_windows

        wins = program_windows([m.name for m in program.milestones], program.config.calendar,
                               str(program.config.path or program.root))
        today = dt.datetime.now(dt.UTC).date()
        shown = [w for w in wins if w.end >= today - dt.timedelta(days=400)]
        return {"timeline": [(w, PHASE_TITLES[w.phase], w.contains(today),
                              w.end < today, (today - w.start).days + 1,
                              (w.end - w.start).days + 1) for w in shown],
                "today": today}

    def _minutes(self, program: Program) -> dict[str, Any]:
        """Words of meeting minutes per month and team, where minutes are configured."""
        from ..sources.minutes import load_minutes
        from ..views.minutes import per_month

        try:
            minutes = load_minutes(program.root)
        except GoalkeeperError:
            return {"minutes_chart": None}
        if not minutes.meetings:
            return {"minutes_chart": None}
        months = per_month(minutes.meetings)[-12:]
        teams = sorted({t for r in months for t, _ in r.team_words})
        chart = self._chart("Words of meeting minutes per month and team",
                            [r.month for r in months],
                            [(t, [dict(r.team_words).get(t, 0) for r in months]) for t in teams],
                            ident="minutes", colors={})
        return {"minutes_chart": Markup(chart), "minutes_total": sum(m.words for m in minutes.meetings),
                "minutes_count": len(minutes.meetings), "minutes_teams": teams,
                "minutes_months": [(r.month, [dict(r.team_words).get(t, 0) for t in teams])
                                   for r in months]}

    @staticmethod
    def _chart(title: str, labels: list[str], series: list[tuple[str, list[int]]], *,
               ident: str, colors: dict[str, str]) -> str:
        return stacked_bars(title, tuple(labels), tuple((n, tuple(v)) for n, v in series),
                            ident=ident, colors=tuple(sorted(colors.items())))

    # ------------------------------------------------------------------ static files

    @staticmethod
    def _static(root: Path) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        pkg = resources.files("goalkeeper.site").joinpath("static")
        for entry in sorted(pkg.iterdir(), key=lambda e: e.name):
            if entry.is_file() and not entry.name.startswith("."):
                out[entry.name] = entry.read_bytes()
        override = root / TEMPLATE_DIR / "static"
        if override.is_dir() and inside(override, root):
            for p in sorted(override.rglob("*")):
                if (p.is_file() and inside(p, root)
                        and not any(part.startswith(".") for part in p.relative_to(override).parts)):
                    out[p.relative_to(override).as_posix()] = p.read_bytes()
        return out


class _RepositoryLoader(jinja2.FileSystemLoader):
    """Template overrides from the repository, never through a symlink leading out of it."""

    def __init__(self, folder: Path, root: Path) -> None:
        super().__init__(str(folder))
        self._folder, self._root = folder, root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self._folder.joinpath(*template.split("/"))
        if path.exists() and not inside(path, self._root):
            raise jinja2.TemplateNotFound(template)  # the package's template is used
        return super().get_source(environment, template)


def _overrides_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return ()
    out = []
    for e in entries:
        try:
            if e.is_file():
                st = e.stat()
                out.append((e.name, st.st_mtime_ns, st.st_size))
        except OSError:
            continue
    return tuple(out)


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


def _people_terms(program: Program, logins: Iterable[str]) -> list[str]:
    out: dict[str, None] = {}
    for login in logins:
        person = program.person(login)
        out[f"@{person.login}"] = None
        if person.name:
            out[person.name] = None
    return list(out)


def _team_terms(program: Program, names: Iterable[str]) -> list[str]:
    out: dict[str, None] = {}
    for n in names:
        out[n] = None
        team = program.teams.get(n)
        if team and team.display_name:
            out[team.display_name] = None
    return list(out)



HEALTH_COLORS = {"on track": "#2da44e", "at risk": "#d4a72c", "stalled": "#cf222e",
                 "no data": "#8c959f"}



#: File kinds copied into the site as they are; anything that a browser could run is not.
SAFE_ASSET_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp",
    ".pdf", ".txt", ".csv", ".json", ".toml", ".yaml", ".yml",
    ".woff", ".woff2", ".ttf", ".otf", ".mp4", ".webm", ".mp3", ".ogg",
})


def _safe_asset(path: Path, root: Path) -> bool:
    if path.suffix.lower() not in SAFE_ASSET_SUFFIXES:
        return False
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False
