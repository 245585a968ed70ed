"""File writing that never leaves a half-written file behind."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, text: str | bytes, *, durable: bool = True) -> bool:
    """Write `text` (UTF-8 encoded, or bytes as given) to `path` via a temporary file and
    rename; skip if the bytes are unchanged.

    With `durable` (the default) the data is flushed to disk (fsync) before the rename; a
    batch of many files that can be written again (a built site) passes False and makes only
    its last file durable: a reader never sees a half-written file either way.

    Returns True when the file was written.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    tmp = write_beside(path, data, durable=durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_beside(path: Path, data: bytes | Iterable[bytes], *, durable: bool = False,
                 tag: str = "") -> str:
    """Write `data` (bytes, or chunks of them: a large file is never held whole) to a new
    hidden file beside `path` (`.NAME.TAG8HEX.tmp`), with `path`'s permissions if it exists,
    and return its name: renaming it over `path` (os.replace) is then the atomic write."""
    try:
        mode: int | None = path.stat().st_mode & 0o777  # keep an existing file's permissions
    except OSError:
        mode = None  # a new file gets what open() gives it (0o666 less the umask)
    fd, tmp = _create_temporary(path, tag)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                for chunk in data:
                    f.write(chunk)
            if durable:
                f.flush()
                os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, every symlink on the way followed, is `root` or lies under it (a
    repository is untrusted: a symlink in it must not lead a reader out of it)."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def _create_temporary(path: Path, tag: str = "") -> tuple[int, str]:
    """A new hidden file beside `path`, opened for writing, as open() would make it (the umask
    applies; mkstemp's 0o600 would need a chmod, and reading the umask is not thread-safe)."""
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{tag}{os.urandom(4).hex()}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: no free temporary name for {path.name}")
