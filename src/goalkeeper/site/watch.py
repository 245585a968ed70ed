"""Noticing saved files for `goalkeeper serve`: a snapshot of modification times and sizes,
compared on every wake-up, with Linux's inotify (through ctypes, no dependency) to wake up as a
file is saved instead of at the next poll.

The snapshot decides what changed; inotify only says when to look, so an event it misses (a
folder created and filled before its watch is added, a file system without inotify, the
per-user watch limit) is still found by the next scan, at most `RESCAN_SECONDS` later. Without
inotify (other systems) the scan runs every `poll` seconds, as before.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import sys
from collections.abc import Iterable
from pathlib import Path

from ..fsutil import inside

#: how often the snapshot is compared when inotify wakes the watcher (a safety net only)
RESCAN_SECONDS = 1.0

# <sys/inotify.h>: a file written and closed, moved in or out, created or deleted, and the
# watched folder itself going away. Not IN_MODIFY: a save is several writes, and the first
# would show a half-written file.
_IN_ATTRIB = 0x004
_IN_CLOSE_WRITE = 0x008
_IN_MOVED_FROM = 0x040
_IN_MOVED_TO = 0x080
_IN_CREATE = 0x100
_IN_DELETE = 0x200
_IN_DELETE_SELF = 0x400
_IN_MOVE_SELF = 0x800
_IN_ONLYDIR = 0x01000000
_IN_DONT_FOLLOW = 0x02000000
_MASK = (_IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE
         | _IN_DELETE_SELF | _IN_MOVE_SELF | _IN_ONLYDIR | _IN_DONT_FOLLOW)
_IN_NONBLOCK = os.O_NONBLOCK
_IN_CLOEXEC = 0o2000000


class Inotify:
    """Wake-ups when a file in a watched folder is saved (Linux). Raises OSError where inotify
    is not available."""

    def __init__(self) -> None:
        if not sys.platform.startswith("linux"):
            raise OSError("inotify is Linux only")
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._add = libc.inotify_add_watch
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self._add.restype = ctypes.c_int
        fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.fd: int = fd
        self._folders: set[str] = set()
        self._wds: set[int] = set()  # watch descriptors made so far

    def watch(self, folders: Iterable[str]) -> bool:
        """Watch `folders` (each non-recursively); forget the ones not listed (the kernel drops
        a watch when its folder goes). Every folder is added again each time (the kernel keeps
        one watch per folder), so a folder deleted and made again between two scans is
        watched again. True when a new watch was made (the kernel numbers watches without
        reusing numbers soon): what was made in its folder before it raised no event."""
        want = set(folders)
        added = False
        for f in want:
            wd = self._add(self.fd, os.fsencode(f), _MASK)
            if wd >= 0:
                self._folders.add(f)
                if wd not in self._wds:
                    self._wds.add(wd)
                    added = True
        self._folders &= want
        return added

    def drain(self) -> None:
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while os.read(self.fd, 65536):
                pass

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


class Watcher:
    """Finds changed files by comparing modification times and sizes (stdlib only).

    Watches the source folder and the template overrides recursively, and the files at the top
    of the repository (goalkeeper.toml, book.toml, ask types), skipping hidden entries. The
    repository is untrusted: a symbolic link to a folder is never followed (no loop, no
    watching outside), and a link to a file outside the repository is skipped.
    """

    def __init__(self, root: Path, folders: Iterable[Path], *, wake: bool = True) -> None:
        self.root = root
        self.folders = list(folders)
        self._dirs: set[str] = set()
        self._inotify: Inotify | None = None
        self._stop_r, self._stop_w = os.pipe()  # (interrupt: wakes `wait` to stop)
        if wake:
            try:
                self._inotify = Inotify()
            except (OSError, AttributeError):  # not Linux, or no inotify in this libc
                self._inotify = None
        self._seen = self.snapshot()

    @property
    def wakes(self) -> bool:
        """Whether saves wake the watcher (inotify) rather than the next poll."""
        return self._inotify is not None

    def snapshot(self) -> dict[str, tuple[int, int, int, int]]:
        for _ in range(8):  # (a tree still being made: a few rounds at most)
            out: dict[str, tuple[int, int, int, int]] = {}
            dirs: set[str] = {str(self.root)}
            self._scan(self.root, out, dirs, recursive=False)
            for folder in self.folders:
                self._scan(folder, out, dirs, recursive=True)
            # a file made in a new folder between the folder's scan and its watch raised no
            # event: once new folders are watched, scan again
            if self._inotify is None or not self._inotify.watch(dirs):
                break
        return out

    def _scan(self, folder: Path, out: dict[str, tuple[int, int, int, int]], dirs: set[str], *,
              recursive: bool) -> None:
        stack = [str(folder)]
        while stack:
            d = stack.pop()
            try:
                with os.scandir(d) as it:
                    if recursive:
                        dirs.add(d)
                    for e in it:
                        if e.name.startswith("."):
                            continue
                        try:
                            if e.is_symlink():
                                if e.is_dir() or not inside(Path(e.path), self.root):
                                    continue
                            elif e.is_dir(follow_symlinks=False):
                                if recursive:
                                    stack.append(e.path)
                                continue
                            if e.is_file():
                                st = e.stat()
                                # the inode and ctime too: a same-size save within one tick
                                # of the clock, or a replace by rename, still shows
                                out[e.path] = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
                        except OSError:
                            continue
            except OSError:
                continue

    def wait(self, poll: float) -> None:
        """Block until a file may have changed: a save (inotify), or `poll` seconds (without
        inotify; with it, `RESCAN_SECONDS`), or :meth:`interrupt`."""
        fds = [self._stop_r]
        if self._inotify is not None:
            fds.append(self._inotify.fd)
            poll = max(poll, RESCAN_SECONDS)
        try:
            ready, _, _ = select.select(fds, [], [], poll)
        except (OSError, ValueError):  # closed meanwhile
            return
        if self._inotify is not None and self._inotify.fd in ready:
            self._inotify.drain()

    def interrupt(self) -> None:
        """Wake a `wait` at once, and every later one (to stop watching)."""
        with contextlib.suppress(OSError):
            os.write(self._stop_w, b"x")

    def changed_since(self, ns: int) -> bool:
        """Whether a file of the last snapshot was modified (or replaced) at or after `ns`
        (nanoseconds since the epoch, as time.time_ns)."""
        return any(mtime >= ns or ctime >= ns for mtime, _, _, ctime in self._seen.values())

    def changes(self) -> set[str]:
        """Paths added, removed or modified since the last call."""
        now = self.snapshot()
        changed = {p for p in now.keys() | self._seen.keys() if now.get(p) != self._seen.get(p)}
        self._seen = now
        return changed

    def close(self) -> None:
        """Release the inotify descriptor and the pipe (after the watching thread ended)."""
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None
        for fd in (self._stop_r, self._stop_w):
            with contextlib.suppress(OSError):
                os.close(fd)
