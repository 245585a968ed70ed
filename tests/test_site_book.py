"""What the site takes from book.toml: redirect pages for old URLs (hostile ones refused), and
the 404 page's links, which must work at any depth on the host."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import goalkeeper
from goalkeeper.site import build_site
from goalkeeper.site.book import read_book

from .conftest import EXAMPLE, write_tree


def _repo(tmp_path: Path, book: str) -> Path:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    write_tree(root, {"book.toml": book})
    return root


def test_redirect_pages_keep_the_fragment_and_refuse_hostile_entries(tmp_path: Path) -> None:
    root = _repo(tmp_path, """
        [output.html]
        site-url = "/goals/"

        [output.html.redirect]
        "/2026/reference.html" = "goals.html"
        "/introduction.html" = "index.html"
        "/about/old.html" = "2026/goals.html"
        "/evil.html" = "javascript:alert(1)"
        "/../../outside.html" = "index.html"
        "/2026/goals.html" = "index.html"
        "/quote.html" = "x.html\\"><script>alert(1)</script>"
        """)
    site = build_site(goalkeeper.load(root))
    page = site.files["2026/reference.html"].decode()
    assert '<meta http-equiv="refresh" content="0; URL=goals.html">' in page
    assert '<link rel="canonical" href="goals.html">' in page and '<a href="goals.html">' in page
    assert "u.hash = window.location.hash" in page  # the fragment is kept
    assert 'URL=index.html"' in site.files["introduction.html"].decode()
    # written from the site's root although relative to the old page: the page that exists
    assert 'URL=../2026/goals.html"' in site.files["about/old.html"].decode()
    assert "evil.html" not in site.files and not any("outside" in u for u in site.files)
    assert "Redirecting" not in site.files["2026/goals.html"].decode()  # a real page wins
    quote = site.files["quote.html"].decode()
    assert "<script>alert" not in quote and "&quot;&gt;&lt;script&gt;" not in quote.split("<script>")[0]
    problems = {(p.path, p.target) for p in site.problems}
    assert ("book.toml", "javascript:alert(1)") in problems
    assert ("book.toml", "/../../outside.html") in problems
    assert ("book.toml", "/2026/goals.html") in problems


def test_not_found_page_links_from_the_site_path(tmp_path: Path) -> None:
    root = _repo(tmp_path, '[output.html]\nsite-url = "/goals/"\ngit-repository-url = "https://github.com/x/goals"\n')
    site = build_site(goalkeeper.load(root))
    page = site.files["404.html"].decode()
    links = re.findall(r'(?:href|src)="([^"]*)"', page)
    local = [u for u in links if not u.startswith(("https:", "#"))]
    assert local and all(u.startswith("/goals/") for u in local), local
    assert 'href="/goals/static/style.css"' in page


def test_book_settings(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"book.toml": """
        [output.html]
        git-repository-url = "https://github.com/rust-lang/goals"
        edit-url-template = "https://github.com/rust-lang/goals/edit/main/{path}"

        [output.html.fold]
        enable = true
        level = 1
        """})
    book = read_book(root)
    assert book.edit_url_template.endswith("/edit/main/{path}")
    assert (book.fold_enable, book.fold_level) == (True, 1)
    write_tree(tmp_path, {"book.toml": '[output.html]\nedit-url-template = "javascript:x({path})"\n'})
    assert read_book(root).edit_url_template == ""


def test_edit_link_pager_and_print_page(tmp_path: Path) -> None:
    root = _repo(tmp_path, """
        [output.html]
        git-repository-url = "https://github.com/ferrite-lang/goals"
        edit-url-template = "https://github.com/ferrite-lang/goals/edit/main/{path}"
        """)
    site = build_site(goalkeeper.load(root))
    html = site.files["2026/pattern-types.html"].decode()
    assert '<a href="https://github.com/ferrite-lang/goals/edit/main/src/2026/pattern-types.md"' in html
    assert 'class="repo-link" href="https://github.com/ferrite-lang/goals"' in html
    # previous and next follow SUMMARY.md's order
    assert re.search(r'rel="prev" href="\.\./2026/reproducible-builds.html">.*Reproducible', html)
    assert re.search(r'rel="next" href="\.\./2026/smelt-script.html">', html)
    assert 'rel="prev"' not in site.files["index.html"].decode()  # the first page
    assert "Edit this page" not in site.files["dashboard.html"].decode()  # generated pages
    book = site.files["print.html"].decode()
    sections = re.findall(r'<section class="print-chapter" id="([^"]*)">', book)
    assert sections[:3] == ["chapter-index", "chapter-2026-index", "chapter-2026-highlights"]
    assert 'id="chapter-2026-pattern-types--summary"' in book  # ids stay unique
    # a link between chapters leads to the chapter's section; others are re-rooted
    links = re.findall(r'href="([^"]*)"', book.split('class="print-chapter"', 1)[1])
    assert "#chapter-2026-pattern-types" in links and "teams/lang.html" in links
    assert not any(u.startswith("../") for u in links)


def test_reports_pages_from_synced_data(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from goalkeeper.cli.group import main

    root = _repo(tmp_path, "[book]\n")
    write_tree(root, {"src/2026/reports.md": "# Reports\n\n(((REPORTS: 2026-09-01 to 2026-10-31)))\n"})
    summary = root / "src/SUMMARY.md"
    summary.write_text(summary.read_text() + "- [Reports](./2026/reports.md)\n")
    # nothing synced: no report pages, and what to run is said in the page source only
    site = build_site(goalkeeper.load(root))
    page = site.files["2026/reports.html"].decode()
    visible = re.sub(r"<!--.*?-->", "", page, flags=re.S)
    assert "<!-- goalkeeper: no synced data" in page and "goalkeeper sync" not in visible
    assert not any("blog-post" in u for u in site.files)
    dump = root / "tracking" / "ferrite-lang-goals.json"
    assert CliRunner().invoke(main, ["sync", str(root), "--import", str(dump)]).exit_code == 0
    site = build_site(goalkeeper.load(root))
    assert {u for u in site.files if "blog-post" in u} == {
        "2026/blog-post-2026-09.html", "2026/blog-post-2026-10.html"}
    october = site.files["2026/blog-post-2026-10.html"].decode()
    assert "<h1" in october and "October 2026 Blog Post" in october
    assert "Ferrite for Kernels: freestanding kernel targets" in october  # a goal's card
    assert "+++" not in october  # the blog's front matter is not shown
    recent = site.files["2026/lang/recent-updates.html"].decode()
    assert "Recent updates" in recent
    team = site.files["2026/lang/index.html"].decode()
    assert 'href="../../2026/lang/recent-updates.html"' in team or 'href="recent-updates.html"' in team
    nav = site.files["nav.js"].decode()
    assert nav.index("Reports") < nav.index("October 2026 Blog Post") < nav.index("lang Team Reports")
    assert site.problems == ()
