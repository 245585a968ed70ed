"""Build the program's website in memory: the build driver.

:class:`SiteBuilder` turns a loaded :class:`~goalkeeper.model.Program` into a :class:`Site`:
every file of the site as bytes, keyed by its URL. `goalkeeper build` writes it with
:func:`~goalkeeper.site.output.write_site` (only files whose bytes changed); `goalkeeper serve`
keeps one builder and serves each new build from memory. The builder caches rendered markdown
and templated pages by their inputs, so a rebuild after one saved file renders only what that
change affects. The pages come from :mod:`.documents` (one per document),
:mod:`.program_pages` (the dashboard, teams and the other pages made from the program),
:mod:`.reports` and :mod:`.book` (redirects); :mod:`.assets` holds the files copied as they are.

Pages are Jinja2 templates (autoescaped) from the package's `templates/` folder, each of which a
repository can override by putting a file of the same name in `ROOT/templates/`; files in
`ROOT/templates/static/` are added to (or replace) the site's `static/` assets.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import threading
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..fsutil import inside
from ..model import Config, Milestone, Program
from ..parallel import forked_map
from ..render.directives import listing
from ..views import overview
from . import reports, urls
from .assets import TEMPLATE_DIR, source_assets, static_files
from .book import BOOK, read_book, redirect_href, redirect_page
from .documents import Doc, Texts, list_documents, prepare, read_document, reads_listing, search_doc
from .files import Files, Output, Sink, Spool, Stager
from .html import Linker, LinkProblem, MarkdownRenderer, Rendered, inline_html, inline_text
from .nav import NavItem, from_milestones, from_summary, nav_script
from .printing import chapter_id, print_chapter
from .program_pages import generated_pages, generated_urls, program_pages
from .search import Analysis, IndexBuilder, SearchDoc, analyse, index_script


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


class SiteBuilder:
    """Builds sites; keep one across builds (as `goalkeeper serve` does) to re-use its caches.

    With `lazy` (the preview), the pages made from the whole program (dashboard, teams,
    champions, the milestones' index pages...), print.html and toc.html are made when first
    asked for, and so are the pages of documents that did not change but whose directives
    list something that did (a goal's new title): a save costs only the saved documents'
    pages. What a page made on request needed is kept for the next build as if a build had
    made it. The link problems of pages made on request are not in the site's `problems`.
    """

    def __init__(self, *, lazy: bool = False) -> None:
        self.lazy = lazy
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
        self.templates_changed = False  # whether the last build's templates differ from before
        # the markdown prepared for each document (directives expanded), by path, with what it
        # was made from: (text, milestone listing, config, subject, markdown)
        self._prepared: dict[str, tuple[str, object, object, object, str]] = {}
        self._listings: dict[str, Milestone] = {}
        self._config: Config | None = None
        self.prepared = 0  # documents prepared (cache misses) by the last build
        self._texts = Texts()
        self._nav: tuple[object, list[NavItem], Markup] = (None, [], Markup())  # env, items, HTML
        # document pages made on request since the last build, for the next to keep (lazy)
        self._late: list[tuple[object, object, tuple[str, tuple[str, object, object, object, str]],
                               tuple[tuple[str, str, str], Rendered],
                               tuple[str, tuple[tuple[object, ...], object, bytes]]]] = []
        self._late_lock = threading.Lock()

    # ------------------------------------------------------------------ set-up

    def _environment(self, root: Path) -> jinja2.Environment:
        """The Jinja environment; made anew when the repository's overrides change (a cached
        package template would otherwise hide an override added later)."""
        signature = _overrides_signature(root / TEMPLATE_DIR)
        if self._env is None or self._env_root != root or signature != self._env_signature:
            self._env_signature = signature
            package = jinja2.PackageLoader("goalkeeper.site", "templates")
            # overrides come from the repository: they run sandboxed. Without any (every
            # template is a top-level file), goalkeeper's own templates run as they are: the
            # sandbox's checks on every attribute and call took a fifth of the templating
            sandboxed = bool(signature)
            env = (SandboxedEnvironment if sandboxed else jinja2.Environment)(
                loader=jinja2.ChoiceLoader([_RepositoryLoader(root / TEMPLATE_DIR, root), package])
                if sandboxed else package,
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                # goalkeeper's own templates do not change: no look at their times on every
                # page; overrides may include templates of subfolders the signature skips
                auto_reload=sandboxed,
                # compiled templates are kept (by name and source checksum) in a per-user
                # folder of the system's temporary directory: compiling them took a tenth of
                # the build. Sandboxed code differs: it is kept apart.
                bytecode_cache=jinja2.FileSystemBytecodeCache(
                    pattern="__jinja2_%s.cache" if sandboxed else "__jinja2_gk_%s.cache"),
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

    def build(self, program: Program, sink: Sink | None = None,
              stager: Stager | None = None) -> Site:
        """The whole site of `program`: in memory, or with a `sink` (`goalkeeper build`), each
        file handed to `sink(url, bytes)` as soon as it is made and not kept (nor cached for a
        next build), so memory does not grow with the pages. The site's `files` are then empty.
        With a `stager` too, the documents' pages are written by whichever process makes them."""
        config = program.config
        self._source = config.source
        root = program.root
        before = self._env
        env = self._environment(root)
        self.templates_changed = env is not before
        problems: list[LinkProblem] = []

        docs = list_documents(program)
        documents: dict[str, str] = {d.path: d.url for d in docs}
        assets = source_assets(program)
        for path, (url, _) in assets.items():
            documents[path] = url

        teams = overview.teams_in_use(program)
        generated = generated_urls(program, docs, teams)
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
        nav[:0] = [NavItem(title, url) for title, url in program_pages(program, generated)]
        nav_titles = {i.url: i.title for top in nav for i in top.walk() if i.url}
        book = read_book(root)
        # documents the navigation does not list but a redirect of book.toml names: mdBook
        # would not publish them, and the published site has the redirect there
        hidden = {r.url for r in book.redirects if r.url in sources_of and r.url not in nav_titles}
        redirected: set[str] = set()  # those of them that were read
        # the navigation is written once, in nav.js (and toc.html without script), never in
        # every page: its links start from the site's root (`./`), site.js re-roots them
        if env is not self._nav[0] or nav != self._nav[1]:  # (the same after most saves)
            self._nav = (env, nav, Markup(env.get_template("nav.html").render(items=nav, root="./")))
        nav_html = self._nav[2]

        repository_url = next((u for u in (config.repo_url, book.git_repository_url)
                               if u.startswith(("https://", "http://"))), "")
        # chapter HTML by URL, for print.html (a batch build keeps it on disk)
        printed: dict[str, str] | Spool = {} if sink is None else Spool()
        files = Output(sink)
        keep = sink is None  # a batch build keeps no cache for a next build
        sources: dict[str, str] = {}
        search_docs: list[SearchDoc] = []  # of the pages made from the program
        # (document, title, HTML or None when made on request): search entries
        doc_search: list[tuple[Doc, str, str | None]] = []
        later: dict[str, Callable[[], tuple[str, bytes]]] = {}  # document pages made on request
        # a batch build indexes each page as it is made, keeping neither its text nor analysis
        streamed_index = IndexBuilder(cache=False) if sink is not None else None
        rendered_count = templated = 0
        used: dict[tuple[str, str, str], Rendered] = {}
        pages: dict[str, tuple[tuple[object, ...], object, bytes]] = {}
        if env is not self._pages_env:  # templates changed: every page is made again
            self._pages, self._pages_env = {}, env
        with self._late_lock:  # what was made on request since: kept as if made by a build
            late, self._late = self._late, []
        for made_in, made_with, prep, (key, out), (url, kept_page) in late:
            self._prepared[prep[0]] = prep[1]
            if made_in == self._context:
                self._rendered[key] = out
            if made_with is env:
                self._pages[url] = kept_page

        def page_context(url: str, title: str, ctx: dict[str, Any]) -> dict[str, Any]:
            # never "": see urls.root_prefix. The 404 page is served at any depth, so its
            # links start from the site's path on its host (book.toml's site-url)
            root_prefix = urls.site_path(config.site_url) if url == urls.NOT_FOUND else (
                "../" * url.count("/") or "./")
            return dict(
                pager=neighbours(url),
                repository_url=repository_url,
                root=root_prefix,
                url=url,
                title=title,
                project=config.project_name,
                nav=Markup(f'<noscript><p><a href="{root_prefix}{urls.TOC}">Contents</a></p></noscript>'),
                **ctx,
            )

        def render(template: str, url: str, title: str, **ctx: Any) -> bytes:
            return env.get_template(template).render(page_context(url, title, ctx)).encode("utf-8")

        def stream(template: str, url: str, title: str, **ctx: Any) -> Iterator[bytes]:
            """The page in chunks of about 64 kB, never held whole."""
            buffer: list[str] = []
            size = 0
            for chunk in env.get_template(template).generate(page_context(url, title, ctx)):
                buffer.append(chunk)
                size += len(chunk)
                if size >= 1 << 16:
                    yield "".join(buffer).encode("utf-8")
                    buffer, size = [], 0
            yield "".join(buffer).encode("utf-8")

        def page(template: str, url: str, title: str, **ctx: Any) -> None:
            files[url] = render(template, url, title, **ctx)

        # documents. What directives read is their page, the configuration and their
        # milestone's listing: while those are equal, the expansion is kept (the listings and
        # configuration are compared once here, then by identity)
        listings: dict[str, Milestone] = {}
        for m in program.milestones:
            new = listing(m)
            old = self._listings.get(m.name)
            listings[m.name] = old if old is not None and old == new else new
        cfg = self._config if self._config is not None and self._config == config else config
        self._listings, self._config = listings, cfg
        prepared: dict[str, tuple[str, object, object, object, str]] = {}
        prepared_count = 0

        def page_of(d: Doc, title: str, subject: object,
                    rendered: Rendered) -> tuple[tuple[object, ...], bytes, bool]:
            """(inputs, bytes, whether templated now) of a document's page."""
            content = Markup(rendered.html)
            if d.path in report_sources:
                content += self._reports_note(d.url, report_pages)
            # a page whose inputs are unchanged is not templated again (the live preview
            # rebuilds after every save): its document, title and subject are the same
            edit_url = book.edit_url_template.replace("{path}", quote(d.path))
            inputs = (d.kind, d.url, title, config.project_name, str(content), d.milestone,
                      edit_url, repository_url, neighbours(d.url))
            kept = self._pages.get(d.url)
            if kept is not None and kept[0] == inputs and kept[1] == subject:
                return inputs, kept[2], False
            return inputs, render(f"{d.kind}.html", d.url, title, content=content,
                                  edit_url=edit_url, doc=d, goal=d.goal, roadmap=d.roadmap), True

        def on_request(d: Doc, text: str, sig: object, subject: object,
                       title: str) -> Callable[[], tuple[str, bytes]]:
            got: list[tuple[str, bytes]] = []

            def make() -> tuple[str, bytes]:  # (HTML of the document, the page)
                if not got:
                    md = prepare(program, d, text)
                    rendered = renderer.render(md, d.path, d.url, origin=text)
                    inputs, data, made_now = page_of(d, title, subject, rendered)
                    with self._late_lock:
                        self._late.append((context, env, (d.path, (text, sig, cfg, subject, md)),
                                           ((d.path, d.url, md), rendered),
                                           (d.url, (inputs, subject, data))))
                        self.prepared, self.rendered = self.prepared + 1, self.rendered + 1
                        self.templated += made_now
                    got.append((rendered.html, data))
                return got[0]

            return make

        # pages made from the program: all at once, on first access to any of them
        made: dict[str, bytes] = {}
        done: list[bool] = []

        def program_files() -> dict[str, bytes]:
            if not done:
                generated_pages(program, generated, teams,
                                lambda t, u, title, **c: made.__setitem__(u, render(t, u, title, **c)),
                                search_docs)
                done.append(True)
            return made

        def title_of(d: Doc) -> str:
            if d.kind == "page" and d.url in nav_titles:
                return nav_titles[d.url]  # as mdBook does: SUMMARY.md names the pages
            return d.title or nav_titles.get(d.url) or posixpath.basename(d.path)

        def made_in_batch(d: Doc) -> tuple[Rendered, object, SearchDoc | None,
                                           Analysis | None] | None:
            """A batch build's work on one document, in whichever process makes it: its HTML,
            page (its bytes, or the `stager`'s token; None for a page a redirect replaces),
            search entry and its analysis; None if the document cannot be read."""
            text = read_document(root, d.path)
            if text is None:
                return None
            rendered = renderer.render(prepare(program, d, text), d.path, d.url, origin=text)
            if d.url in hidden:
                return rendered, None, None, None
            title = title_of(d)
            data = page_of(d, title, d.goal or d.roadmap or d.page, rendered)[1]
            staged = stager.stage(d.url, data) if stager is not None else None
            entry = search_doc(program, d, title, rendered.html)
            return rendered, data if staged is None else staged, entry, analyse(entry)

        # a batch build makes its documents' pages on every core it may use (a fresh builder
        # has nothing cached): see goalkeeper.parallel. The results come in the documents'
        # order; last, the pages made from the program, by whichever process is free first.
        batch: Generator[Any, None, None] | None = None
        if not keep and not self._prepared and not self._rendered:
            for kind in sorted({d.kind for d in docs}):
                env.get_template(f"{kind}.html")  # compiled once, before the workers part
            if stager is not None:
                stager.prepare(d.url for d in docs if d.url not in hidden)
            batch = forked_map(lambda d: made_in_batch(d) if d is not None else
                               (program_files(), search_docs), [*docs, None])
        try:
            for d in docs:
                if batch is not None:
                    got = next(batch)
                    if got is None:
                        continue
                    ready, data, entry, analysis = got
                    prepared_count, rendered_count = prepared_count + 1, rendered_count + 1
                    problems.extend(ready.problems)
                    if data is None or entry is None or streamed_index is None:
                        redirected.add(d.url)  # a redirect takes its place (below)
                        continue
                    if isinstance(data, bytes):
                        files[d.url] = data
                    else:
                        assert stager is not None
                        stager.adopt(data)
                        files.handed(d.url)
                    templated += 1
                    sources[d.url] = d.path
                    printed[d.url] = ready.html
                    streamed_index.add(entry, analysis)
                    continue
                text = self._texts.read(root, d.path) if keep else read_document(root, d.path)
                if text is None:
                    continue
                sig = listings.get(d.milestone) if reads_listing(d, text) else None
                subject = d.goal or d.roadmap or d.page
                title = title_of(d)
                was = self._prepared.get(d.path)
                if (was is not None and was[0] == text and was[1] is sig and was[2] is cfg
                        and was[3] == subject):
                    md = was[4]
                elif self.lazy and keep and was is not None and was[0] == text and d.url not in hidden:
                    # not the saved document, but what its directives list changed: its page is
                    # made when asked for, so the saved page is not kept waiting (see `lazy`)
                    later[d.url] = on_request(d, text, sig, subject, title)
                    prepared[d.path] = was  # (so the next build makes it on request too)
                    if d.url in self._pages:
                        pages[d.url] = self._pages[d.url]
                    sources[d.url] = d.path
                    doc_search.append((d, title, None))
                    continue
                else:
                    md = prepare(program, d, text)
                    prepared_count += 1
                if keep:
                    prepared[d.path] = (text, sig, cfg, subject, md)
                key = (d.path, d.url, md)
                rendered = self._rendered.get(key)
                if rendered is None:
                    rendered = renderer.render(md, d.path, d.url, origin=text)
                    rendered_count += 1
                if keep:
                    used[key] = rendered
                problems.extend(rendered.problems)
                if d.url in hidden:
                    redirected.add(d.url)  # a redirect takes its place (below)
                    continue
                inputs, data, made_now = page_of(d, title, subject, rendered)
                files[d.url] = data
                templated += made_now
                if keep:
                    pages[d.url] = (inputs, subject, data)
                sources[d.url] = d.path
                printed[d.url] = rendered.html
                if streamed_index is not None:
                    streamed_index.add(search_doc(program, d, title, rendered.html))
                else:
                    doc_search.append((d, title, rendered.html))
            if batch is not None:
                program_made, program_entries = next(batch)
                if not done:  # (made by a worker): as if made here
                    made.update(program_made)
                    search_docs.extend(program_entries)
                    done.append(True)
        finally:
            if batch is not None:  # (a build that gave up: its workers stop staging pages)
                batch.close()
        self._rendered = used
        self.rendered = rendered_count
        self._prepared, self.prepared = prepared, prepared_count
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

        # the pages made from the program (see program_files) and the print page: made when
        # first asked for (see `lazy`)
        reported = {rp.url for rp in report_pages}
        def program_file(url: str) -> Callable[[], bytes]:
            return lambda: program_files()[url]

        def document_page(url: str) -> Callable[[], bytes]:
            return lambda: later[url]()[1]

        deferred = {u: program_file(u) for u in generated
                    if u not in (urls.PRINT, urls.TOC) and u not in reported}
        deferred.update({u: document_page(u) for u in later})
        if urls.PRINT in generated:
            def chapters() -> Iterator[tuple[str, str, Markup]]:
                for u, make in later.items():
                    printed[u] = make()[0]
                in_print = frozenset(u for u, _ in order if u in printed)
                return ((chapter_id(u), t, Markup(print_chapter(u, printed[u], in_print)))
                        for u, t in order if u in in_print)

            if sink is None:
                deferred[urls.PRINT] = lambda: render("print.html", urls.PRINT, "Print",
                                                      chapters=list(chapters()))
        if urls.TOC in generated:
            deferred[urls.TOC] = lambda: render("toc.html", urls.TOC, "Contents", toc=nav_html)
        files[urls.NAV_SCRIPT] = nav_script(nav_html, book.fold_enable, book.fold_level).encode()

        # redirect pages for old URLs (book.toml's [output.html.redirect])
        problems.extend(book.problems)
        for r in book.redirects:
            if r.url in redirected and r.url not in files:
                pass  # a document the navigation does not list (see `hidden`)
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
            if url not in deferred and url not in files:
                files[url] = data
        for name, data in static_files(root).items():
            files[f"{urls.STATIC}/{name}"] = data
        if not self.lazy:  # (a broken template override fails the build, not the writing)
            for url in list(deferred):
                files[url] = deferred.pop(url)()
        if isinstance(printed, Spool):  # a batch build: print.html chapter by chapter
            if urls.PRINT in generated:
                files[urls.PRINT] = stream("print.html", urls.PRINT, "Print", chapters=chapters())
            printed.close()

        def search_index() -> bytes:
            program_files()  # (their search entries)
            if streamed_index is not None:
                for entry in search_docs:
                    streamed_index.add(entry)
                return streamed_index.script().encode("utf-8")
            entries = [search_doc(program, d, t, later[d.url]()[0] if h is None else h)
                       for d, t, h in doc_search]
            return index_script([*entries, *search_docs]).encode("utf-8")

        deferred[urls.SEARCH_INDEX] = search_index
        unique = tuple(dict.fromkeys(problems))
        if sink is not None:
            files[urls.SEARCH_INDEX] = search_index()
            return Site(files=Files({}, {}), sources=sources, problems=unique)
        return Site(files=Files(files.kept, deferred), sources=sources, problems=unique)

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
