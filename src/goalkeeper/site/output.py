"""Writing a built site into its folder, safely.

The output folder may sit inside the repository (`ROOT/site` by default), and on a pull-request
preview the repository is untrusted: a committed `site/2026 -> /home/me` symlink must not let a
build write (or remove stale files) outside the folder. So every path is walked from the
folder's top and no symlink inside it is ever followed: a symlink where a file or folder of the
site belongs is removed (the link, never its target). A folder that holds files goalkeeper did
not write (no manifest of an earlier build) is refused, so `-o ~` cannot mix a site into a home
folder or later delete from it.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import GoalkeeperError
from ..fsutil import write_atomic, write_beside


class Site(Protocol):
    @property
    def files(self) -> Mapping[str, bytes]: ...

MANIFEST = ".goalkeeper-site.json"  # the files a build wrote, so the next one can remove stale ones
#: Files a hosting set-up keeps next to a site; a folder holding only these counts as empty.
HOSTING_FILES = frozenset({"CNAME", "_headers", "_redirects", "robots.txt"})


@dataclass(frozen=True, slots=True)
class Staged:
    """A file of the site written beside its place by :meth:`SiteWriter.stage`."""

    url: str
    temporary: str  # its name ("" when the file in place has these bytes already)
    same: bool


def _is_hex(text: str) -> bool:
    return len(text) == 8 and all(c in "0123456789abcdef" for c in text)


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def check_output_folder(out: Path) -> None:
    """Raise unless `out` is a folder goalkeeper may write a site into: absent, empty (but for
    dot-files and hosting files such as CNAME), or holding an earlier build's manifest."""
    if out.is_symlink():
        raise GoalkeeperError(
            f"{out}: the output folder is a symbolic link (to {os.readlink(out)}); "
            "goalkeeper writes only into a real folder: pass one with --out")
    if not out.exists():
        return
    if not out.is_dir():
        raise GoalkeeperError(f"{out}: the output folder is a file; pass a folder with --out")
    manifest = out / MANIFEST
    if manifest.is_file() and not manifest.is_symlink():
        return
    foreign = sorted(e.name for e in os.scandir(out)
                     if not e.name.startswith(".") and e.name not in HOSTING_FILES)
    if foreign:
        shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
        raise GoalkeeperError(
            f"{out}: the output folder is not empty ({shown}) and was not written by "
            f"goalkeeper build (no {MANIFEST}); pass an empty or new folder with --out, "
            "or empty this one")


def _prepare(out: Path, parts: list[str], made: list[Path]) -> Path | None:
    """The path of `parts` under `out` with every parent folder a real folder inside `out`
    (symlinks in the way removed, folders made and added to `made`); None when a file is in
    the way."""
    here = out
    for name in parts[:-1]:
        here = here / name
        try:
            st = here.lstat()
        except FileNotFoundError:
            here.mkdir()
            made.append(here)
            continue
        if stat.S_ISLNK(st.st_mode):
            here.unlink()  # the link only: its target is never touched
            here.mkdir()
        elif not stat.S_ISDIR(st.st_mode):
            return None
    return here / parts[-1]


def _inside(out: Path, parts: list[str]) -> Path | None:
    """The path of `parts` under `out` when no folder on the way is a symlink (else None)."""
    here = out
    for name in parts[:-1]:
        here = here / name
        try:
            if not stat.S_ISDIR(here.lstat().st_mode):
                return None
        except OSError:
            return None
    return here / parts[-1]


def _valid(url: str) -> list[str] | None:
    parts = url.split("/")
    if not url or url.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\\" in url:
        return None
    return parts


class SiteWriter:
    """Writes a site into `out` file by file, as the build makes them (so a large site is never
    held in memory): :meth:`write` each file, then :meth:`finish`. A file whose bytes changed
    is written beside its place under a hidden temporary name, and :meth:`finish` renames them
    all into place: a build that fails part-way (:meth:`abandon`) leaves the site exactly as
    the last build left it, and a reader never sees half a file. Files an earlier build wrote
    that this one did not are removed at the end, and the manifest, written last, is the one
    file made durable. A folder goalkeeper must not write into is refused (a
    :class:`GoalkeeperError`) before anything is written."""

    def __init__(self, out: Path) -> None:
        check_output_folder(out)
        out.mkdir(parents=True, exist_ok=True)
        self.out = out
        self._manifest = out / MANIFEST
        self._previous: list[str] = []
        try:
            if not self._manifest.is_symlink():
                data = json.loads(self._manifest.read_text(encoding="utf-8"))
                if isinstance(data, list):
                    self._previous = [p for p in data if isinstance(p, str)]
        except (OSError, ValueError):
            self._previous = []
        self._changed: dict[str, bool] = {}  # URL -> whether this build writes its file
        self._staged: dict[str, tuple[str, Path]] = {}  # URL -> (temporary, final path)
        self._folders: set[str] = set()  # folders of the site known to be real folders
        self._made: list[Path] = []  # folders this build made, for abandon() to remove
        self._tag = os.urandom(3).hex()  # in the names of the files `stage` writes

    @property
    def urls(self) -> list[str]:
        """The URLs written so far (each once), in the order they were first written."""
        return list(self._changed)

    def write(self, url: str, content: bytes | Iterable[bytes]) -> None:
        """Stage one file of the site, given whole or in chunks (again: the later bytes win)."""
        parts = _valid(url)
        folder = url.rpartition("/")[0]
        path: Path | None = None
        if parts and folder in self._folders:  # its folders were made or checked already
            path = self.out.joinpath(*parts)
        elif parts:
            path = _prepare(self.out, parts, self._made)
        if path is None:
            raise GoalkeeperError(f"{self.out}: cannot write {url}: a file is in the way")
        self._folders.add(folder)
        earlier = self._staged.pop(url, None)
        if earlier is not None:
            os.unlink(earlier[0])
        if not isinstance(content, bytes):  # chunks: written first, then compared
            if path.is_dir() and not path.is_symlink():
                raise GoalkeeperError(f"{self.out}: cannot write {url}: a folder is in the way")
            tmp = write_beside(path, content)
            try:
                same = (path.is_file() and not path.is_symlink()
                        and filecmp.cmp(tmp, path, shallow=False))
            except OSError:
                same = False
            if same:
                os.unlink(tmp)
            else:
                self._staged[url] = (tmp, path)
            self._changed[url] = not same
            return
        staged = self._stage_at(url, path, content)
        if staged is None:
            raise GoalkeeperError(f"{self.out}: cannot write {url}: a folder is in the way")
        self.adopt(staged)

    # A build whose pages are made by forked workers (goalkeeper.parallel) has each worker
    # stage the files it makes, so the files are created on every core: the build prepares
    # their folders first, a worker stages a file and sends back the small token `stage`
    # returns, and the build adopts it. A worker that ends without its token being adopted
    # leaves a temporary file, which `finish` and `abandon` remove.

    def prepare(self, urls: Iterable[str]) -> None:
        """Make (or check) the folders of these URLs now, so that :meth:`stage` can write them."""
        for url in urls:
            parts = _valid(url)
            folder = url.rpartition("/")[0]
            if parts and folder not in self._folders and _prepare(self.out, parts, self._made):
                self._folders.add(folder)

    def stage(self, url: str, content: bytes) -> Staged | None:
        """Write `content` beside its place (in any process): what :meth:`adopt` takes, or None
        when the URL's folder was not prepared (then :meth:`write` is for it)."""
        parts = _valid(url)
        if not parts or url.rpartition("/")[0] not in self._folders:
            return None
        return self._stage_at(url, self.out.joinpath(*parts), content)

    def _stage_at(self, url: str, path: Path, content: bytes) -> Staged | None:
        """`content` written beside `path` unless `path` holds it already; None when a folder
        is where the file goes."""
        try:
            if not path.is_symlink() and path.read_bytes() == content:
                return Staged(url, "", True)
        except IsADirectoryError:
            return None
        except OSError:
            pass
        return Staged(url, write_beside(path, content, tag=self._tag), False)

    def adopt(self, staged: Staged) -> None:
        """Take a file :meth:`stage` wrote as if :meth:`write` had written it."""
        earlier = self._staged.pop(staged.url, None)
        if earlier is not None:
            os.unlink(earlier[0])
        if not staged.same:
            parts = _valid(staged.url)
            assert parts is not None
            self._staged[staged.url] = (staged.temporary, self.out.joinpath(*parts))
        self._changed[staged.url] = not staged.same

    def _sweep(self) -> None:
        """Remove files `stage` wrote that were never adopted (a worker that failed): by their
        name, which holds this writer's tag (another build's files are not touched)."""
        kept = {os.path.basename(tmp) for tmp, _ in self._staged.values()}
        mark = "." + self._tag
        for folder in self._folders:
            here = _inside(self.out, [*folder.split("/"), "x"]) if folder else self.out / "x"
            if here is None:
                continue
            try:
                names = os.listdir(here.parent)
            except OSError:
                continue
            for name in names:
                stem = name[:-4]
                if (name.startswith(".") and name.endswith(".tmp") and name not in kept
                        and stem[:-8].endswith(mark) and _is_hex(stem[-8:])):
                    with contextlib.suppress(OSError):
                        os.unlink(here.parent / name)

    def finish(self) -> WriteReport:
        """Put every staged file in its place, remove what earlier builds wrote and this one
        did not, and write the manifest."""
        for tmp, path in self._staged.values():
            if path.is_symlink():
                path.unlink()  # the link only: its target is never touched
            os.replace(tmp, path)
        self._staged.clear()
        self._sweep()
        for folder in reversed(self._made):  # prepared for pages that were not written after all
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty
        removed = 0
        for url in self._previous:
            parts = _valid(url)
            if url in self._changed or parts is None:
                continue
            stale = _inside(self.out, parts)
            if stale is not None and (stale.is_symlink() or stale.is_file()):
                stale.unlink()
                removed += 1
                _prune_empty(stale.parent, self.out)
        self._write_manifest(sorted(self._changed))
        written = sum(self._changed.values())
        return WriteReport(written, len(self._changed) - written, removed)

    def abandon(self) -> None:
        """After a build that failed part-way: the staged files are deleted and the folders
        this build made removed when empty; the site stays as the last build left it."""
        for tmp, _ in self._staged.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._staged.clear()
        self._sweep()
        for folder in reversed(self._made):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty

    def _write_manifest(self, urls: list[str]) -> None:
        if self._manifest.is_symlink():
            self._manifest.unlink()
        write_atomic(self._manifest, json.dumps(urls, indent=0) + "\n")


def write_site(site: Site, out: Path) -> WriteReport:
    """Write `site` under `out`: only files whose bytes changed are written; files an earlier
    build wrote that this one no longer has are removed (nothing else in `out` is touched).
    Raises :class:`GoalkeeperError` for a folder goalkeeper must not write into."""
    writer = SiteWriter(out)
    for url, content in sorted(site.files.items()):
        writer.write(url, content)
    return writer.finish()


def _prune_empty(folder: Path, top: Path) -> None:
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
