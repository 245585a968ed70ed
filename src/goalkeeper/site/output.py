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
import gc
import json
import os
import stat
import struct
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from ..errors import GoalkeeperError
from ..fsutil import write_atomic, write_beside


class Site(Protocol):
    @property
    def files(self) -> Mapping[str, bytes]: ...

MANIFEST = ".goalkeeper-site.json"  # the files a build wrote, so the next one can remove stale ones
#: Files a hosting set-up keeps next to a site; a folder holding only these counts as empty.
HOSTING_FILES = frozenset({"CNAME", "_headers", "_redirects", "robots.txt"})


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

    def __init__(self, out: Path, *, helper: bool = False) -> None:
        """With `helper` (`goalkeeper build`, on Linux, in a process without other threads),
        a forked child process writes the staged files while this one makes the next pages:
        creating a file costs 0.1 to 0.7 ms of system time here, as much as rendering it."""
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
        self._seq = 0  # writes so far: the latest write of a URL wins
        self._latest: dict[str, int] = {}
        self._sent: dict[int, tuple[str, Path]] = {}  # given to the helper: seq -> (URL, path)
        self._helper = _Helper.start() if helper else None

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
        self._seq += 1
        self._latest[url] = self._seq
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
        try:
            same = not path.is_symlink() and path.read_bytes() == content
        except IsADirectoryError:
            raise GoalkeeperError(f"{self.out}: cannot write {url}: a folder is in the way") from None
        except OSError:
            same = False
        if same:
            pass
        elif self._helper is not None:
            self._helper.send(self._seq, path, content)
            self._sent[self._seq] = (url, path)
        else:
            self._staged[url] = (write_beside(path, content), path)
        self._changed[url] = not same

    def _collect(self) -> None:
        """The helper's staged files, once it has written them all."""
        if self._helper is None:
            return
        helper, self._helper = self._helper, None
        done, error = helper.finish()
        for seq, tmp in done:
            url, path = self._sent[seq]
            if self._latest.get(url) == seq:
                self._staged[url] = (tmp, path)
            else:  # written again since, by this process or the helper
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        self._sent.clear()
        if error:
            raise OSError(error)

    def finish(self) -> WriteReport:
        """Put every staged file in its place, remove what earlier builds wrote and this one
        did not, and write the manifest."""
        try:
            self._collect()
        except OSError:
            self.abandon()
            raise
        for tmp, path in self._staged.values():
            if path.is_symlink():
                path.unlink()  # the link only: its target is never touched
            os.replace(tmp, path)
        self._staged.clear()
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
        with contextlib.suppress(OSError):
            self._collect()
        for tmp, _ in self._staged.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._staged.clear()
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


class _Helper:
    """A forked child that writes files beside their place (fsutil.write_beside) as it is
    told, and answers with their temporary names when told nothing more."""

    def __init__(self, pid: int, jobs: BinaryIO, results: BinaryIO) -> None:
        self._pid, self._jobs, self._results = pid, jobs, results

    @classmethod
    def start(cls) -> _Helper | None:
        """A helper; None where forking is not safe (not Linux, or other threads running)."""
        if sys.platform != "linux" or threading.active_count() > 1:
            return None
        jobs_r, jobs_w = os.pipe()
        results_r, results_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            code = 0
            try:
                gc.disable()  # a collection would touch, and so copy, the parent's objects
                os.close(jobs_w)
                os.close(results_r)
                _serve(jobs_r, results_w)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(jobs_r)
        os.close(results_w)
        return cls(pid, os.fdopen(jobs_w, "wb"), os.fdopen(results_r, "rb"))

    def send(self, seq: int, path: Path, content: bytes) -> None:
        name = os.fsencode(path)
        self._jobs.write(struct.pack("<IIQ", seq, len(name), len(content)) + name)
        self._jobs.write(content)

    def finish(self) -> tuple[list[tuple[int, str]], str]:
        """(seq, temporary name) of every file written, and the first error ("" if none)."""
        with contextlib.suppress(OSError):  # the child died: what it wrote is reported below
            self._jobs.close()
        data = self._results.read()
        self._results.close()
        _, status = os.waitpid(self._pid, 0)
        try:
            answer = json.loads(data)
            return [(int(seq), str(tmp)) for seq, tmp in answer["done"]], str(answer["error"])
        except (ValueError, KeyError, TypeError):
            return [], f"the file writer stopped (status {status})"


def _serve(jobs_fd: int, results_fd: int) -> None:
    done: list[tuple[int, str]] = []
    error = ""
    head = struct.calcsize("<IIQ")
    with os.fdopen(jobs_fd, "rb") as jobs:
        while len(header := jobs.read(head)) == head:
            seq, name_size, size = struct.unpack("<IIQ", header)
            path = Path(os.fsdecode(jobs.read(name_size)))
            content = jobs.read(size)
            if error:
                continue  # the rest is read, not written
            try:
                done.append((seq, write_beside(path, content)))
            except OSError as e:
                error = f"{path}: {e.strerror or e}"
    with os.fdopen(results_fd, "wb") as out:
        out.write(json.dumps({"done": done, "error": error}).encode("utf-8"))
