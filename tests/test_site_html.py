"""Markdown to HTML: sanitizing, link rewriting, mentions, badges and heading anchors."""

from __future__ import annotations

import re

import pytest

from goalkeeper.model import Person
from goalkeeper.site.html import Linker, MarkdownRenderer, plain_text, sanitize

DOCS = {
    "src/README.md": "index.html",
    "src/2026/README.md": "2026/index.html",
    "src/2026/a.md": "2026/a.html",
    "src/2026/b.md": "2026/b.html",
    "src/images/logo.png": "images/logo.png",
}
LINKER = Linker("src", DOCS, frozenset({*DOCS.values(), "dashboard.html", "teams/lang.html"}))


def render(text: str, page: str = "src/2026/b.md", url: str = "2026/b.html") -> str:
    r = MarkdownRenderer(
        linker=LINKER,
        people={"bob": Person("bob", "Bob Builder"), "ann": Person("ann")},
        teams={"lang": "teams/lang.html"},
    )
    return r.render(text, page, url).html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src="x.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        '<a href="java&#x09;script:alert(1)">click</a>',
        '<a href=" javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        "[click](<javascript:alert(1)>)",
        '<div onclick="alert(1)" onmouseover="alert(1)">x</div>',
        '<svg onload="alert(1)"><script>alert(1)</script></svg>',
        '<iframe src="javascript:alert(1)"></iframe>',
        '<object data="javascript:alert(1)"></object>',
        '<form action="javascript:alert(1)"><button>go</button></form>',
        '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<style>body{background:url("javascript:alert(1)")}</style>',
        "<details open ontoggle=alert(1)><summary>x</summary></details>",
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    ],
)
def test_nothing_active_survives(attack: str) -> None:
    out = render(f"# Goal\n\n{attack}\n\nAfter.\n")
    low = out.lower()
    assert "<script" not in low
    # no URL attribute with an active scheme (the words may remain as inert text)
    active_url = r"""(href|src|action|data|formaction)\s*=\s*["']?\s*(javascript|vbscript|data)"""
    assert not re.search(active_url, low)
    assert not re.search(r"\son[a-z]+\s*=", low), out
    assert "<iframe" not in low and "<object" not in low and "<form" not in low
    assert "<style" not in low and "style=\"background" not in low
    assert "After." in out


def test_sanitize_keeps_ordinary_markup() -> None:
    html = '<p><a href="https://x.example/">x</a> <code>y</code> <img src="a.png" alt="A"></p>'
    out = sanitize(html)
    assert 'href="https://x.example/"' in out and "<code>y</code>" in out and 'alt="A"' in out
    assert sanitize('<td style="text-align:right; position:fixed">1</td>').count("position") == 0


def test_tables_render_with_alignment_only_styles() -> None:
    out = render("| A | B |\n|:--|--:|\n| 1 | 2 |\n")
    assert "<table>" in out and '<td style="text-align:right">2</td>' in out


def test_code_fences_are_kept_verbatim_and_escaped() -> None:
    out = render("```html\n<script>alert(1)</script> @bob [lang]\n```\n")
    assert "&lt;script&gt;" in out and "<script" not in out
    assert "github.com/bob" not in out and "teams/lang.html" not in out


def test_links_between_documents_become_relative_html_links() -> None:
    out = render(
        "[a](./a.md) [a2](a.md#funding) [home](../README.md) [ms](./README.md) "
        "[abs](/2026/a.md) [ext](https://example.org/x.md) [img](../images/logo.png) "
        "[dash](../dashboard.html) [frag](#summary) [mail](mailto:x@example.org)"
    )
    hrefs = re.findall(r'href="([^"]*)"', out)
    assert hrefs == [
        "a.html", "a.html#funding", "../index.html", "index.html", "a.html",
        "https://example.org/x.md", "../images/logo.png", "../dashboard.html", "#summary",
        "mailto:x@example.org",
    ]


def test_broken_links_are_reported_with_their_line_and_lose_their_target() -> None:
    r = MarkdownRenderer(linker=LINKER)
    text = "# T\n\nSee [old](../2024h2/goals.md) and [gone](./gone.md).\n\n[up](../../../x.md)\n"
    out = r.render(text, "src/2026/b.md", "2026/b.html")
    assert [(p.line, p.target) for p in out.problems] == [
        (3, "../2024h2/goals.md"), (3, "./gone.md"), (5, "../../../x.md")
    ]
    assert "milestone `2024h2` is not in this repository" in out.problems[0].message
    assert "outside the repository" in out.problems[2].message
    assert out.html.count('class="broken-link"') == 3 and 'href="../2024h2' not in out.html


def test_mentions_of_known_people_link_to_them() -> None:
    out = render("Ask @bob or @ann, not @stranger or foo.@bob; mail bob@example.org")
    assert '<a href="https://github.com/bob" class="user" title="@bob"' in out
    assert ">Bob Builder</a>" in out and ">@ann</a>" in out
    assert "@stranger" in out and "foo.@bob" in out
    assert out.count("github.com/bob") == 1


def test_team_references_and_badges() -> None:
    out = render("| Team | Ask |\n|--|--|\n| [lang] | ![Team][] ![Help wanted][] ![TBD][] |\n")
    assert 'href="../teams/lang.html"' in out
    assert '<span class="badge badge-team">Team ask</span>' in out
    assert '<span class="badge badge-help">Help wanted</span>' in out
    assert '<span class="badge badge-tbd">TBD</span>' in out
    assert "<img" not in out


def test_team_references_are_found_in_any_case_and_only_whole() -> None:
    r = MarkdownRenderer(teams={"lang": "teams/lang.html", "Release Team": "teams/release.html",
                                "types": "teams/types.html"})
    out = r.render("Ask [LANG] and [[release team]].\n\nNot [lang-docs] nor [types x].\n",
                   "src/x.md", "x.html").html
    assert 'href="teams/lang.html"' in out and 'href="teams/release.html"' in out
    assert "teams/types.html" not in out and "[lang-docs]" in out and "[types x]" in out


def test_issue_references_link_to_the_tracker() -> None:
    out = render("| Tracking issue | [ferrite-lang/goals#204] |\n|--|--|\n")
    assert 'href="https://github.com/ferrite-lang/goals/issues/204"' in out


def test_headings_get_unique_anchor_ids() -> None:
    r = MarkdownRenderer().render("# Goal\n\n## Team asks\n\n## Team asks\n\n### What's `new`?\n")
    assert [h[2] for h in r.headings] == ["goal", "team-asks", "team-asks-1", "whats-new"]
    assert '<h2 id="team-asks-1">' in r.html


def test_raw_heading_ids_cannot_be_injected_elsewhere() -> None:
    out = render('<div id="content" class="x">a</div><span id="gk-menu">b</span>')
    assert 'id="content"' not in out and 'id="gk-menu"' not in out


def test_plain_text() -> None:
    assert plain_text("<p>a &amp; <b>b</b></p>\n<p>c</p>") == "a & b c"


def test_footnotes_and_task_lists_render_as_mdbook_renders_them() -> None:
    out = render("Said so[^why].\n\n- [x] done\n- [ ] to do\n\n[^why]: Because @bob said.\n")
    ref = re.search(r'<sup class="footnote-reference"><a href="#([^"]+)"', out)
    assert ref is not None and f'<div class="footnote-definition" id="{ref[1]}">' in out
    assert "Bob Builder" in out.split('class="footnote-definition"')[1]
    assert out.count('type="checkbox"') == 2 and out.count("checked") == 1
    assert "[x]" not in out and "[^why]" not in out


def test_heading_ids_written_by_hand_are_kept() -> None:
    r = MarkdownRenderer().render("# Goal {#the-goal}\n\n## Goal\n")
    assert [h[2] for h in r.headings] == ["the-goal", "goal"]
    assert '<h1 id="the-goal">Goal</h1>' in r.html
