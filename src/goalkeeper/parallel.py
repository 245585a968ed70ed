"""Mapping a function over many items on several cores, in order, as they are consumed.

`goalkeeper build` renders each document with pure-Python code (the markdown events, the page
template); on a machine with two cores half of them can be made at the same time in a forked
copy of the process, which already holds the loaded program and needs nothing sent to it.
:func:`forked_map` is that, and only that:

- worker 0 is the calling process, the others are children forked when the map starts. The
  calling process also takes the results (a build writes the files and indexes the pages), so
  it makes fewer of the items: one in `jobs` + 1, the children share the rest in turn.
- results come back in the items' order, each as soon as the consumer asks for it, so a child
  is never more than a pipe's worth ahead: nothing grows with the number of items (a
  20,000-goal site is not held in memory).
- a child sends each result pickled through its own pipe and ends with ``os._exit`` (no
  buffered output of the parent is written twice, no atexit handler runs twice).
- the output does not depend on the children: when one fails (an exception, a crash, a result
  that cannot be pickled), the calling process makes that item and every later item of that
  child itself, so an error surfaces exactly as it would without children, with its own
  exception and message.
- children are used only where forking is safe and worth it: on Linux, with `jobs` > 1 (by
  default the CPUs this process may run on, at most 4; the ``GOALKEEPER_JOBS`` environment
  variable sets it, 1 for none), with a single thread running, and for enough items.

The function must not change state the caller relies on later (a child's changes are lost),
and its results must be picklable.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable, Generator, Sequence
from typing import BinaryIO, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")

#: Fewer items than this are made in the calling process: a fork costs a few milliseconds.
MIN_ITEMS = 16
MAX_JOBS = 4
_HEADER = struct.Struct("<Q")
_PIPE_SIZE = 1 << 20  # bytes a child may run ahead by (Linux's pipe buffer, raised)


def jobs_wanted() -> int:
    """How many processes may share a map: ``GOALKEEPER_JOBS`` when set to a whole number,
    else the CPUs this process may run on (at most :data:`MAX_JOBS`)."""
    raw = os.environ.get("GOALKEEPER_JOBS", "").strip()
    if raw.isdigit():
        return max(1, int(raw))
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_JOBS))


def forked_map(fn: Callable[[T], R], items: Sequence[T],
               jobs: int | None = None) -> Generator[R, None, None]:
    """`map(fn, items)`, the items shared with up to `jobs` - 1 forked children (see the
    module's description). Closing the iterator early stops the children."""
    jobs = min(jobs_wanted() if jobs is None else jobs, len(items))
    if jobs < 2 or len(items) < MIN_ITEMS or not _can_fork():
        return (fn(item) for item in items)
    return _forked(fn, items, jobs)


def _can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


def _forked(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> Generator[R, None, None]:
    children: list[tuple[int, BinaryIO | None]] = []  # (pid, the pipe's reading end)
    try:
        for worker in range(1, jobs):
            children.append(_start(fn, items, worker, jobs))
        for i, item in enumerate(items):
            worker = _worker(i, jobs)
            if worker == 0:
                yield fn(item)
                continue
            pid, pipe = children[worker - 1]
            got = _receive(pipe) if pipe is not None else None
            if got is None:  # that child failed: the rest of its share is made here
                if pipe is not None:
                    pipe.close()
                    children[worker - 1] = (pid, None)
                yield fn(item)
            else:
                yield cast(R, got[0])
    finally:
        for pid, pipe in children:
            if pipe is not None:
                pipe.close()  # a child still writing gets EPIPE and ends
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _start(fn: Callable[[T], R], items: Sequence[T], worker: int,
           jobs: int) -> tuple[int, BinaryIO | None]:
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
                for item in (x for i, x in enumerate(items) if _worker(i, jobs) == worker):
                    blob = pickle.dumps((fn(item),), pickle.HIGHEST_PROTOCOL)
                    out.write(_HEADER.pack(len(blob)))
                    out.write(blob)
                    out.flush()
            status = 0
        except BaseException:  # the parent makes the item instead, and raises what it raises
            pass
        finally:
            os._exit(status)
    os.close(write_fd)
    return pid, os.fdopen(read_fd, "rb")


def _worker(i: int, jobs: int) -> int:
    """Which worker makes item `i` (0: the calling process)."""
    turn = i % (jobs + 1)
    return 0 if turn == 0 else 1 + (turn - 1) % (jobs - 1)


def _receive(pipe: BinaryIO) -> tuple[object] | None:
    """The next result a child sent, in a 1-tuple; None when it sent no more."""
    try:
        header = pipe.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return None
        (size,) = _HEADER.unpack(header)
        blob = pipe.read(size)
        if len(blob) < size:
            return None
        got = pickle.loads(blob)  # (our own child's bytes, through our own pipe)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return got if isinstance(got, tuple) and len(got) == 1 else None
