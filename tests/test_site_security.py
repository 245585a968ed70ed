"""The site of a hostile repository (a pull-request preview): nothing in it can run script in
the reader's browser, read files outside the repository or write outside the output folder."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import goalkeeper
from goalkeeper.errors import GoalkeeperError
from goalkeeper.site import build_site, write_site
from goalkeeper.site.charts import stacked_bars
from goalkeeper.site.output import MANIFEST

from .conftest import EXAMPLE, write_tree

URL_ATTR = re.compile(r'\s(?:href|src|action|xlink:href)="([^"]*)"')
SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
SECRET = "TOP-SECRET-OUTSIDE-THE-REPOSITORY"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    root = base / "repo"
    shutil.copytree(EXAMPLE, root)
    outside = base / "outside"
    write_tree(outside, {"secret.md": f"# Secret\n\n{SECRET}\n", "sub/also.md": f"# Also\n\n{SECRET}\n"})
    write_tree(root, {
        "src/javascript:alert(1).md": "# Click me\n\nText.\n",
        "src/2026/clobber.md": """
            # Clobbering

            <a id="MiniSearch">x</a> <a name="goalkeeperSearch" id="goalkeeperSearch">y</a>
            <h2 id="search">raw heading</h2>

            ## Team asks

            [to the raw anchor](#MiniSearch)
            """,
        "templates/static/evil.txt": "fine\n",
    })
    summary = root / "src/SUMMARY.md"
    summary.write_text(summary.read_text() + "\n- [Click me](javascript:alert(1).md)\n")
    os.symlink(outside / "secret.md", root / "src/2026/passwd.md")
    os.symlink(outside, root / "src/2026/elsewhere")
    os.symlink(outside / "secret.md", root / "templates/base.html")
    os.symlink(outside / "secret.md", root / "templates/static/leak.txt")
    return root


def test_no_link_can_run_script(hostile: Path) -> None:
    site = build_site(goalkeeper.load(hostile))
    assert "javascript:alert(1).html" in site.files  # the page exists, under its own name
    for url, data in site.files.items():
        if not url.endswith(".html"):
            continue
        for link in URL_ATTR.findall(data.decode()):
            m = SCHEME.match(link)
            assert m is None or m[1].lower() in ("http", "https", "mailto"), (url, link)
    assert 'href="./javascript:alert(1).html"' in site.files["toc.html"].decode()
    assert 'href=\\"./javascript:alert(1).html' in site.files["nav.js"].decode()


def test_ids_from_documents_cannot_clobber_globals(hostile: Path) -> None:
    page = build_site(goalkeeper.load(hostile)).files["2026/clobber.html"].decode()
    ids = re.findall(r'\sid="([^"]*)"', page)
    assert "user-content-MiniSearch" in ids and "user-content-goalkeeperSearch" in ids
    assert "MiniSearch" not in ids and "goalkeeperSearch" not in ids and "search" not in ids
    assert "user-content-search" in ids
    assert 'name="' not in page.split('<main', 1)[1]
    assert "team-asks" in ids  # headings goalkeeper made keep mdBook's spelling


def test_chart_names_are_escaped_in_attributes() -> None:
    out = stacked_bars('Load in 2026" onload="alert(2)', ("<b>lang</b>",),
                       (('x" onload="alert(1)', (1,)),), ident='x" onload="alert(1)')
    attrs: list[list[tuple[str, str | None]]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, a: list[tuple[str, str | None]]) -> None:
            attrs.append(a)

    Tags().feed(out)
    (div,) = attrs  # one element, no markup from the names
    assert [k for k, _ in div] == ["class", "data-title", "data-chart"]
    assert dict(div)["data-title"] == 'Load in 2026" onload="alert(2)'
    assert dict(div)["class"] == "chart chart-x--onload--alert-1-"


def test_symlinks_out_of_the_repository_are_not_read(hostile: Path) -> None:
    program = goalkeeper.load(hostile)
    outside = [d for d in program.diagnostics if d.code == "symlink-outside"]
    assert sorted(d.span.path for d in outside) == ["src/2026/elsewhere", "src/2026/passwd.md"]
    site = build_site(program)
    assert not any(SECRET.encode() in data for data in site.files.values())
    assert "2026/passwd.html" not in site.files
    assert "static/leak.txt" not in site.files and "static/evil.txt" in site.files


def test_source_folder_linked_to_the_file_system_root_is_not_walked(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"goalkeeper.toml": "[program]\n"})
    os.symlink("/", root / "src")
    program = goalkeeper.load(root)
    assert [d.code for d in program.diagnostics if d.code == "symlink-outside"] == ["symlink-outside"]
    assert program.goals == ()


def test_output_folder_symlinks_are_never_written_through(tmp_path: Path) -> None:
    site = build_site(goalkeeper.load(EXAMPLE))
    victim = tmp_path / "victim"
    write_tree(victim, {"keep.html": "mine\n", "pattern-types.html": "mine too\n"})
    out = tmp_path / "site"
    out.mkdir()
    os.symlink(victim, out / "2026")  # a symlink committed where the site has a folder
    os.symlink(victim / "keep.html", out / "index.html")  # ... and where it has a file
    (out / MANIFEST).write_text('["2026/keep.html", "../victim/keep.html"]\n')
    write_site(site, out)
    assert sorted(p.name for p in victim.iterdir()) == ["keep.html", "pattern-types.html"]
    assert (victim / "keep.html").read_text() == "mine\n"
    assert (victim / "pattern-types.html").read_text() == "mine too\n"
    assert not (out / "2026").is_symlink() and (out / "2026/pattern-types.html").is_file()
    assert not (out / "index.html").is_symlink()


def test_stale_files_are_not_removed_through_symlinks(tmp_path: Path) -> None:
    site = build_site(goalkeeper.load(EXAMPLE))
    victim = write_tree(tmp_path / "victim", {"old.html": "mine\n"})
    out = tmp_path / "site"
    out.mkdir()
    (out / MANIFEST).write_text('["gone/old.html"]\n')
    os.symlink(victim, out / "gone")
    write_site(site, out)
    assert (victim / "old.html").read_text() == "mine\n"


def test_foreign_output_folders_are_refused(tmp_path: Path) -> None:
    site = build_site(goalkeeper.load(EXAMPLE))
    home = write_tree(tmp_path / "home", {"notes.txt": "mine\n"})
    with pytest.raises(GoalkeeperError, match=r"not empty.*notes\.txt"):
        write_site(site, home)
    assert sorted(p.name for p in home.iterdir()) == ["notes.txt"]
    os.symlink(home, tmp_path / "link")
    with pytest.raises(GoalkeeperError, match="symbolic link"):
        write_site(site, tmp_path / "link")
    hosting = write_tree(tmp_path / "pages", {"CNAME": "goals.example.org\n", ".nojekyll": ""})
    write_site(site, hosting)  # a hosting set-up's files are not a foreign folder
    assert (hosting / "index.html").is_file() and (hosting / "CNAME").is_file()
    write_site(site, hosting)  # and the next build recognises its own folder
