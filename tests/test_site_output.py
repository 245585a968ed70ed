"""`goalkeeper build` writes each file as it is made: the same site as one built in memory, never
the whole site held at once, and a build that fails part-way leaves the site as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalkeeper
from goalkeeper.cli.group import main
from goalkeeper.site import SiteBuilder, build_site, write_site
from goalkeeper.site import build as site_build
from goalkeeper.site.output import MANIFEST, SiteWriter

from .conftest import EXAMPLE


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("jobs", ["1", "2", "3"])
@pytest.mark.parametrize("which", ["example", "real"])
def test_streamed_build_writes_the_same_site_as_one_built_in_memory(
        which: str, jobs: str, tmp_path: Path, request: pytest.FixtureRequest,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Also when its documents' pages are made by several processes (goalkeeper.parallel)."""
    monkeypatch.setenv("GOALKEEPER_JOBS", jobs)
    root = EXAMPLE if which == "example" else request.getfixturevalue("rust_goals")
    streamed, in_memory = tmp_path / "streamed", tmp_path / "memory"
    r = CliRunner().invoke(main, ["build", str(root), "--out", str(streamed)])
    assert r.exit_code == 0, r.output
    write_site(build_site(goalkeeper.load(root)), in_memory)
    files = tree(streamed)
    assert files == tree(in_memory)
    listed = json.loads(files[MANIFEST])
    assert sorted(files) == sorted([*listed, MANIFEST])
    assert f"({len(listed)} files)" in r.stdout


def test_pages_are_handed_over_as_they_are_rendered_and_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[str] = []
    seen_by_index: list[int] = []
    script = site_build.IndexBuilder.script

    def spy(self: site_build.IndexBuilder) -> str:
        seen_by_index.append(len(received))  # how many files were out before the index
        return script(self)

    monkeypatch.setattr(site_build.IndexBuilder, "script", spy)
    program = goalkeeper.load(EXAMPLE)
    builder = SiteBuilder()
    site = builder.build(program, sink=lambda url, data: received.append(url))
    assert len(site.files) == 0  # nothing held
    everything = build_site(program).files
    assert sorted(received) == sorted(everything) and len(received) == len(set(received))
    assert seen_by_index == [len(received) - 1]  # every page was out before the search index
    assert received[-1] == "search-index.js"
    # nothing was cached for a next build either: it templates every document page again
    first = builder.templated
    builder.build(program, sink=lambda url, data: None)
    assert builder.templated == first == len(site.sources) > 0


def test_a_build_that_fails_part_way_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    root, out = tmp_path / "ferrite", tmp_path / "site"
    shutil.copytree(EXAMPLE, root)
    assert CliRunner().invoke(main, ["build", str(root), "--out", str(out)]).exit_code == 0
    before = tree(out)
    (root / "src/2026/jvm-interop.md").rename(root / "src/2026/moved-interop.md")
    (root / "src/2027").mkdir()
    (root / "src/2027/new.md").write_text("# A page in a new folder\n")
    (root / "templates").mkdir()
    # the dashboard is made after the documents' pages: the build fails once they are out
    (root / "templates/dashboard.html").write_text("{{ no_such_variable.x }}")
    r = CliRunner().invoke(main, ["build", str(root), "--out", str(out)])
    assert r.exit_code == 2 and "a site template" in r.stderr
    assert tree(out) == before  # no page of the failed build, no temporary file, same manifest
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()) == \
        sorted({Path(u).parent.as_posix() for u in before if "/" in u})  # no folder left made
    (root / "templates/dashboard.html").unlink()
    r = CliRunner().invoke(main, ["build", str(root), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "2026/moved-interop.html").is_file() and (out / "2027/new.html").is_file()
    assert not (out / "2026/jvm-interop.html").exists()  # the stale page is removed
    assert set(json.loads((out / MANIFEST).read_text())) == {p for p in tree(out) if p != MANIFEST}


def test_a_folder_where_a_page_belongs_is_an_error_before_anything_changes(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(out)]).exit_code == 0
    before = tree(out)
    (out / "dashboard.html").unlink()
    (out / "dashboard.html").mkdir()
    r = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(out)])
    assert r.exit_code == 2 and "dashboard.html: a folder is in the way" in r.stderr
    assert tree(out) == {k: v for k, v in before.items() if k != "dashboard.html"}


def test_a_file_given_in_chunks_is_written_whole_and_left_alone_when_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "site"
    writer = SiteWriter(out)
    writer.write("print.html", iter([b"<p>one</p>", b"", b"<p>two</p>"]))
    writer.write("a/b.html", b"whole")
    assert writer.finish().written == 2
    assert (out / "print.html").read_bytes() == b"<p>one</p><p>two</p>"
    before = (out / "print.html").stat().st_mtime_ns
    writer = SiteWriter(out)
    writer.write("print.html", iter([b"<p>one</p><p>", b"two</p>"]))
    writer.write("a/b.html", b"whole")
    report = writer.finish()
    assert (report.written, report.unchanged) == (0, 2)
    assert (out / "print.html").stat().st_mtime_ns == before
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
    writer = SiteWriter(out)
    writer.write("print.html", iter([b"<p>three</p>"]))
    assert writer.finish().written == 1 and (out / "print.html").read_bytes() == b"<p>three</p>"


def test_pages_staged_elsewhere_are_written_as_write_writes_them(tmp_path: Path) -> None:
    # what the workers of a parallel build do (goalkeeper.parallel): stage, then adopt here
    written, staged = tmp_path / "written", tmp_path / "staged"
    pages = {"index.html": b"home", "2026/a.html": b"a", "2026/sub/b.html": b"b"}
    plain = SiteWriter(written)
    for url, data in pages.items():
        plain.write(url, data)
    report = plain.finish()
    other = SiteWriter(staged)
    assert other.stage("2026/a.html", b"a") is None  # its folder was not prepared
    other.prepare(pages)
    tokens = [other.stage(url, data) for url, data in pages.items()]
    orphan = other.stage("2026/a.html", b"a worker that failed before sending this")
    assert orphan is not None and Path(orphan.temporary).is_file()
    for token in tokens:
        other.adopt(token)
    assert other.finish() == report
    assert tree(staged) == tree(written)  # and no temporary file is left
    again = SiteWriter(staged)
    again.prepare(pages)
    unchanged = again.stage("2026/a.html", b"a")
    assert unchanged is not None and unchanged.same and not unchanged.temporary
    again.adopt(unchanged)
    again.write("index.html", b"home")
    again.write("2026/sub/b.html", b"b")
    assert again.finish().written == 0


def test_an_abandoned_build_leaves_no_staged_page_behind(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = SiteWriter(out)
    first.write("2026/a.html", b"a")
    first.finish()
    before = tree(out)
    writer = SiteWriter(out)
    writer.prepare(["2026/a.html", "2026/b.html"])
    writer.adopt(writer.stage("2026/a.html", b"changed"))
    writer.stage("2026/b.html", b"never adopted")
    writer.abandon()
    assert tree(out) == before


def test_a_build_that_fails_while_taking_pages_stops_its_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    import os

    monkeypatch.setenv("GOALKEEPER_JOBS", "2")
    program = goalkeeper.load(request.getfixturevalue("rust_goals"))
    out = tmp_path / "site"

    class Failing(SiteWriter):
        taken = 0

        def adopt(self, staged: object) -> None:
            self.taken += 1
            if self.taken == 20:
                raise OSError(28, "No space left on device")
            super().adopt(staged)  # type: ignore[arg-type]

    other = out / "2026" / ".another-build.html.0123456789abcd.tmp"  # not this writer's
    writer = Failing(out)
    writer.prepare(["2026/x.html"])
    other.write_bytes(b"another build's page")
    with pytest.raises(OSError, match="No space") as failed:
        SiteBuilder().build(program, sink=writer.write, stager=writer)
    writer.abandon()  # (as `goalkeeper build` does, the failed build's frame still held)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no worker left
    assert [p for p in out.rglob("*") if p.is_file()] == [other]
    del failed
