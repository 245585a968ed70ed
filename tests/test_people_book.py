"""People from team data (logins in any case, the `github` field) and book.toml's link tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main
from goalkeeper.sources.book import DEFAULT_LINKS, load_book_links

from .conftest import GOAL_2026, write_tree


def _program(tmp_path: Path, people: dict[str, str], book: str | None = None) -> Path:
    files = {
        "src/2026/README.md": "# 2026\n\nSee [RFC #12] and [lang]. Thanks @WesleyWiser, @TravisCross "
                              "and @dave.\n\n(((GOALS)))\n",
        "src/2026/widgets.md": GOAL_2026.replace("@alice", "@WesleyWiser"),
        "team/teams/lang.toml": 'name = "lang"\n[people]\nleads = ["bob"]\nmembers = ["bob"]\n'
                                '[website]\nrepo = "https://github.com/example/lang-team"\n',
    }
    files.update({f"team/people/{k}.toml": v for k, v in people.items()})
    if book is not None:
        files["book.toml"] = book
    return write_tree(tmp_path, files)


PEOPLE = {
    "wesleywiser": 'name = "Wesley Wiser"\ngithub = "wesleywiser"\n',
    "TC": 'name = "TC"\ngithub = "traviscross"\n',  # file not named after the login
    "dave": 'github = "dave"\n',  # no name
}


def test_people_match_in_any_case_and_by_their_github_field(tmp_path: Path) -> None:
    root = _program(tmp_path, PEOPLE)
    program = goalkeeper.load(root, teams=root / "team")
    assert program.person("WesleyWiser").name == "Wesley Wiser"
    assert program.person("TRAVISCROSS").name == "TC"
    r = CliRunner().invoke(main, ["rfc", "2026", str(root), "--teams", str(root / "team")])
    assert r.exit_code == 0, r.output
    assert "Thanks [Wesley Wiser][], [TC][] and @dave." in r.stdout
    assert "[Wesley Wiser]: https://github.com/WesleyWiser" in r.stdout
    assert "[TC]: https://github.com/TravisCross" in r.stdout
    assert "[lang]: https://github.com/example/lang-team" in r.stdout


def test_a_person_file_without_name_is_a_clear_warning(tmp_path: Path) -> None:
    root = _program(tmp_path, {**PEOPLE, "dave": "github = 'dave'\n",
                               "wesleywiser": 'github = "wesleywiser"\n'})
    program = goalkeeper.load(root, teams=root / "team")
    notes = [d for d in program.diagnostics if d.code == "person-without-name"]
    assert notes and all(d.severity == "warning" for d in notes)
    assert any("@WesleyWiser is shown by login" in d.message and "wesleywiser.toml" in d.span.path
               for d in notes)
    r = CliRunner().invoke(main, ["rfc", "2026", str(root), "--teams", str(root / "team")])
    assert r.exit_code == 0 and "Thanks @WesleyWiser" in r.stdout


def test_a_broken_person_file_is_skipped_with_a_note(tmp_path: Path) -> None:
    root = _program(tmp_path, {**PEOPLE, "wesleywiser": "name = \n"})
    program = goalkeeper.load(root, teams=root / "team")
    assert any(d.code == "person-without-name" and "cannot be read" in d.message
               for d in program.diagnostics)
    assert program.person("TravisCross").name == "TC"


BOOK = """
[book]
title = "X"

[preprocessor.goals]
ignore_users = ["@dave"]

[preprocessor.goals.links]
"Help wanted" = "https://badges.example/help"
"Bad" = "javascript:alert(1)"

[preprocessor.goals.linkifiers]
"RFC #([0-9]+)" = "https://rfcs.example/$1"
"((" = "https://broken.example"

[preprocessor.goals.users]
"@WesleyWiser" = "Wesley (book)"
"""


def test_book_toml_links_linkifiers_and_users(tmp_path: Path) -> None:
    root = _program(tmp_path, PEOPLE, BOOK)
    book = load_book_links(root)
    assert book.link("help WANTED") == "https://badges.example/help"
    assert book.link("Bad") == "" and book.link("TBD") == ""  # own links replace the defaults
    assert book.linkify("RFC #12") == "https://rfcs.example/12" and book.linkify("RFC #x") == ""
    assert any("Bad" in n for n in book.notes) and any("'(('" in n for n in book.notes)
    r = CliRunner().invoke(main, ["rfc", "2026", str(root), "--teams", str(root / "team")])
    assert r.exit_code == 0, r.output
    assert "See [RFC #12](https://rfcs.example/12) and [lang]." in r.stdout
    assert "Thanks [Wesley (book)][], [TC][] and @dave." in r.stdout


def test_people_are_named_after_linkifiers_and_never_inside_a_destination(tmp_path: Path) -> None:
    """Linkifiers see the labels as written, then `@login`s are named, except in a link's
    destination (a linkifier's URL may hold one)."""
    book = BOOK.replace('"((" = "https://broken.example"',
                        '"#([0-9]+)" = "https://issues.example/$1"\n'
                        '"toot:([a-z]+)" = "https://x.social/?u=@$1"')
    root = _program(tmp_path, PEOPLE, book)
    readme = root / "src/2026/README.md"
    readme.write_text(readme.read_text() + "\nThanks @WesleyWiser[#12], [#13]@WesleyWiser and "
                      "[toot:wesleywiser] and [me](https://x.social/?u=@traviscross).\n")
    r = CliRunner().invoke(main, ["rfc", "2026", str(root), "--teams", str(root / "team")])
    assert r.exit_code == 0, r.output
    assert ("Thanks [Wesley (book)][][#12](https://issues.example/12), "
            "[#13](https://issues.example/13)[Wesley (book)][] and "
            "[toot:wesleywiser](https://x.social/?u=@wesleywiser) and "
            "[me](https://x.social/?u=@traviscross).") in r.stdout


def test_book_toml_without_the_sections_keeps_working(tmp_path: Path) -> None:
    for text in ('[book]\ntitle = "X"\n', "[preprocessor.goals]\ncommand = 'x'\n", "not toml ["):
        (tmp_path / "book.toml").write_text(text)
        book = load_book_links(tmp_path)
        assert book.notes and book.linkifiers == () and book.users == {}
        assert book.links == DEFAULT_LINKS
    (tmp_path / "book.toml").unlink()
    assert load_book_links(tmp_path).links == DEFAULT_LINKS


def test_people_in_html_cells_and_comment_bodies(tmp_path: Path) -> None:
    from goalkeeper.render.people import name_users, people_html

    root = _program(tmp_path, PEOPLE)
    program = goalkeeper.load(root, teams=root / "team")
    assert people_html(program, "@WesleyWiser, @nobody <b>&") == (
        '<a href="https://github.com/WesleyWiser">Wesley Wiser</a>, @nobody &lt;b&gt;&amp;')
    text, defs = name_users(program, "thanks @traviscross, not `@traviscross` or a@traviscross",
                            inline_links=True)
    assert text == ("thanks [TC](https://github.com/traviscross), not `@traviscross` or "
                    "a@traviscross") and defs == []


def test_hostile_team_data_and_book_toml(tmp_path: Path) -> None:
    outside = tmp_path / "secret.toml"
    outside.write_text('name = "Leaked"\ngithub = "dave"\n')
    root = _program(tmp_path / "p", {k: v for k, v in PEOPLE.items() if k != "dave"},
                    '[preprocessor.goals.linkifiers]\n"(a+)+$" = "https://x.example/$1"\n')
    (root / "team/people/dave.toml").symlink_to(outside)
    program = goalkeeper.load(root, teams=root / "team")
    assert program.person("dave").name == ""  # a symlink out of the folder is not followed
    assert any("symbolic link" in d.message for d in program.diagnostics)
    book = load_book_links(root)
    assert book.linkifiers == () and any("exponential" in n for n in book.notes)
    assert book.linkify("a" * 30 + "!") == ""  # would backtrack for ages if it were tried


@pytest.mark.parametrize(("line", "labels"), [
    ("| [Goal](./g.md) | ![Help wanted][] | [lang] |", ["Help wanted", "lang"]),
    ("[a](x) and [b](y)", []),  # only inline links: no label used
    ("[see [x](url)] and [y]", ["y"]),
    ("[a [b] c](url)", ["b"]),
    ("[a](x)[b]", ["b"]),
    ("`[code]` [a](b) [c] here", ["c"]),
    ("[x]: https://example.com", []),
])
def test_labels_used_on_a_line(line: str, labels: list[str]) -> None:
    from goalkeeper.render.references import used_labels

    assert used_labels(line) == labels
