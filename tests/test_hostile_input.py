"""Inputs the fuzzing campaign of issue 15 turned into tracebacks: each is now a diagnostic or
one clear sentence (exit 1 or 2), and the rest of the program still works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main
from goalkeeper.config import load_config
from goalkeeper.errors import ConfigError
from goalkeeper.forge.dump import read_dump
from goalkeeper.forge.records import RemoteIssue
from goalkeeper.model import IssueRef

from .conftest import EXAMPLE, GOAL_2026, write_tree


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.stdout, r.stderr


# ---- issue numbers beyond Python's int() digit limit


def test_an_issue_number_of_5000_digits_is_not_an_issue() -> None:
    digits = "9" * 5000
    assert IssueRef.parse(f"[a/b#{digits}]") is None
    assert IssueRef.find_all(f"see a/b#{digits} and a/b#7") == (IssueRef("a", "b", 7),)
    assert IssueRef.find_all(f"https://github.com/a/b/issues/{digits}") == ()


def test_a_document_with_a_huge_issue_number_loads(tmp_path: Path) -> None:
    goal = GOAL_2026.replace("[example/goals#1]", "[example/goals#" + "1" * 5000 + "]")
    root = write_tree(tmp_path, {"src/2026/good.md": goal})
    program = goalkeeper.load(root)
    assert program.milestone("2026").goal("good") is not None


# ---- goalkeeper.toml: every problem at once, with its key path


def test_config_lists_every_wrong_value_with_its_key_path(tmp_path: Path) -> None:
    (tmp_path / "goalkeeper.toml").write_text(
        '[project]\nname = 3\n[report]\nfeeds = "x"\ncollaborations = 1\n'
        '[[minutes.folders]]\npath = "a\\u0000b"\n[health]\nupdate_every_days = "soon"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as e:
        load_config(tmp_path)
    text = str(e.value)
    assert "5 values of the wrong kind" in text
    for path in ("project.name", "report.feeds", "report.collaborations", "minutes.folders[1].path",
                 "health.update_every_days"):
        assert f"  - {path}: " in text
    assert "NUL" in text


def test_unknown_keys_are_warnings_naming_the_closest_key(tmp_path: Path) -> None:
    write_tree(tmp_path, {"goalkeeper.toml": '[project]\ntraker = "a/b"\n[reprot]\nteam = "x"\n',
                          "src/2026/good.md": GOAL_2026})
    warnings = load_config(tmp_path).warnings
    assert any("`project.traker`" in w and "did you mean `project.tracker`" in w for w in warnings)
    assert any("`[reprot]`" in w and "did you mean `[report]`" in w for w in warnings)
    code, _, err = run("goals", str(tmp_path))
    assert code == 0 and "warning: " in err and "[reprot]" in err


def test_the_shipped_configurations_have_no_unknown_keys(tmp_path: Path) -> None:
    assert load_config(EXAMPLE).warnings == ()
    assert run("init", str(tmp_path / "new"))[0] == 0
    assert load_config(tmp_path / "new").warnings == ()


@pytest.mark.parametrize("content", [
    b"[project]\nname = \"caf\xe9\"\n",  # Latin-1, not UTF-8
    b"a = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",  # nested too deeply for the parser
    b"[project]\n\x00",
])
def test_unusable_config_is_one_sentence(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "goalkeeper.toml").write_bytes(content)
    code, _, err = run("check", str(tmp_path))
    assert code == 2 and err.startswith("goalkeeper: ") and "goalkeeper.toml" in err


# ---- sync --import: validated against the schema, naming the record


def dump(tmp_path: Path, issues: object, raw: bytes | None = None) -> Path:
    path = tmp_path / "dump.json"
    path.write_bytes(raw if raw is not None else json.dumps({"issues": issues}).encode())
    return path


ISSUE = {"repo": "a/b", "number": 1, "title": "t", "updated_at": "2026-01-01T00:00:00Z",
         "comments": [{"id": "c1", "author": "x", "body": "hi", "created_at": "2026-01-01T00:00:00Z"}]}


@pytest.mark.parametrize(("issues", "said"), [
    ([ISSUE, 5], "issue 2: must be an object"),
    ([{**ISSUE, "comments": [1]}], "issue 1 (a/b#1): comment 1: must be an object"),
    ([{**ISSUE, "comments": {"a": 1}}], "`comments` must be a list"),
    ([{**ISSUE, "number": 2**64}], "`number` must be between 1 and"),
    ([{**ISSUE, "number": 0}], "`number` must be between 1 and"),
    ([{**ISSUE, "number": -1}], "`number` must be between 1 and"),
    ([{**ISSUE, "title": "\ud800"}], "`title` contains a lone surrogate"),
    ([ISSUE, {**ISSUE, "number": 2}], "comment id 'c1' is also used in issue a/b#1"),
])
def test_import_names_the_wrong_record(tmp_path: Path, issues: object, said: str) -> None:
    with pytest.raises(ConfigError, match=r"dump\.json: ") as e:
        read_dump(dump(tmp_path, issues))
    assert said in str(e.value)


@pytest.mark.parametrize("raw", [
    b'{"issues": [{"repo": "a/b", "number": Infinity}]}',
    b'{"issues": [{"repo": "a/b", "number": 1' + b"0" * 5000 + b"}]}",
    b'{"issues": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b"\xff\xfe{}",
])
def test_import_of_unusable_json_is_one_sentence(tmp_path: Path, raw: bytes) -> None:
    with pytest.raises(ConfigError, match=r"dump\.json(:\d+)?: "):
        read_dump(dump(tmp_path, None, raw))


def test_import_accepts_a_byte_order_mark_and_counts_a_repeated_issue_once(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", {"src/2026/good.md": GOAL_2026})
    other = {**ISSUE, "number": 2, "comments": []}
    path = dump(tmp_path, None, "\ufeff".encode() + json.dumps({"issues": [ISSUE, other, ISSUE]}).encode())
    assert [i.number for i in read_dump(path)] == [2, 1]
    code, out, err = run("sync", str(root), "--import", str(path))
    assert code == 0, err
    assert "imported 2 issues and 1 comments" in out


# ---- silent skips now say what was skipped


def test_odd_tree_shapes_are_diagnosed(tmp_path: Path) -> None:
    import os

    root = write_tree(tmp_path, {"src/2026/good.md": GOAL_2026, "src/2027": "not a folder\n"})
    os.mkfifo(root / "src" / "2026" / "pipe.md")
    (root / "src" / "2026" / "zero.md").symlink_to("/dev/zero")
    (root / "src" / "2026" / os.fsdecode(b"caf\xe9.md")).write_text(GOAL_2026, encoding="utf-8")
    program = goalkeeper.load(root)
    said = {d.span.path: d.message for d in program.diagnostics}
    assert "named like a milestone but not a folder" in said["src/2027"]
    assert "named pipe" in said["src/2026/pipe.md"]
    assert "out of the repository" in said["src/2026/zero.md"]
    assert any("file name is not valid UTF-8" in m for m in said.values())
    code, _, err = run("build", str(root), "--out", str(tmp_path / "site"))
    assert code in (0, 1), err


def test_team_data_problems_are_one_sentence_or_a_diagnostic(tmp_path: Path) -> None:
    teams = tmp_path / "team"
    write_tree(teams, {"teams/lang.toml": 'name = "lang"\n[people]\nleads = 1\n'})
    root = write_tree(tmp_path / "p", {"src/2026/good.md": GOAL_2026})
    code, _, err = run("check", str(root), "--teams", str(teams))
    assert code == 2 and "leads must be a list" in err
    (teams / "teams" / "lang.toml").write_bytes(b'name = "caf\xe9"\n')
    code, _, err = run("check", str(root), "--teams", str(teams))
    assert code == 2 and "not valid UTF-8" in err and "lang.toml:1" in err
    (teams / "teams" / "lang.toml").write_text('name = "lang"\n', encoding="utf-8")
    (teams / "teams" / "archive").write_text("oops", encoding="utf-8")
    (teams / "people").mkdir()
    (teams / "people" / "bob.toml").write_bytes(b"name = \"\xff\"\n")
    program = goalkeeper.load(root, teams=teams / "teams")
    assert any("`archive` is not a folder" in d.message for d in program.diagnostics)


def test_feeds_out_of_range_and_oversized(tmp_path: Path) -> None:
    import datetime as dt

    from goalkeeper.sources.feeds import FeedSpec, read_feeds

    (tmp_path / "f.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>bad &#xD800; title</title><link>https://x/1</link>"
        "<pubDate>Mon, 05 Oct 2026 10:00:00 GMT</pubDate></item>"
        "<item><title>year 0</title><link>https://x/2</link><pubDate>Mon, 05 Oct 0000 10:00:00 GMT"
        "</pubDate></item></channel></rss>", encoding="utf-8")
    got = read_feeds([FeedSpec("f", path="f.xml")], tmp_path, start=dt.date(2026, 10, 1),
                     end=dt.date(2026, 11, 1))
    assert [i.title.encode("utf-8") for i in got.items]  # every title is valid UTF-8
    got = read_feeds([FeedSpec("f", path="f.xml")], tmp_path, start=dt.date(2026, 10, 1),
                     end=dt.date(2026, 11, 1), max_bytes=100)
    assert not got.items and "more than the 100 allowed" in got.problems[0]


def test_rfc_on_a_readme_that_is_not_utf8(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"src/2026/good.md": GOAL_2026})
    (root / "src" / "2026" / "README.md").write_bytes(b"# 2026\n\ncaf\xe9\n")
    code, _, err = run("rfc", "2026", str(root))
    assert code == 2 and "not valid UTF-8" in err and "README.md:3" in err


def test_minutes_add_on_a_read_only_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root a chmod does not stop writes, so the refusal is simulated where it happens."""
    from goalkeeper.sources.minutes import files as minutes_files

    def refuse(path: Path, text: str | bytes) -> bool:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(minutes_files, "write_atomic", refuse)
    root = write_tree(tmp_path, {"src/2026/good.md": GOAL_2026})
    code, _, err = run("minutes", "add", str(root), "--team", "lang", "--date", "2026-03-05",
                       "--title", "Lang triage")
    assert code == 2 and err.startswith("goalkeeper: ") and "Permission denied" in err


# ---- the cache on a full disk, and read-only


def _issue(n: int, body: str = "") -> RemoteIssue:
    return RemoteIssue(repo="a/b", number=n, node_id=f"I{n}", title="t", body=body, state="OPEN",
                       url="", author="x", created_at="2026-01-01T00:00:00Z",
                       updated_at="2026-01-01T00:00:00Z")


def test_a_full_disk_during_sync_says_so_and_keeps_the_cache(tmp_path: Path) -> None:
    from goalkeeper.errors import StoreError
    from goalkeeper.season.store import Store

    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        store.save_batch([_issue(1)])
        pages = store.select("PRAGMA page_count")[0][0]
        store.select(f"PRAGMA max_page_count = {pages}")  # the disk fills up now
        with pytest.raises(StoreError, match="the disk is full"):
            store.save_batch([_issue(n, "x" * 20_000) for n in range(2, 40)])
    with Store.open(path) as store:  # the next run works, with what was there before
        assert [i.number for i in store.issues()] == [1]


def test_a_cache_that_could_not_be_made_is_made_again_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from goalkeeper.errors import StoreError
    from goalkeeper.season.store import Store

    path = tmp_path / "cache.sqlite"

    def full(self: Store) -> None:
        self._db.execute("CREATE TABLE half (x)")
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as m:
        m.setattr(Store, "_migrate", full)
        with pytest.raises(StoreError, match="the disk is full"):
            Store.open(path)
    assert not path.exists()
    with Store.open(path) as store:
        store.save_batch([_issue(1)])


def test_read_only_commands_open_the_cache_read_only(tmp_path: Path) -> None:
    from goalkeeper.errors import StoreError
    from goalkeeper.season.store import Store

    path = tmp_path / "cache.sqlite"
    with Store.open(path) as store:
        store.save_batch([_issue(1)])
    before = path.read_bytes()
    with Store.open(path, readonly=True) as store:
        assert [i.number for i in store.issues()] == [1]
        with pytest.raises(StoreError, match="read-only"):
            store.save_batch([_issue(2)])
    assert path.read_bytes() == before
    with pytest.raises(StoreError, match="no cache yet"):
        Store.open(tmp_path / "missing.sqlite", readonly=True)


# ---- book.toml tables of another kind


@pytest.mark.parametrize("book", [
    'book = 3\noutput = "x"\n',
    '[book]\ntitle = 7\n[output]\nhtml = ["x"]\n',
    '[output.html]\ngit-repository-url = 5\nsite-url = []\n',
])
def test_a_book_toml_of_other_shapes_gives_no_title_nor_urls(tmp_path: Path, book: str) -> None:
    # (its title, site and repository are defaults goalkeeper.toml can give instead)
    (tmp_path / "src").mkdir()
    (tmp_path / "book.toml").write_text(book)
    config = load_config(tmp_path)
    assert (config.project_name, config.site_url, config.repo_url) == (tmp_path.resolve().name, "", "")
    code, out, _err = run("check", str(tmp_path))
    assert code == 0, out


def test_a_book_toml_site_url_of_another_kind_is_the_repository_name(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "book.toml").write_text(
        '[output.html]\ngit-repository-url = "https://github.com/a/goals"\nsite-url = []\n')
    config = load_config(tmp_path)
    assert (config.site_url, config.repo_url) == ("https://a.github.io/goals/",
                                                  "https://github.com/a/goals")
