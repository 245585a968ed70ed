"""The preview's watcher: what it notices, and what an untrusted repository cannot make it do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from goalkeeper.site.watch import Watcher


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "src" / "2026").mkdir(parents=True)
    (root / "src" / "2026" / "goal.md").write_text("# A goal\n")
    (root / "book.toml").write_text("[book]\n")
    return root


@pytest.mark.parametrize("wake", [True, False])
def test_a_same_size_save_with_the_old_time_is_noticed(repo: Path, wake: bool) -> None:
    goal = repo / "src" / "2026" / "goal.md"
    watcher = Watcher(repo, [repo / "src"], wake=wake)
    try:
        st = goal.stat()
        tmp = goal.with_name(".goal.md.new")  # an editor's save: write beside, rename over
        tmp.write_text("# B goal\n")
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        tmp.replace(goal)
        assert goal.stat().st_mtime_ns == st.st_mtime_ns and goal.stat().st_size == st.st_size
        assert watcher.changes() == {str(goal)}
        assert watcher.changes() == set()
    finally:
        watcher.close()


def test_symlinked_folders_are_not_followed(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("x")
    (tmp_path / "outside.md").write_text("x")
    src = repo / "src" / "2026"
    (src / "out").symlink_to(outside)
    (src / "loop").symlink_to(repo / "src")  # a loop: src/2026/loop/2026/loop/...
    (src / "loop2").symlink_to(src)
    (src / "file-out.md").symlink_to(tmp_path / "outside.md")
    (src / "alias.md").symlink_to(src / "goal.md")  # inside the repository: watched
    watcher = Watcher(repo, [repo / "src"], wake=False)
    try:
        seen = watcher.snapshot()
        assert sorted(Path(p).relative_to(repo).as_posix() for p in seen) == [
            "book.toml", "src/2026/alias.md", "src/2026/goal.md"]
    finally:
        watcher.close()


def test_a_page_made_on_request_that_fails_fails_again_when_asked_again() -> None:
    from goalkeeper.site.files import Files

    calls: list[int] = []

    def broken() -> bytes:
        calls.append(1)
        raise ValueError("a broken template override")

    files = Files({"a.html": b"a"}, {"b.html": broken, "c.html": lambda: b"c"})
    for _ in range(2):
        with pytest.raises(ValueError, match="broken template"):
            files["b.html"]
    assert len(calls) == 2 and "b.html" in files and files.waiting() == {"b.html", "c.html"}
    assert files["c.html"] == b"c" and files.waiting() == {"b.html"}


def test_what_changed_since_a_moment_is_known(repo: Path) -> None:
    import time

    watcher = Watcher(repo, [repo / "src"], wake=False)
    try:
        before = time.time_ns()
        assert not watcher.changed_since(before)  # the files were written before it
        (repo / "src" / "2026" / "goal.md").write_text("# Saved during the first build\n")
    finally:
        watcher.close()
    watcher = Watcher(repo, [repo / "src"], wake=False)
    try:
        assert watcher.changed_since(before)
    finally:
        watcher.close()
