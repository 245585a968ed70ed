"""Hostile and broken files give a located diagnostic, never a traceback; the rest still loads."""

from __future__ import annotations

import builtins
import io
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

import goalkeeper
from goalkeeper.errors import ConfigError, ProgramNotFound
from goalkeeper.sources.text import utf8_sig

from .conftest import GOAL_2026, write_tree

CONFIG = """
    [project]
    tracker = "example/goals"
    [teams.lang]
    members = ["bob"]
    [teams.compiler]
    members = ["carol"]
"""


def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {"goalkeeper.toml": CONFIG, "src/2026/good.md": GOAL_2026})


def codes(root: Path) -> list[tuple[str, int, str]]:
    program = goalkeeper.load(root)
    assert program.milestone("2026").goal("good") is not None, "the good goal must still load"
    return [(d.span.path, d.span.line, d.code) for d in program.diagnostics
            if d.code not in ("unknown-roadmap", "unknown-highlight")]


def test_empty_file(tmp_path: Path) -> None:
    (tree(tmp_path) / "src/2026/empty.md").write_text("  \n")
    assert codes(tmp_path) == [("src/2026/empty.md", 0, "empty-file")]


def test_binary_file(tmp_path: Path) -> None:
    (tree(tmp_path) / "src/2026/bin.md").write_bytes(b"# x\n\x00\x01\x02")
    assert codes(tmp_path) == [("src/2026/bin.md", 2, "binary-file")]


def test_non_utf8_file_points_at_the_bad_byte(tmp_path: Path) -> None:
    (tree(tmp_path) / "src/2026/latin1.md").write_bytes("# T\n\ncaf\xe9\n".encode("latin-1"))
    program = goalkeeper.load(tmp_path)
    (d,) = [d for d in program.diagnostics if d.code == "not-utf8"]
    assert (d.span.line, d.span.column) == (3, 4)


def test_a_bad_byte_after_a_byte_order_mark_is_pointed_at_as_without_one(tmp_path: Path) -> None:
    """A BOM is dropped before decoding; the bad byte's line, column and value are still those
    of the file (the BOM is no column of the first line)."""
    root = tree(tmp_path)
    (root / "src/2026/bom.md").write_bytes(b"\xef\xbb\xbf# T\n\ncaf\xe9\n")
    (root / "src/2026/first.md").write_bytes(b"\xef\xbb\xbfab\xff\n")
    program = goalkeeper.load(tmp_path)
    found = {(d.span.path, d.span.line, d.span.column, d.message.split("(")[1][:9])
             for d in program.diagnostics if d.code == "not-utf8"}
    assert found == {("src/2026/bom.md", 3, 4, "byte 0xe9"), ("src/2026/first.md", 1, 3, "byte 0xff")}


def test_byte_order_marks_are_dropped(tmp_path: Path) -> None:
    root = tree(tmp_path)
    bom = b"\xef\xbb\xbf"
    (root / "goalkeeper.toml").write_bytes(bom + textwrap.dedent(CONFIG).encode())
    text = textwrap.dedent(GOAL_2026).replace("widgets", "gadgets").replace("goals#1", "goals#2")
    (root / "src/2026/bom.md").write_bytes(bom + text.encode())
    assert codes(tmp_path) == []
    goal = goalkeeper.load(tmp_path).milestone("2026").goal("bom")  # type: ignore[union-attr]
    assert goal is not None and goal.title == "Stabilize gadgets"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\xef\xbb", b"# T\n", b"\xef\xbb\xbf# T\xc3\xa9\n",
                                  b"\xef\xbb\xbf\xef\xbb\xbfx", b"ab\xff", b"\xef\xbb\xbfab\xffc", b"\xbf"])
def test_documents_decode_as_utf8_sig_does(data: bytes) -> None:
    try:
        expected: object = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        expected = (e.start, e.end, e.reason)
    try:
        got: object = utf8_sig(data)
    except UnicodeDecodeError as e:
        got = (e.start, e.end, e.reason)
    assert got == expected


def test_huge_file_is_skipped(tmp_path: Path) -> None:
    big = tree(tmp_path) / "src/2026/big.md"
    with big.open("w") as f:
        f.write("# Big\n\n")
        for _ in range(20 * 1024):
            f.write("x" * 1023 + "\n")
    assert codes(tmp_path) == [("src/2026/big.md", 0, "file-too-large")]


def test_symlink_loop(tmp_path: Path) -> None:
    root = tree(tmp_path)
    os.symlink(root / "src", root / "src/2026/loop")
    os.symlink("self.md", root / "src/2026/self.md")  # a file symlink to itself
    got = codes(tmp_path)
    assert ("src/2026/loop", 0, "io-error") in got
    assert ("src/2026/self.md", 0, "io-error") in got


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path)
    secret = root / "src/2026/secret.md"
    secret.write_text("# Secret\n")
    real = builtins.open

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:  # (the tests may run as root)
        if os.fspath(file).endswith("secret.md"):
            raise PermissionError(13, "Permission denied")
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    monkeypatch.setattr(io, "open", deny)  # (what pathlib opens files with)
    assert codes(tmp_path) == [("src/2026/secret.md", 0, "io-error")]


def test_script_and_event_handlers_are_flagged(tmp_path: Path) -> None:
    text = textwrap.dedent(GOAL_2026).replace(
        "Stabilize widgets. Then celebrate.",
        'Hi <img src=x onerror="alert(1)"> and [x](javascript:alert(1))\n\n<script>evil()</script>',
    )
    write_tree(tree(tmp_path), {"src/2026/good.md": text})
    assert [c for c in codes(tmp_path) if c[2] == "raw-html"] == [
        ("src/2026/good.md", 15, "raw-html"),
        ("src/2026/good.md", 17, "raw-html"),
    ]


def test_javascript_links_are_flagged_in_any_case_and_code_is_not(tmp_path: Path) -> None:
    text = textwrap.dedent(GOAL_2026).replace(
        "Stabilize widgets. Then celebrate.",
        "Plain text: no markup.\n\nSee [x](JavaScript:alert(1)).\n\n```\n<script>shown()</script>\n```\n\n"
        "Then [y](jAvAsCrIpT:go()) and <b>bold</b>.",
    )
    write_tree(tree(tmp_path), {"src/2026/good.md": text})
    assert [c for c in codes(tmp_path) if c[2] == "raw-html"] == [
        ("src/2026/good.md", 17, "raw-html"),
        ("src/2026/good.md", 23, "raw-html"),
    ]


def test_goal_in_nested_folder_is_not_a_goal(tmp_path: Path) -> None:
    write_tree(tree(tmp_path), {"src/2026/drafts/idea.md": GOAL_2026})
    assert ("src/2026/drafts/idea.md", 3, "goal-outside-milestone") in codes(tmp_path)
    assert len(goalkeeper.load(tmp_path).goals) == 1


@pytest.mark.parametrize("source", ["{root}/src", "./src/", "docs/../src"])
def test_source_folder_however_written_holds_the_milestones(tmp_path: Path, source: str) -> None:
    root = tree(tmp_path)
    source = source.format(root=root)
    (root / "goalkeeper.toml").write_text(textwrap.dedent(CONFIG) + f"[layout]\nsource = {source!r}\n")
    write_tree(root, {"src/2026/drafts/idea.md": GOAL_2026, "docs/README.md": "# Docs\n"})
    where = "src" if source.startswith(str(root)) else source.rstrip("/").removeprefix("./")
    assert codes(root) == [(f"{where}/2026/drafts/idea.md", 3, "goal-outside-milestone")]
    assert goalkeeper.load(root).goals[0].path == f"{where}/2026/good.md"


@pytest.mark.parametrize(("ignore", "ignored", "goals"), [
    (None, ["TEMPLATE.md", "TEMPLATE-x.md", "x-TEMPLATE.md"], ["template", "x-TEMPLATE-y"]),
    (["*-x*.md", "t?p.md", "[ab]c.md", "exact.md"], ["a-x.md", "TEMPLATE-x.md", "tmp.md", "bc.md",
                                                      "exact.md"], ["TEMPLATE", "cc", "exact.md"]),
])
def test_files_named_by_an_ignore_glob_are_not_goals(
        tmp_path: Path, ignore: list[str] | None, ignored: list[str], goals: list[str]) -> None:
    root = tree(tmp_path)
    if ignore is not None:
        (root / "goalkeeper.toml").write_text(textwrap.dedent(CONFIG) + f"[layout]\nignore = {ignore}\n")
    write_tree(root, {f"src/2026/{name}": GOAL_2026 for name in ignored})
    write_tree(root, {f"src/2026/{stem}.md": GOAL_2026 for stem in goals})
    program = goalkeeper.load(root)
    assert sorted(g.key.split("/", 1)[1] for g in program.goals) == sorted([*goals, "good"])
    assert {p.path.rsplit("/", 1)[1] for p in program.milestone("2026").pages} >= set(ignored)


def test_missing_root_and_bad_config_raise_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProgramNotFound, match="no such folder"):
        goalkeeper.load(tmp_path / "nope")
    (tmp_path / "goalkeeper.toml").write_text("[project\nname=1")
    with pytest.raises(ConfigError, match=r"goalkeeper\.toml: invalid TOML"):
        goalkeeper.load(tmp_path)
    (tmp_path / "goalkeeper.toml").write_text("[program]\nmissing_champion = 'loud'\n")
    with pytest.raises(ConfigError, match='use "error" or "warning"'):
        goalkeeper.load(tmp_path)
    for url in ("ftp://example.com", "https:///x", "https:// x", "api.github.com"):
        (tmp_path / "goalkeeper.toml").write_text(f"[project]\napi_url = {url!r}\n")
        with pytest.raises(ConfigError, match="api_url must be an http"):
            goalkeeper.load(tmp_path)
    (tmp_path / "goalkeeper.toml").write_text("[project]\n")
    with pytest.raises(ProgramNotFound, match="source folder not found"):
        goalkeeper.load(tmp_path)
    (tmp_path / "goalkeeper.toml").write_text("[project]\napi_url = 'https://ghe.example/api/v3/'\n")
    (tmp_path / "src").mkdir()
    assert goalkeeper.load(tmp_path).config.api_url == "https://ghe.example/api/v3"


def test_severity_overrides(tmp_path: Path) -> None:
    root = tree(tmp_path)
    (root / "goalkeeper.toml").write_text(
        CONFIG + '\n[diagnostics]\nunknown-roadmap = "off"\nunknown-highlight = "error"\n'
    )
    program = goalkeeper.load(root)
    assert "unknown-roadmap" not in {d.code for d in program.diagnostics}
    assert {d.severity for d in program.diagnostics if d.code == "unknown-highlight"} == {"error"}


def test_atomic_writes_keep_normal_permissions(tmp_path: Path) -> None:
    from goalkeeper.fsutil import write_atomic

    new = tmp_path / "new.md"
    assert write_atomic(new, "x")
    assert new.stat().st_mode & 0o777 == 0o666 & ~_umask()
    new.chmod(0o640)
    assert write_atomic(new, "y") and new.stat().st_mode & 0o777 == 0o640
    assert not write_atomic(new, "y")  # unchanged bytes: not rewritten


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
