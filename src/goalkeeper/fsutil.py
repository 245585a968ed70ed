"""File writing that never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
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
    try:
        mode = path.stat().st_mode & 0o777  # keep an existing file's permissions
    except OSError:
        mode = 0o666 & ~_umask()  # a new file gets what open() would give it
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, every symlink on the way followed, is `root` or lies under it (a
    repository is untrusted: a symlink in it must not lead a reader out of it)."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
