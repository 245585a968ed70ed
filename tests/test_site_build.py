"""`goalkeeper build`: the site of the bundled example and of the real repository."""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main
from goalkeeper.site import Site, SiteBuilder, build_site, write_site
from goalkeeper.site.search import FIELDS, STORE, SearchDoc, build_index, tokenize

from .conftest import EXAMPLE, write_tree

HREF = re.compile(r'(?:href|src)="([^"]*)"')
IDS = re.compile(r'\sid="([^"]*)"')


@pytest.fixture(scope="module")
def ferrite() -> Site:
    return build_site(goalkeeper.load(EXAMPLE))


def page(site: Site, url: str) -> str:
    return site.files[url].decode("utf-8")


def toc(site: Site) -> str:
    """The navigation, as toc.html shows it (nav.js holds the same HTML)."""
    html = page(site, "toc.html")
    return html[html.index('<nav class="toc"'): html.index("</nav>", html.index('<nav class="toc"'))]


def internal_links(site: Site) -> list[tuple[str, str, str]]:
    """(page, target URL, fragment) for every relative link or resource of every page."""
    out = []
    # the 404 page links from the site's path on its host (`/goals/`)
    prefix = re.findall(r'href="([^"]*)static/style.css"', page(site, "404.html"))[0]
    for url in site.files:
        if not url.endswith(".html"):
            continue
        for href in HREF.findall(page(site, url)):
            if not href or re.match(r"^[a-z][a-z0-9+.-]*:|^//", href, re.I):
                continue
            path, _, fragment = href.partition("#")
            if url == "404.html" and path:
                assert path.startswith(prefix) and prefix.startswith("/"), href
                path = "./" + path[len(prefix):]
            target = posixpath.normpath(posixpath.join(posixpath.dirname(url), path)) if path else url
            out.append((url, target, fragment))
    return out


def test_urls_of_the_published_site(ferrite: Site) -> None:
    program = goalkeeper.load(EXAMPLE)
    for g in program.goals:
        assert f"{g.milestone}/{g.slug}.html" in ferrite.files
    for r in program.roadmaps:
        assert f"{r.milestone}/roadmap-{r.slug}.html" in ferrite.files
    for url in ("index.html", "2026/index.html", "2025h2/index.html", "2026/goals.html",
                "2026/highlights.html", "2026/not_accepted.html", "dashboard.html", "search.html",
                "teams/index.html", "teams/lang.html", "champions.html", "highlights.html",
                "areas.html", "not-accepted.html", "404.html", "search-index.js",
                "static/style.css", "static/site.js", "static/minisearch.js", "static/NOTICE"):
        assert url in ferrite.files, url
    assert "SUMMARY.html" not in ferrite.files
    assert ferrite.sources["2026/kernel-target.html"] == "src/2026/kernel-target.md"


def test_every_internal_link_resolves(ferrite: Site) -> None:
    ids = {u: set(IDS.findall(page(ferrite, u))) for u in ferrite.files if u.endswith(".html")}
    broken = [(p, t) for p, t, _ in internal_links(ferrite) if t not in ferrite.files]
    assert broken == []
    missing_anchor = [
        (p, t, f) for p, t, f in internal_links(ferrite) if f and t in ids and f not in ids[t]
    ]
    assert missing_anchor == []
    assert ferrite.problems == ()
    assert all("file://" not in page(ferrite, u) and 'href="/' not in page(ferrite, u)
               for u in ferrite.files if u.endswith(".html") and u != "404.html")


def test_goal_page_has_injected_rows_and_the_document(ferrite: Site) -> None:
    html = page(ferrite, "2026/kernel-target.html")
    table = html[html.index("<table>"): html.index("</table>")]
    rows = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>", table, re.S)
    assert [re.sub("<[^>]+>", "", r) for r in rows][-2:] == ["Teams", "Task owners"]
    assert 'href="../teams/compiler.html"' in table and 'href="../teams/infra.html"' in table
    assert ">Rosa Marín</a>" in table  # task owners, with their names
    assert html.index("Task owners") < html.index('id="summary"')
    assert "<title>Ferrite for Kernels: freestanding kernel targets · Ferrite</title>" in html


def test_roadmap_page_gets_task_owners(ferrite: Site) -> None:
    html = page(ferrite, "2026/roadmap-ferrite-for-kernels.html")
    assert re.search(r"<td[^>]*>Task owners</td>\s*<td>.*Rosa Marín", html)


def test_navigation_follows_summary_md(ferrite: Site) -> None:
    nav = toc(ferrite)
    titles = re.findall(r'<a href="[^"]*"[^>]*>([^<]*)</a>', nav)
    # the program's pages first, then SUMMARY.md's entries
    assert titles[:3] == ["Dashboard", "Goals by team", "Champions"]
    start = titles.index("👋 Introduction")
    assert titles[start:start + 4] == ["👋 Introduction", "Overview", "Highlights", "Roadmaps"]
    assert "⏳ 2026 goal process" in nav
    # written once for the site (nav.js, and toc.html without script), not in every page
    assert "Stabilize pattern types" not in page(ferrite, "index.html")
    script = ferrite.files["nav.js"].decode()
    assert script.startswith("window.goalkeeperNav=") and "Stabilize pattern types" in script
    assert "<" not in script  # nothing in it can close a script element
    # pages at depth 1 link back with ../
    assert 'href="../dashboard.html"' in page(ferrite, "2026/kernel-target.html")


def test_directives_are_expanded_on_milestone_pages(ferrite: Site) -> None:
    # the expander belongs to goalkeeper.render.directives; the site must call it
    from goalkeeper.render.directives import expand

    program = goalkeeper.load(EXAMPLE)
    text = (EXAMPLE / "src/2026/goals.md").read_text()
    if expand(program, "src/2026/goals.md", text) == text:
        pytest.skip("the directive expander is still a pass-through")
    assert "(((GOALS)))" not in page(ferrite, "2026/goals.html")


def test_generated_pages(ferrite: Site) -> None:
    team = page(ferrite, "teams/lang.html")
    assert "Language team" in team and "Stabilize pattern types" in team
    assert "Ana Kovač" in team  # the lead
    champions = page(ferrite, "champions.html")
    assert "Borislav Dimov" in champions
    assert "Kernel-ready Ferrite" in page(ferrite, "highlights.html")
    areas = page(ferrite, "areas.html")
    assert "Safety-critical &amp; regulated" in areas and "Trusted supply chain" in areas
    assert "Green threads" in page(ferrite, "not-accepted.html")


def test_dashboard_has_charts_and_no_fake_progress(ferrite: Site) -> None:
    html = page(ferrite, "dashboard.html")
    # drawn in the browser from the numbers in the page; each chart's numbers are in a table
    assert html.count("data-chart=") == 4  # statuses, team load per milestone, minutes per month
    assert 'data-title="Goals per status and milestone"' in html
    assert "<script" not in html.split('<main')[1].split("</main>")[0]
    main = html.split('<main')[1].split("</main>")[0]
    assert main.count("<table") >= 4 and "<th>Month</th>" in main
    assert "No tracking data yet" in html
    assert "Progress" in html and "0%" not in html
    ids = IDS.findall(html)
    assert len(ids) == len(set(ids)), "inline SVG ids must not collide"


def test_build_is_deterministic_and_writes_only_changes(tmp_path: Path) -> None:
    program = goalkeeper.load(EXAMPLE)
    a = build_site(program)
    b = SiteBuilder().build(goalkeeper.load(EXAMPLE))
    assert dict(a.files) == dict(b.files)
    out = tmp_path / "site"
    first = write_site(a, out)
    assert first.written == len(a.files) and first.unchanged == 0
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    second = write_site(b, out)
    assert second.written == 0 and second.unchanged == len(a.files)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == mtimes


def test_a_rebuild_after_one_edit_renders_and_templates_that_document_only(tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    builder = SiteBuilder()
    builder.build(goalkeeper.load(root))
    doc = root / "src/2026/jvm-interop.md"
    doc.write_text(doc.read_text().replace("\n## ", "\nAn edit.\n\n## ", 1))
    site = builder.build(goalkeeper.load(root))
    assert builder.rendered == 1 and builder.templated == 1
    assert "An edit." in page(site, "2026/jvm-interop.html")
    assert dict(site.files) == dict(build_site(goalkeeper.load(root)).files)  # same as afresh
    (root / "templates").mkdir()
    (root / "templates/goal.html").write_text('{% extends "base.html" %}{% block content %}'
                                               'custom {{ content }}{% endblock %}')
    site = builder.build(goalkeeper.load(root))
    assert builder.templated > 5 and "custom" in page(site, "2026/kernel-target.html")


def test_rebuild_removes_pages_of_deleted_documents_only(tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    out = tmp_path / "site"
    out.mkdir()
    (out / "CNAME").write_text("goals.example.org\n")  # not ours: must survive
    write_site(build_site(goalkeeper.load(root)), out)
    assert (out / "2026/jvm-interop.html").is_file()
    (root / "src/2026/jvm-interop.md").unlink()
    report = write_site(build_site(goalkeeper.load(root)), out)
    assert report.removed == 1 and not (out / "2026/jvm-interop.html").exists()
    assert (out / "CNAME").read_text() == "goals.example.org\n"


def test_templates_and_static_files_can_be_overridden(tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    write_tree(root, {
        "templates/goal.html": """
            {% extends "base.html" %}
            {% block content %}<div class="custom-goal">{{ goal.status }}</div>{{ content }}{% endblock %}
        """,
        "templates/static/extra.css": "body { color: red; }\n",
    })
    site = build_site(goalkeeper.load(root))
    assert '<div class="custom-goal">Accepted</div>' in page(site, "2026/kernel-target.html")
    assert site.files["static/extra.css"] == b"body { color: red; }\n"
    assert "custom-goal" not in page(site, "2026/goals.html")


def test_documents_are_sanitized_in_the_site(tmp_path: Path) -> None:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    goal = root / "src/2026/kernel-target.md"
    goal.write_text(goal.read_text() + '\n<img src="x" onerror="alert(1)"><script>alert(2)</script>\n'
                    '<a href="javascript:alert(3)">x</a>\n')
    html = page(build_site(goalkeeper.load(root)), "2026/kernel-target.html")
    main_part = html.split('id="content">')[1].split("</main>")[0]
    assert "onerror" not in main_part and "<script" not in main_part and "javascript:" not in main_part


def test_without_summary_navigation_comes_from_milestones(program_tree: Path) -> None:
    site = build_site(goalkeeper.load(program_tree))
    assert "index.html" in site.files  # generated home page: no src/README.md
    nav = toc(site)
    assert "Stabilize widgets" in nav and "Speed" in nav and "Dashboard" in nav
    assert [t for _, t, _ in internal_links(site) if t not in site.files] == []


def test_search_index_covers_titles_people_teams_and_text(ferrite: Site) -> None:
    script = page(ferrite, "search-index.js")
    assert script.startswith("window.goalkeeperSearch=") and script.endswith(";\n")
    data = json.loads(script[len("window.goalkeeperSearch="):-2])
    assert data["options"] == {"fields": list(FIELDS), "storeFields": list(STORE)}
    index = data["index"]
    terms = {t for t, _ in index["index"]}
    assert {"kernel", "marín", "@rosa", "compiler", "interrupt"} <= terms or {"kernel", "rosa"} <= terms
    stored = index["storedFields"].values()
    assert any(s["url"] == "2026/kernel-target.html" and s["kind"] == "goal" for s in stored)
    assert any(s["url"] == "teams/lang.html" for s in stored)


def test_tokenizer_matches_minisearch() -> None:
    assert tokenize("Hello, wörld! a\u3000b—c «d» $x+y @bob_x") == [
        "Hello", "wörld", "a", "b", "c", "d", "$x+y", "bob", "x"
    ]
    assert tokenize("") == [""] and tokenize(",a,") == ["", "a", ""]


def test_prebuilt_index_equals_what_minisearch_builds(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: cannot run MiniSearch itself to compare")
    docs = [
        SearchDoc("2026/a.html", "Stabilize widgets", "goal", "2026", "Widgets.", "@alice Alice A",
                  "lang Language team", "Widgets, widgets — everywhere! Ünïcödé «quotes» and tabs\tok."),
        SearchDoc("teams/lang.html", "lang", "team", "", "", "", "lang", ""),
        SearchDoc("2026/b.html", "Faster builds", "goal", "2026", "", "@bob", "compiler", "Build it."),
    ]
    (tmp_path / "docs.json").write_text(json.dumps([dataclasses.asdict(d) for d in docs]))
    minisearch = Path(goalkeeper.__file__).parent / "site" / "static" / "minisearch.js"
    script = f"""
      const MiniSearch = require({json.dumps(str(minisearch))});
      const docs = require({json.dumps(str(tmp_path / "docs.json"))});
      const ms = new MiniSearch({{idField: "url", fields: {json.dumps(list(FIELDS))},
                                  storeFields: {json.dumps(list(STORE))}}});
      ms.addAll(docs);
      const mine = MiniSearch.loadJS(JSON.parse(process.argv[1]), {{fields: {json.dumps(list(FIELDS))},
                                     storeFields: {json.dumps(list(STORE))}}});
      console.log(JSON.stringify({{
        theirs: ms.toJSON(),
        hits: mine.search("widget", {{prefix: true}}).map(r => r.id),
        people: mine.search("alice").map(r => r.id),
      }}));
    """
    ours = build_index(docs)
    proc = subprocess.run([node, "-e", script, json.dumps(ours)], capture_output=True, text=True,
                          timeout=30, env={**os.environ, "NODE_OPTIONS": ""})
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    theirs = result["theirs"]
    assert dict(theirs.pop("index")) == dict(ours["index"])
    ours_rest = {k: v for k, v in ours.items() if k != "index"}
    assert theirs.pop("averageFieldLength") == pytest.approx(ours_rest.pop("averageFieldLength"))
    assert theirs == ours_rest
    assert result["hits"] == ["2026/a.html"] and result["people"] == ["2026/a.html"]


def test_cli_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    site = build_site(goalkeeper.load(EXAMPLE))
    n, pages = len(site.files), sum(1 for f in site.files if f.endswith(".html"))
    r = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        f"built {pages} pages ({n} files) in {out}: {n} written, 0 unchanged, 0 removed; 0 broken links\n"
        f"open {(out / 'index.html').resolve().as_uri()}\n"
    )
    r = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(out)])
    assert f"0 written, {n} unchanged" in r.stdout
    r = CliRunner().invoke(main, ["build", str(tmp_path / "nowhere")])
    assert r.exit_code == 2 and "no such folder" in r.stderr


def test_real_repository_site_has_no_broken_internal_link(rust_goals: Path) -> None:
    program = goalkeeper.load(rust_goals)
    site = build_site(program)
    for g in program.goals:
        assert f"{g.milestone}/{g.slug}.html" in site.files
    broken = [(p, t) for p, t, _ in internal_links(site) if t not in site.files]
    # book.toml's redirects into the 2024h2 milestone, absent from the copy, are reported
    reported = {(p.path, p.target) for p in site.problems}
    assert {p for p, t in broken if t.startswith("2024h2/")} == {
        "2024h2/accepted.html", "2024h2/async_fn_everywhere.html", "2024h2/flagship.html"}
    assert ("book.toml", "async.html") in reported
    assert [(p, t) for p, t in broken if not t.startswith("2024h2/")] == []
    # links to milestones absent from the copy are reported, not silently dropped
    assert ("src/SUMMARY.md", "./2025h1/README.md") in reported
    assert ("src/SUMMARY.md", "./2024h2/notes.md") in reported
    assert any("milestone `2025h1` is not in this repository" in p.message for p in site.problems)
    nav = toc(site)
    assert 'class="nav-missing"' in nav and "2025H1" in nav
    # goal chapters: 2026 goals sit under "Goals" in the navigation, as in the published book
    assert 'href="./2026/polonius.html"' in nav


def test_dashboard_and_api_show_health_once_tracking_data_exists(tmp_path: Path) -> None:
    import shutil

    from click.testing import CliRunner

    from goalkeeper.cli.group import main
    from goalkeeper.site import api

    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    dump = root / "tracking" / "ferrite-lang-goals.json"
    assert CliRunner().invoke(main, ["sync", str(root), "--import", str(dump)]).exit_code == 0
    program = goalkeeper.load(root)
    html = build_site(program).files["dashboard.html"].decode()
    assert "No tracking data yet" not in html
    assert '<table class="goals-health">' in html and 'class="health health-' in html
    assert html.count('<progress value="4" max="6">') == 1  # kernel targets: 4 of 6 boxes
    record = api.goal(program, "2026", "kernel-target")
    assert record is not None and record["health"]["health"] in ("on track", "at risk", "stalled")
    assert record["progress"]["progress"] == {"Tracked": {"completed": 4, "total": 6}}
    assert record["progress"]["last_update"] == "2026-11-12"


def test_only_passive_assets_are_copied_and_links_stay_inside(tmp_path: Path) -> None:
    import os
    import shutil

    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    (root / "src/2026/evil.html").write_text("<script>alert(document.domain)</script>")
    (root / "src/2026/evil.svg").write_text('<svg onload="alert(1)"></svg>')
    (root / "src/2026/diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    os.symlink(secret, root / "src/2026/notes.txt")
    files = build_site(goalkeeper.load(root)).files
    assert "2026/diagram.png" in files
    assert not {"2026/evil.html", "2026/evil.svg", "2026/notes.txt"} & set(files)


def test_template_overrides_run_sandboxed(tmp_path: Path) -> None:
    import shutil

    import jinja2.exceptions

    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    (root / "templates").mkdir()
    (root / "templates" / "404.html").write_text(
        '{{ cycler.__init__.__globals__.os.popen("touch pwned").read() }}')
    with pytest.raises(jinja2.exceptions.SecurityError):
        build_site(goalkeeper.load(root))
    assert not (tmp_path / "pwned").exists() and not (root / "pwned").exists()


def test_an_edited_template_an_override_includes_shows_in_the_next_build(tmp_path: Path) -> None:
    # (the preview builds again with the same builder after every save)
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    (root / "templates/parts").mkdir(parents=True)
    (root / "templates/404.html").write_text('{% include "parts/foot.html" %}')
    (root / "templates/parts/foot.html").write_text("FOOT-ONE")
    builder = SiteBuilder(lazy=False)
    assert b"FOOT-ONE" in builder.build(goalkeeper.load(root)).files["404.html"]
    foot = root / "templates/parts/foot.html"
    foot.write_text("FOOT-TWO")
    os.utime(foot, ns=(foot.stat().st_mtime_ns + 10**9,) * 2)  # (a second later)
    assert b"FOOT-TWO" in builder.build(goalkeeper.load(root)).files["404.html"]


def test_links_to_repository_files_outside_the_site_point_at_the_forge(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    cfg = root / "goalkeeper.toml"
    repo = 'repo_url = "https://github.com/ferrite-lang/goals"\n'
    cfg.write_text(cfg.read_text().replace("[project]\n", "[project]\n" + repo, 1))
    goal = root / "src/2026/pattern-types.md"
    goal.write_text(goal.read_text() + "\nSee [the configuration](../../goalkeeper.toml).\n")
    site = build_site(goalkeeper.load(root))
    html = site.files["2026/pattern-types.html"].decode()
    assert 'href="https://github.com/ferrite-lang/goals/blob/HEAD/goalkeeper.toml"' in html
    assert not [p for p in site.problems if "goalkeeper.toml" in str(p)]
