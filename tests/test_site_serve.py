"""`goalkeeper serve`: path traversal refused, the JSON API, live reload and diagnostics."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from goalkeeper.errors import GoalkeeperError
from goalkeeper.site.serve import Preview, is_traversal, source_candidates

from .conftest import EXAMPLE


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dst = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, dst)
    return dst


@pytest.fixture
def preview(root: Path) -> Iterator[Preview]:
    """A preview of a copy of the example that the test may edit."""
    p = Preview(root, port=0, poll=0.02)
    p.start()
    yield p
    p.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One preview for the tests that only read."""
    dst = tmp_path_factory.mktemp("serve") / "ferrite"
    shutil.copytree(EXAMPLE, dst)
    p = Preview(dst, port=0, poll=0.02)
    p.start()
    yield p
    p.close()


def request(p: Preview, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Send `path` exactly as given (http.client does not normalize `..`)."""
    host, port = p.address.removeprefix("http://").rstrip("/").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def wait_until(cond: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(cond) and cond():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


TRAVERSALS = [
    "/../pyproject.toml",
    "/../../../../etc/passwd",
    "/static/../../goalkeeper.toml",
    "/2026/../../src/2026/kernel-target.md",
    "/%2e%2e/goalkeeper.toml",
    "/%2E%2E/%2E%2E/etc/passwd",
    "/..%2fgoalkeeper.toml",
    "/static/..%2F..%2Fgoalkeeper.toml",
    "/%2e%2e%2fgoalkeeper.toml",
    "/%252e%252e/goalkeeper.toml",
    "/%252e%252e%252fgoalkeeper.toml",
    "/..\\goalkeeper.toml",
    "/..%5cgoalkeeper.toml",
    "/static/%2e%2e%5c%2e%2e%5cgoalkeeper.toml",
    "/index.html%00.css",
    "/api/goals/..%2f..%2fgoalkeeper.toml",
    "/api/../../goalkeeper.toml",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_refused(shared: Preview, path: str) -> None:
    status, _, body = request(shared, path)
    assert status == 400, path
    assert b"[project]" not in body and b"root:" not in body


@pytest.mark.parametrize("path", ["/2026/kernel-target.html", "/static/style.css", "/%32026/x", "/a..b.html"])
def test_ordinary_paths_are_not_mistaken_for_traversal(path: str) -> None:
    assert not is_traversal(path)


def test_files_come_from_the_build_not_the_disk(preview: Preview, root: Path) -> None:
    assert request(preview, "/goalkeeper.toml")[0] == 404
    assert request(preview, "/src/2026/kernel-target.md")[0] == 404
    (root / "src" / "secret.txt").write_text("not for the web\n")
    status, _, body = request(preview, "/2026/kernel-target.html")
    assert status == 200 and b"Ferrite for Kernels" in body


def test_pages_assets_and_redirects(shared: Preview) -> None:
    status, headers, body = request(shared, "/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert b"/__goalkeeper/live.js" in body
    assert request(shared, "/static/style.css")[1]["content-type"].startswith("text/css")
    assert request(shared, "/search-index.js")[2].startswith(b"window.goalkeeperSearch=")
    status, headers, _ = request(shared, "/2026")
    assert status == 301 and headers["location"] == "/2026/"
    assert request(shared, "/2026/")[0] == 200
    status, _, body = request(shared, "/no-such-page.html")
    assert status == 404 and b"Page not found" in body
    status, headers, body = request(shared, "/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_read_only(shared: Preview, method: str) -> None:
    status, headers, _ = request(shared, "/api/goals", method=method)
    assert status == 405 and headers["allow"] == "GET, HEAD"


def test_binds_localhost_by_default(root: Path) -> None:
    with Preview(root, port=0) as p:
        assert p.address.startswith("http://127.0.0.1:")


def api(p: Preview, path: str) -> tuple[int, object]:
    status, headers, body = request(p, path)
    assert headers["content-type"] == "application/json; charset=utf-8"
    return status, json.loads(body)


def test_api_goals(shared: Preview) -> None:
    status, goals = api(shared, "/api/goals")
    assert status == 200 and isinstance(goals, list) and len(goals) == 13
    kt = next(g for g in goals if g["slug"] == "kernel-target")
    assert kt["milestone"] == "2026" and kt["url"] == "2026/kernel-target.html"
    assert kt["teams"] == ["compiler", "lang", "infra"] or set(kt["teams"]) == {"compiler", "lang", "infra"}
    status, one = api(shared, "/api/goals/2026/kernel-target")
    assert status == 200 and one == kt
    status, err = api(shared, "/api/goals/2026/nope")
    assert status == 404 and "nope" in err["error"]


def test_api_teams_and_roadmaps(shared: Preview) -> None:
    status, team = api(shared, "/api/teams/lang")
    assert status == 200 and isinstance(team, dict)
    assert team["display_name"] == "Language team" and team["leads"] == ["ana-k"]
    assert {g["slug"] for g in team["goals"]} >= {"kernel-target", "pattern-types"}
    assert api(shared, "/api/teams/LANG")[1] == team
    assert api(shared, "/api/teams/nobody")[0] == 404
    status, roadmaps = api(shared, "/api/roadmaps")
    assert status == 200 and isinstance(roadmaps, list)
    assert {r["slug"] for r in roadmaps} == {"ferrite-for-kernels", "plays-well-with-others",
                                            "trusted-supply-chain"}
    kernels = next(r for r in roadmaps if r["slug"] == "ferrite-for-kernels")
    assert "kernel-target" in kernels["goals"] and kernels["url"] == "2026/roadmap-ferrite-for-kernels.html"
    assert api(shared, "/api/nothing")[0] == 404


def test_openapi_describes_every_endpoint(shared: Preview) -> None:
    status, doc = api(shared, "/api/openapi.json")
    assert status == 200 and isinstance(doc, dict)
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {"/api/goals", "/api/goals/{milestone}/{slug}", "/api/teams/{team}",
                                 "/api/roadmaps", "/api/openapi.json"}
    refs = re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(doc))
    assert refs and set(refs) <= set(doc["components"]["schemas"])
    # every documented property of a goal is in the answer, and vice versa
    _, goals = api(shared, "/api/goals")
    assert set(doc["components"]["schemas"]["Goal"]["properties"]) == set(goals[0])
    _, team = api(shared, "/api/teams/lang")
    assert set(doc["components"]["schemas"]["Team"]["properties"]) == set(team)


def listen_for_reload(p: Preview, since: str, out: dict[str, float]) -> threading.Thread:
    host, port = p.address.removeprefix("http://").rstrip("/").rsplit(":", 1)

    def run() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", f"/__goalkeeper/events?since={since}")
        r = conn.getresponse()
        assert r.getheader("Content-Type") == "text/event-stream"
        buf = b""
        while b"event: reload" not in buf:
            line = r.fp.readline()
            if not line:
                break
            buf += line
        out["at"] = time.perf_counter()
        conn.close()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_saved_change_reloads_pages_and_reparses_only_that_file(preview: Preview, root: Path) -> None:
    token = preview.state.token
    parsed = preview._cache.parsed
    out: dict[str, float] = {}
    t = listen_for_reload(preview, token, out)
    time.sleep(0.1)
    goal = root / "src/2026/kernel-target.md"
    t0 = time.perf_counter()
    goal.write_text(goal.read_text().replace("# Ferrite for Kernels: freestanding kernel targets",
                                             "# Kernels, freshly edited", 1))
    t.join(timeout=5)
    assert "at" in out, "no reload event"
    assert out["at"] - t0 < 1.0
    assert preview._cache.parsed == parsed + 1
    assert b"Kernels, freshly edited" in request(preview, "/2026/kernel-target.html")[2]


def test_a_stale_page_reloads_at_once(shared: Preview) -> None:
    out: dict[str, float] = {}
    listen_for_reload(shared, "an-old-build", out).join(timeout=5)
    assert "at" in out


def test_unchanged_bytes_do_not_reload(preview: Preview, root: Path) -> None:
    token = preview.state.token
    goal = root / "src/2026/kernel-target.md"
    goal.write_text(goal.read_text())  # touched, same content
    time.sleep(0.3)
    assert preview.state.token == token


def test_a_broken_document_shows_its_diagnostics_in_its_page(preview: Preview, root: Path) -> None:
    goal = root / "src/2026/kernel-target.md"
    goal.write_text(goal.read_text().replace("| Status              | Accepted", "| Status | Acepted", 1))
    wait_until(lambda: b"unknown-status" in request(preview, "/2026/kernel-target.html")[2])
    body = request(preview, "/2026/kernel-target.html")[2].decode()
    assert 'class="diagnostics"' in body and "src/2026/kernel-target.md" in body
    assert b'class="diagnostics"' not in request(preview, "/2026/pattern-types.html")[2]
    # a document that is no longer readable at all: its URL says why
    goal.write_bytes(b"\xff\xfe not utf-8")
    wait_until(lambda: request(preview, "/2026/kernel-target.html")[0] == 404)
    body = request(preview, "/2026/kernel-target.html")[2].decode()
    assert "not-utf8" in body


def test_a_failed_build_keeps_the_last_good_site(preview: Preview, root: Path) -> None:
    config = root / "goalkeeper.toml"
    good = config.read_text()
    config.write_text("[project\nname = ")
    wait_until(lambda: preview.state.error != "")
    status, _, body = request(preview, "/2026/kernel-target.html")
    assert status == 200 and b"The last build failed" in body and b"invalid TOML" in body
    assert request(preview, "/api/goals")[0] == 200
    config.write_text(good)
    wait_until(lambda: preview.state.error == "")
    assert b"The last build failed" not in request(preview, "/2026/kernel-target.html")[2]


def test_a_broken_template_override_is_shown_not_fatal(preview: Preview, root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "goal.html").write_text("{% extends 'base.html' %}{% block content %}{{ }")
    wait_until(lambda: preview.state.error != "")
    status, _, body = request(preview, "/2026/kernel-target.html")
    assert status == 200 and b"TemplateSyntaxError" in body


def test_missing_root_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GoalkeeperError):
        Preview(tmp_path / "nowhere", port=0)


def test_source_candidates() -> None:
    assert source_candidates("2026/x.html", "src") == ["src/2026/x.md"]
    assert source_candidates("2026/index.html", "src") == ["src/2026/index.md", "src/2026/README.md"]
    assert source_candidates("index.html", ".") == ["index.md", "README.md"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_cli_serve_stops_cleanly(root: Path, sig: signal.Signals) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "goalkeeper", "serve", str(root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.match(r"serving .* at (http://127\.0\.0\.1:(\d+)/) \(Ctrl-C to stop\)$", line.strip())
        assert m, line
        conn = http.client.HTTPConnection("127.0.0.1", int(m[2]), timeout=10)
        conn.request("GET", "/api/roadmaps")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
        assert "stopped" in err and "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
