"""`goalkeeper serve`: the site, built in memory in a loop, served with live reload and a JSON API.

:class:`Preview` is the whole server. It builds the site with the same
:class:`~goalkeeper.site.build.SiteBuilder` as `goalkeeper build` (keeping its caches and a
:class:`~goalkeeper.loader.ParseCache`, so a saved change re-parses and re-renders only what it
touches), watches the repository (:mod:`.watch`), and serves the latest build from memory:

- pages get a small script that listens on `/__goalkeeper/events` (server-sent events) and
  reloads when a newer build exists;
- a page whose document has diagnostics shows them at the top, and a build that fails (an
  unusable `goalkeeper.toml`, a broken template override) keeps the last good site and shows
  the error on every page, so the server never dies on a bad save;
- `/api/...` answers the read-only JSON API of :mod:`goalkeeper.site.api`;
- only GET and HEAD are allowed, and a path with a `..` segment in any encoding is refused.
  Files come from the in-memory build, never from the disk by path.

Library code: it reports through the `log` callback and never prints.
"""

from __future__ import annotations

import gc
import html
import json
import mimetypes
import posixpath
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..diagnostics import Diagnostic, format_text
from ..errors import GoalkeeperError
from ..loader import ParseCache, load
from ..model import Program
from . import api, urls
from .assets import TEMPLATE_DIR
from .build import Site, SiteBuilder
from .watch import Watcher

EVENTS = "/__goalkeeper/events"
LIVE_JS = "/__goalkeeper/live.js"
POLL_SECONDS = 0.05

_LIVE_SCRIPT = """(function () {
  "use strict";
  var me = document.currentScript;
  var since = me ? me.getAttribute("data-build") : "";
  var source = new EventSource("/__goalkeeper/events?since=" + encodeURIComponent(since));
  source.addEventListener("reload", function () { source.close(); window.location.reload(); });
})();
"""


@dataclass(frozen=True, slots=True)
class BuildState:
    program: Program | None
    site: Site | None
    error: str  # the last build's failure ("" when it succeeded)
    token: str  # changes whenever what the pages show changes
    seconds: float


class Preview:
    """The preview server. Use :meth:`serve_forever` (blocking, stops on Ctrl-C) or, in tests,
    :meth:`start` and :meth:`close` (or `with Preview(...) as p:`)."""

    def __init__(
        self,
        root: Path,
        *,
        teams: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        poll: float = POLL_SECONDS,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.root = root
        self.teams = teams
        self.poll = poll
        self.log = log or (lambda _msg: None)
        self._cache = ParseCache()
        self._builder = SiteBuilder(lazy=True)
        self._cond = threading.Condition()
        self._instance = uuid.uuid4().hex[:8]
        self._generation = 0
        self._closing = threading.Event()
        self._state = BuildState(None, None, "", "", 0.0)
        self._threads: list[threading.Thread] = []
        self._serving = False
        started = time.time_ns()
        self.rebuild()
        if self._state.program is None:  # the first build failed: nothing to serve
            raise GoalkeeperError(self._state.error.strip().splitlines()[-1] if self._state.error
                                  else "the first build failed")
        self._httpd = _Server((host, port), _handler(self))
        self._watcher = Watcher(root, self._watched())
        if self._watcher.changed_since(started):  # saved while the first build ran
            self.rebuild()

    # ------------------------------------------------------------------ building

    @property
    def state(self) -> BuildState:
        with self._cond:
            return self._state

    @property
    def address(self) -> str:
        host, port = self._httpd.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/"

    def _watched(self) -> list[Path]:
        program = self._state.program
        source = program.config.source_dir if program else self.root / "src"
        out = [source, self.root / TEMPLATE_DIR]
        teams = program.config.teams_path if program else None
        if teams is not None:  # the team data's teams and people, not the rest of its checkout
            out += ([teams / "teams", teams / "people"] if (teams / "teams").is_dir()
                    else [teams, teams.parent / "people"])
        return out

    def rebuild(self, changed: Iterable[str] = ()) -> BuildState:
        """Load and build again (re-using what is unchanged); publish the result."""
        t0 = time.perf_counter()
        old = self._state
        program, site, error = old.program, old.site, ""
        try:
            program = load(self.root, teams=self.teams, cache=self._cache)
            site = self._builder.build(program)
        except GoalkeeperError as e:
            error = str(e)
        except Exception:  # a bug or a broken template override: keep serving, show it
            error = traceback.format_exc(limit=8)
        seconds = time.perf_counter() - t0
        same = (
            old.site is not None and site is not None and error == old.error
            and site.files.same_as(old.site.files)
            and program is not None and old.program is not None
            # the pages made on request (the dashboard, teams...) read the program and the
            # templates: when either changed, open pages reload too
            and program == old.program and not self._builder.templates_changed
        )
        with self._cond:
            if not same:
                self._generation += 1
            token = f"{self._instance}-{self._generation}"
            self._state = BuildState(program, site, error, token, seconds)
            self._cond.notify_all()
        if error:
            self.log(f"build failed, still serving the last good site: {error.strip().splitlines()[-1]}")
        elif changed:
            n = len(set(changed))
            what = "no change to the site" if same else "reloading open pages"
            self.log(f"rebuilt in {seconds:.2f} s after {n} changed file{'s' * (n != 1)}: {what}")
        return self._state

    def _watch(self) -> None:
        while not self._closing.is_set():
            self._watcher.wait(self.poll)  # a save wakes it at once where inotify works
            if self._closing.is_set():
                return
            changed = self._watcher.changes()
            if changed:
                self.rebuild(changed)

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        """Serve and watch in background threads (returns at once)."""
        self._start_watcher()
        t = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                             name="goalkeeper-http", daemon=True)
        self._serving = True
        t.start()
        self._threads.append(t)

    def serve_forever(self) -> None:
        """Serve until interrupted (Ctrl-C raises KeyboardInterrupt here); then clean up."""
        self._start_watcher()
        self._serving = True
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self.close()

    def _start_watcher(self) -> None:
        # what the first build made lives as long as the server: out of the garbage
        # collector's sight, a full collection no longer walks it during a rebuild (30 ms on
        # the rust-lang repository, one save in five). Undone by close().
        gc.collect()
        gc.freeze()
        t = threading.Thread(target=self._watch, name="goalkeeper-watch", daemon=True)
        t.start()
        self._threads.append(t)

    def close(self) -> None:
        """Stop watching and serving; open event streams end."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._watcher.interrupt()
        with self._cond:
            self._cond.notify_all()
        if self._serving:
            self._httpd.shutdown()
        self._httpd.server_close()
        for t in self._threads:
            t.join(timeout=2)
        self._watcher.close()
        gc.unfreeze()

    def __enter__(self) -> Preview:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ event stream

    def wait_for_change(self, since: str, timeout: float) -> str:
        """Block until the build token differs from `since` (or timeout/closing); return it."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._state.token == since and not self._closing.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return self._state.token

    @property
    def closing(self) -> bool:
        return self._closing.is_set()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a browser or client that went away (a reset keep-alive connection)
        super().handle_error(request, client_address)


def is_traversal(raw_path: str) -> bool:
    """True when a request path has a `..` segment, raw or percent-encoded (once or twice), with
    `/` or `\\` separators, or a NUL byte."""
    forms = [raw_path]
    for _ in range(2):
        forms.append(unquote(forms[-1]))
    for f in forms:
        if "\x00" in f:
            return True
        if any(seg.strip() == ".." for seg in f.replace("\\", "/").split("/")):
            return True
    return False


def source_candidates(url: str, source: str) -> list[str]:
    """The documents (root-relative) that would be shown at `url`."""
    base = url[:-5] if url.endswith(".html") else url
    src = "" if source.strip("/") in ("", ".") else source.strip("/") + "/"
    out = [f"{src}{base}.md"]
    if posixpath.basename(base) == "index":
        out.append(f"{src}{posixpath.dirname(base) + '/' if posixpath.dirname(base) else ''}README.md")
    return out


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "goalkeeper"
        sys_version = ""
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return  # requests are not logged; build results are

        # -------------------------------------------------------------- methods

        def do_GET(self) -> None:
            self._dispatch(head=False)

        def do_HEAD(self) -> None:
            self._dispatch(head=True)

        def _refuse(self) -> None:
            self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"read-only: only GET and HEAD\n",
                       "text/plain; charset=utf-8", extra={"Allow": "GET, HEAD"})

        do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

        # -------------------------------------------------------------- routing

        def _dispatch(self, *, head: bool) -> None:
            parts = urlsplit(self.path)
            raw = parts.path
            if not raw.startswith("/") or is_traversal(raw):
                self._send(HTTPStatus.BAD_REQUEST, b"path refused\n", "text/plain; charset=utf-8",
                           head=head)
                return
            path = unquote(raw)
            if path == EVENTS:
                since = parse_qs(parts.query).get("since", [""])[0]
                self._events(since)
            elif path == LIVE_JS:
                self._send(HTTPStatus.OK, _LIVE_SCRIPT.encode(), "text/javascript; charset=utf-8",
                           head=head)
            elif path.startswith(api.PREFIX) or path == api.PREFIX.rstrip("/"):
                self._api(path, head=head)
            else:
                self._page(path, head=head)

        def _api(self, path: str, *, head: bool) -> None:
            state = preview.state
            if state.program is None:
                status, body = 503, {"error": state.error or "not built yet"}
            else:
                status, body = api.answer(state.program, path)
            data = json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
            self._send(HTTPStatus(status), data, "application/json; charset=utf-8", head=head)

        def _page(self, path: str, *, head: bool) -> None:
            state = preview.state
            site = state.site
            if site is None:
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"not built yet\n", "text/plain", head=head)
                return
            prefix = urls.site_path(state.program.config.site_url) if state.program else "/"
            if prefix != "/" and path.startswith(prefix):
                path = "/" + path[len(prefix):]  # the site's path on its host (the 404 page's links)
            key = path.lstrip("/")
            if key == "" or key.endswith("/"):
                key += "index.html"
            try:
                data = site.files.get(key)  # (the pages made on request may fail)
            except Exception:
                error = traceback.format_exc(limit=8)
                page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Error</title>"
                        "</head><body>" + _banner("This page could not be made.", [error])
                        + "</body></html>")
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, self._decorate(
                    page.encode("utf-8"), key, state, False), "text/html; charset=utf-8", head=head)
                return
            status = HTTPStatus.OK
            if data is None and f"{key}/index.html" in site.files:
                self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain",
                           extra={"Location": f"/{key}/"}, head=head)
                return
            if data is None:
                status = HTTPStatus.NOT_FOUND
                data = site.files.get("404.html", b"<!DOCTYPE html><title>Not found</title><body></body>")
                ctype = "text/html; charset=utf-8"
            else:
                ctype = _content_type(key)
            if ctype.startswith("text/html"):
                data = self._decorate(data, key, state, status == HTTPStatus.NOT_FOUND)
            self._send(status, data, ctype, head=head)

        def _decorate(self, data: bytes, url: str, state: BuildState, missing: bool) -> bytes:
            """Add the live-reload script, and the build error or this page's diagnostics."""
            page = data.decode("utf-8")
            banner = ""
            if state.error:
                banner += _banner("The last build failed; this is the last good version.",
                                  [state.error])
            program = state.program
            if program is not None and state.site is not None:
                src = state.site.sources.get(url)
                paths = [src] if src else source_candidates(url, program.config.source) if missing else []
                diags = [d for d in program.diagnostics if d.span.path in paths]
                if diags:
                    banner += _diagnostics_banner(diags)
            if banner:
                if 'id="content">' in page:
                    page = page.replace('id="content">', 'id="content">\n' + banner, 1)
                else:  # an overridden template without the usual main element
                    at = page.find(">", page.find("<body")) + 1 if "<body" in page else 0
                    page = page[:at] + banner + page[at:]
            script = f'<script src="{LIVE_JS}" data-build="{html.escape(state.token)}"></script>'
            if "</body>" in page:
                page = page.replace("</body>", script + "\n</body>", 1)
            else:
                page += script
            return page.encode("utf-8")

        def _events(self, since: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Accel-Buffering", "no")
            self.end_headers()
            self.close_connection = True
            try:
                self.wfile.write(b"retry: 300\n\n")
                self.wfile.flush()
                last_ping = time.monotonic()
                while not preview.closing:
                    token = preview.wait_for_change(since, timeout=1.0)
                    if token != since:
                        self.wfile.write(f"event: reload\ndata: {token}\n\n".encode())
                        self.wfile.flush()
                        return
                    if time.monotonic() - last_ping > 15:
                        self.wfile.write(b": ping\n\n")
                        self.wfile.flush()
                        last_ping = time.monotonic()
            except (BrokenPipeError, ConnectionResetError):
                return

        def _send(
            self,
            status: HTTPStatus,
            data: bytes,
            ctype: str,
            *,
            head: bool = False,
            extra: dict[str, str] | None = None,
        ) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("X-Content-Type-Options", "nosniff")
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                if not head:
                    self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


def _content_type(path: str) -> str:
    ext = posixpath.splitext(path)[1].lower()
    known = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
             ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
             ".txt": "text/plain; charset=utf-8"}
    if ext in known:
        return known[ext]
    guess, _ = mimetypes.guess_type(path)
    return guess or "application/octet-stream"


def _banner(title: str, lines: list[str]) -> str:
    body = html.escape("\n".join(lines))
    return (f'<div class="diagnostics" role="alert"><strong>{html.escape(title)}</strong>'
            f"<pre>{body}</pre></div>\n")


def _diagnostics_banner(diags: list[Diagnostic]) -> str:
    n = len(diags)
    errors = sum(1 for d in diags if d.severity == "error")
    title = (f"{n} problem{'s' * (n != 1)} in {diags[0].span.path}"
             f" ({errors} error{'s' * (errors != 1)}): the page may be incomplete until they are fixed.")
    return _banner(title, [format_text(d) for d in diags])
