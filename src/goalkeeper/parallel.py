"""Mapping a function over many items on several cores, in order, as they are consumed.

`goalkeeper build` renders each document with pure-Python code (the markdown events, the page
template); on a machine with two cores half of them can be made at the same time in a forked
copy of the process, which already holds the loaded program and needs nothing sent to it.
:func:`forked_map` is that, and only that:

- the calling process and `jobs` - 1 children forked when the map starts take the items in
  turn: each worker claims the next item nobody has claimed (a counter in memory the
  processes share), so a worker that gets less of the machine (a busy CI runner) makes fewer
  items and nobody waits for it. A child sends each result pickled through its own pipe.
- results come back in the items' order, each as soon as the consumer asks for it. The
  calling process, which also consumes the results (a build writes the files), makes items
  only when the one it wants is not ready, and never holds more than :data:`AHEAD` of them;
  a child is never more than a pipe's worth ahead. Nothing grows with the number of items (a
  20,000-goal site is not held in memory).
- the output does not depend on the children: when one fails (an exception, a crash, a
  result that cannot be pickled), the calling process makes the item that child had claimed
  (a child whose parent is gone stops before its next item), and errors surface in the
  items' order with their own exception and message, as they would without children.
  Children end with ``os._exit`` (no buffered output written twice, no atexit handler run
  twice) and are waited for when the map ends or is closed.
- children are used only where forking is safe and worth it: on Linux, with `jobs` > 1 (by
  default the CPUs this process may use that are idle, at most 4: see :func:`jobs_wanted`;
  the ``GOALKEEPER_JOBS`` environment variable sets it, 1 for none), with a single thread
  running, and for enough items.

The function must not change state the caller relies on later (a child's changes are lost),
and its results must be picklable.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import pickle
import select
import signal
import struct
import sys
import threading
from collections.abc import Callable, Generator, Sequence
from typing import TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")

#: Fewer items than this are made in the calling process: a fork costs a few milliseconds.
MIN_ITEMS = 16
MAX_JOBS = 4
#: Items the calling process may have made ahead of the one it waits for.
AHEAD = 16
_HEADER = struct.Struct("<QQ")  # item, size of the pickled result
_PIPE_SIZE = 1 << 20  # bytes a child may run ahead by (Linux's pipe buffer, raised)


def jobs_wanted() -> int:
    """How many processes may share a map: ``GOALKEEPER_JOBS`` when set to a whole number;
    else one for each CPU this process may use (its affinity, and its control group's quota,
    at most :data:`MAX_JOBS`) that no other task is running on right now. Like ``make -l``: a
    worker on a core that is busy anyway only adds the cost of forking and of sending its
    results back (about a third more CPU time for a build), so a busy machine gets one."""
    raw = os.environ.get("GOALKEEPER_JOBS", "").strip()
    if raw.isdigit():
        return max(1, int(raw))
    return max(1, min(MAX_JOBS, _cpus() - _others_running()))


def _cpus() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    for path, fields in (("/sys/fs/cgroup/cpu.max", None),
                         ("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_period_us")):
        try:
            with open(path) as f:
                quota = f.read().split()
            if fields is not None:
                with open(fields) as f:
                    quota += f.read().split()
            if quota[0] not in ("max", "-1"):
                cpus = min(cpus, max(1, -(-int(quota[0]) // int(quota[1]))))  # rounded up
            break
        except (OSError, ValueError, IndexError):
            continue
    return cpus


def _others_running() -> int:
    """Tasks running or ready to run, this one aside (Linux's /proc/loadavg): the least of a
    few looks over 2 ms, so that a task that wakes for a moment (a shell, a process polling
    for its child) does not count, and one that keeps a core busy does."""
    import time

    fewest = None
    for look in range(5):
        if look:
            time.sleep(0.0005)
        try:
            with open("/proc/loadavg") as f:
                running = int(f.read().split()[3].partition("/")[0])
        except (OSError, ValueError, IndexError):
            return 0
        fewest = running if fewest is None else min(fewest, running)
        if fewest <= 1:
            break
    return max(0, (fewest or 1) - 1)


def forked_map(fn: Callable[[T], R], items: Sequence[T],
               jobs: int | None = None) -> Generator[R, None, None]:
    """`map(fn, items)`, the items shared with up to `jobs` - 1 forked children (see the
    module's description). Closing the iterator early stops the children."""
    if len(items) < MIN_ITEMS or not _can_fork():
        return (fn(item) for item in items)
    jobs = min(jobs_wanted() if jobs is None else jobs, len(items))
    if jobs < 2:
        return (fn(item) for item in items)
    return _forked(fn, items, jobs)


def _can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


class _Claims:
    """Which worker makes which item: the next unclaimed item and each item's worker (0 for
    none, else the worker's number + 1) in memory shared across fork. Its lock is a POSIX
    record lock on a file of its own, which the kernel releases when its holder dies (a worker
    killed while claiming leaves no one waiting for ever)."""

    def __init__(self, count: int) -> None:
        import fcntl
        import tempfile

        self.count = count
        self._memory = mmap.mmap(-1, 8 + count)  # anonymous and shared: children see it
        self._lock = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._lockf = fcntl.lockf
        self._exclusive, self._unlock = fcntl.LOCK_EX, fcntl.LOCK_UN

    def claim(self, worker: int) -> int:
        """The next item for `worker` to make (`count` when none are left)."""
        self._lockf(self._lock, self._exclusive)
        try:
            item = int.from_bytes(self._memory[:8], "little")
            if item < self.count:
                self._memory[:8] = (item + 1).to_bytes(8, "little")
                self._memory[8 + item] = worker + 1
        finally:
            self._lockf(self._lock, self._unlock)
        return item

    def owner(self, item: int) -> int | None:
        """The worker that claimed `item`, None when nobody has yet."""
        who = self._memory[8 + item]
        return who - 1 if who else None

    def close(self) -> None:
        self._lock.close()
        self._memory.close()


class _Failed:
    def __init__(self, error: Exception) -> None:
        self.error = error


def _forked(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> Generator[R, None, None]:
    claims = _Claims(len(items))
    pipes: dict[int, int] = {}  # worker -> the reading end of its pipe, while it may send
    pids: list[int] = []
    made: dict[int, R | _Failed] = {}  # by this process, ahead of the item wanted

    def make(item: int) -> None:
        try:
            made[item] = fn(items[item])
        except Exception as e:  # raised when the item is wanted: errors keep their order
            made[item] = _Failed(e)

    # what exists now is shared with the children copy-on-write: kept out of the collector's
    # sight, a child's collections do not write to (and so copy) every object of the program
    # (and what was frozen before, by the caller or an outer map, stays frozen after)
    thawed = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        for worker in range(1, jobs):
            pid, pipes[worker] = _start(fn, items, worker, claims)
            pids.append(pid)
        for want in range(len(items)):
            while want not in made:
                owner = claims.owner(want)
                if owner is None:  # nobody's yet: the next to claim, unless a child just did
                    item = claims.claim(0)
                    if item < len(items):
                        make(item)
                    continue
                fd = pipes.get(owner) if owner else None
                if fd is None:  # that worker failed (or is this one): make it here
                    make(want)
                    continue
                ready = select.select([fd], [], [], 0)[0]
                if not ready and len(made) < AHEAD:  # meanwhile, make another here
                    ahead = claims.claim(0)
                    if ahead < len(items):
                        make(ahead)
                        continue
                got = _receive(fd)
                if got is None or got[0] != want:  # it ended without sending `want`
                    del pipes[owner]
                    os.close(fd)
                    make(want)
                else:
                    yield cast(R, got[1])
                    break
            else:
                result = made.pop(want)
                if isinstance(result, _Failed):
                    raise result.error
                yield result
    finally:
        for fd in pipes.values():
            os.close(fd)  # a child still writing gets EPIPE and ends
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        claims.close()
        if thawed:
            gc.unfreeze()


def _start(fn: Callable[[T], R], items: Sequence[T], worker: int,
           claims: _Claims) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass  # the default size: the child waits more often, nothing else changes
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is inherited twice
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it without a traceback
            with os.fdopen(write_fd, "wb") as out:
                parent = os.getppid()
                while os.getppid() == parent and (item := claims.claim(worker)) < claims.count:
                    blob = pickle.dumps(fn(items[item]), pickle.HIGHEST_PROTOCOL)
                    out.write(_HEADER.pack(item, len(blob)))
                    out.write(blob)
                    out.flush()
            status = 0
        except BaseException:  # the parent makes the item instead, and raises what it raises
            pass
        finally:
            os._exit(status)
    os.close(write_fd)
    return pid, read_fd


def _read(fd: int, size: int) -> bytes:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, _PIPE_SIZE))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _receive(fd: int) -> tuple[int, object] | None:
    """(item, result) of the next result a child sent; None when it sent no more."""
    try:
        header = _read(fd, _HEADER.size)
        if len(header) < _HEADER.size:
            return None
        item, size = _HEADER.unpack(header)
        blob = _read(fd, size)
        if len(blob) < size:
            return None
        return item, pickle.loads(blob)  # (our own child's bytes, through our own pipe)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
