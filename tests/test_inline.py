"""One conversion of a cell's markdown for every output: terminal text or document markdown."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from goalkeeper.cli.group import main
from goalkeeper.render.inline import inline


def test_terminal_text_keeps_link_text_and_shows_or_drops_urls() -> None:
    cell = "Fix a [bug](https://github.com/r/r/issues/1) ([context](https://x.org/c))"
    assert inline(cell) == "Fix a bug (https://github.com/r/r/issues/1) (context (https://x.org/c))"
    assert inline(cell, urls=False) == "Fix a bug (context)"


def test_terminal_text_keeps_reference_links_team_refs_and_badges() -> None:
    cell = "Reviews of [RFC #3935] and [lang][] with [the spec][spec] ![Help wanted][] ![TBD][]"
    assert inline(cell) == "Reviews of RFC #3935 and lang with the spec Help wanted TBD"


def test_terminal_text_drops_marks_but_keeps_code_and_checkboxes() -> None:
    assert inline("**bold** and *em* `[a](b)` a&amp;b<br>Vec<T> \\[x\\] [ ] done") == (
        "bold and em `[a](b)` a&b Vec<T> [x] [ ] done"
    )
    assert inline("[run](javascript:alert(1))") == "run"  # no unsafe URL shown


def test_terminal_text_decodes_entities_and_keeps_bare_ampersands() -> None:
    assert inline("R&D & more &amp; &#x41;&#66; &notin; &copy x&y") == "R&D & more & AB ∉ © x&y"
    assert inline("a < b & c > d <b>x</b>", "markdown") == "a &lt; b &amp; c &gt; d &lt;b&gt;x&lt;/b&gt;"


def test_markdown_keeps_links_and_escapes_html() -> None:
    cell = "See [context](https://x.org/c) and <https://y.org> <img src=x onerror=alert(1)>"
    assert inline(cell, "markdown") == (
        "See [context](https://x.org/c) and <https://y.org> &lt;img src=x onerror=alert(1)&gt;"
    )
    assert inline("[run](javascript:alert(1)) `<b>`", "markdown") == "run `&lt;b&gt;`"


def test_markdown_resolves_reference_links_or_keeps_their_text() -> None:
    refs = {"lang": "https://lang.example", "help wanted": "https://img.example/hw"}
    cell = "[lang][] [compiler] ![Help wanted][] [x][lang] ![TBD][]"
    assert inline(cell, "markdown", refs=refs) == (
        "[lang](https://lang.example) compiler ![Help wanted](https://img.example/hw) "
        "[x](https://lang.example) TBD"
    )


def test_text_views_do_not_lose_bracketed_text(rust_goals: Path, rust_teams: Path) -> None:
    r = CliRunner()
    args = [str(rust_goals), "--teams", str(rust_teams), "-m", "2026"]
    teams = r.invoke(main, ["teams", *args])
    assert teams.exit_code == 0, teams.output
    # build-std's cargo note: "Reviews of [rust-lang/rfcs#3874] and [rust-lang/rfcs#3875] and ..."
    assert "Reviews of  and" not in teams.output
    assert "Reviews of rust-lang/rfcs#3874 and rust-lang/rfcs#3875" in teams.output
    assert re.search(r"^libs-api \(.*; archived, merged into libs\)", teams.output, re.M)
    hw = r.invoke(main, ["help-wanted", *args])
    assert hw.exit_code == 0 and "(with )" not in hw.output and "Fix a (" not in hw.output
    assert "Fix a bug in rustdoc" in hw.output
    cap = r.invoke(main, ["capacity", *args])
    assert cap.exit_code == 0 and "add [capacity] to goalkeeper.toml" in cap.output
    for cmd in ("funding", "champions", "roadmaps"):
        res = r.invoke(main, [cmd, *args])
        assert res.exit_code == 0, res.output
        assert "][]" not in res.output and "](http" not in res.output

_PIECES = st.sampled_from(["[", "]", "(", ")", "!", "`", "*", "_", "<", ">", "&", "\\", "@x",
                           "https://a.b/c", "javascript:x", "[lang][]", "![TBD][]", " ", "\n",
                           "<script>", "<br>", "[a](b)", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_any_cell_converts_without_raising_or_passing_html_through(cell: str) -> None:
    text = inline(cell)
    assert "\n" not in text
    md = inline(cell, "markdown", refs={"lang": "https://l.example"})
    # no raw tag survives into markdown; only autolinks keep their angle brackets
    assert "<script" not in md and "<br" not in md
    # a `](javascript:` that could close a link: an escaped `\]` is text and cannot
    assert "](javascript:" not in re.sub(r"\\.", "", md, flags=re.DOTALL), md
