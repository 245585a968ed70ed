"""Finding and reading a repository's documents: every `.md` file under the source folder, and
its text, read defensively.

Unreadable, binary, non-UTF-8, oversized and empty files, names that are not UTF-8, `.md` names
that are not regular files, symlink loops and symlinks leading out of the repository become
diagnostics; nothing outside the repository is read.
"""

from __future__ import annotations

import os
import re
import stat
from functools import cache
from pathlib import Path

from ..diagnostics import Diagnostics, Span
from ..model import Config
from .text import decode


class SourceFile:
    """A `.md` file the walk found; paths are strings, not `Path`s (a check builds one a file).
    The loader's own records (this and `_Read`) are plain classes: a frozen dataclass costs
    the import 0.6 M instructions to make."""

    __slots__ = ("folder", "name", "path", "rel")

    def __init__(self, path: str, rel: str, name: str, folder: str) -> None:
        self.path = path  # as the walk reached it (through any symlinked folder)
        self.rel = rel  # POSIX path relative to the program root
        self.name = name  # the file's name
        self.folder = folder  # POSIX path of its folder relative to the source folder ("": it)


def walk(source: Path, root: Path, diags: Diagnostics) -> list[SourceFile]:
    """All `.md` files under `source`, following directory symlinks once (loops reported)."""
    out: list[SourceFile] = []
    seen: set[str] = set()
    stack = [(str(source), _rel(source, root), "")]  # (path, rel, folder) of a folder to read
    top = os.path.realpath(root)
    while stack:
        d, d_rel, folder = stack.pop()
        try:
            real = os.path.realpath(d)
        except OSError as e:  # pragma: no cover - realpath rarely fails
            diags.add(Span(d_rel), "io-error", f"cannot resolve folder: {e}")
            continue
        if not _within(real, top):
            _outside(d, d_rel, diags)
            continue
        if real in seen:
            diags.add(
                Span(d_rel),
                "io-error",
                "folder is a symlink back into a folder already read (symlink loop); skipped",
                "remove the symlink or point it outside the goals folder",
            )
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(d), key=lambda entry: entry.name)
        except OSError as err:
            diags.add(Span(d_rel), "io-error", f"cannot list folder: {err.strerror}",
                      "check the folder's permissions")
            continue
        subdirs: list[tuple[str, str, str]] = []
        for entry in entries:
            name = entry.name
            rel = _child(d_rel, name)
            if not name.isascii() and not _utf8(name):
                shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                diags.add(Span(shown), "not-utf8", "file name is not valid UTF-8; skipped",
                          "rename it: names become page addresses and links, which must be UTF-8")
                continue
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError as err:
                diags.add(Span(rel), "io-error", f"cannot stat: {err.strerror}")
                continue
            if is_dir:
                if not name.startswith("."):
                    subdirs.append((entry.path, rel, f"{folder}/{name}" if folder else name))
            elif is_file and name.endswith(".md"):
                if entry.is_symlink() and not _within(os.path.realpath(entry.path), top):
                    _outside(entry.path, rel, diags)
                    continue
                out.append(SourceFile(entry.path, rel, name, folder))
            elif name.endswith(".md"):
                _not_a_file(entry, rel, top, diags)
        stack.extend(reversed(subdirs))
    return out


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes arrive as lone surrogates (surrogateescape)
        return False
    return True


def _not_a_file(entry: os.DirEntry[str], rel: str, top: str, diags: Diagnostics) -> None:
    """A `.md` name that is not a regular file: say what it is instead of skipping silently."""
    p = entry.path
    if entry.is_symlink():
        if not os.path.exists(p):
            diags.add(Span(rel), "io-error",
                      "symlink points nowhere (broken link or symlink loop); skipped",
                      "fix or remove the symlink")
            return
        if not _within(os.path.realpath(p), top):
            _outside(p, rel, diags)
            return
    try:
        mode = os.stat(p).st_mode
    except OSError as err:
        diags.add(Span(rel), "io-error", f"cannot stat: {err.strerror}")
        return
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode)
            or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    diags.add(Span(rel), "io-error", f"`.md` name that is {kind}; skipped",
              "replace it with a markdown file or remove it")


def misplaced_milestones(config: Config, root: Path, diags: Diagnostics) -> None:
    """A milestone name that is a file, not a folder: its goals would silently be missing."""
    try:
        entries = list(os.scandir(config.source_dir))
    except OSError:
        return  # reported by the walk
    for entry in sorted(entries, key=lambda e: e.name):
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if not is_dir and config.is_milestone_name(entry.name):
            diags.add(Span(_rel(Path(entry.path), root)), "io-error",
                      "named like a milestone but not a folder; no goals are read from it",
                      f"make `{config.source}/{entry.name}/` a folder holding the goal documents")


def _within(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def _outside(p: str, rel: str, diags: Diagnostics) -> None:
    """A symlink leading out of the repository: a pull request could otherwise publish
    `/etc/passwd` as a page, or make a build walk the whole file system."""
    try:
        target = os.readlink(p)
    except OSError:
        target = "outside the repository"
    diags.add(Span(rel), "symlink-outside",
              f"symlink leads out of the repository (to {target}); not read",
              "replace the symlink with the file, or point it inside the repository")


def _rel(p: Path, root: Path) -> str:
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return p.as_posix()


def _child(rel: str, name: str) -> str:
    """`_rel` of the entry `name` of the folder whose `_rel` is `rel`."""
    if rel == ".":
        return name
    return rel + name if rel.endswith("/") else f"{rel}/{name}"


def read_text(f: SourceFile, config: Config, diags: Diagnostics, *, in_milestone: bool) -> str | None:
    """The file's text, or None (with a diagnostic) when it cannot or should not be parsed."""
    try:
        size = os.stat(f.path).st_size
        if size > config.max_file_bytes:
            diags.add(
                Span(f.rel),
                "file-too-large",
                f"file is {size:,} bytes, more than the {config.max_file_bytes:,} allowed; skipped",
                "split the document, or raise [program] max_file_bytes in goalkeeper.toml",
            )
            return None
        with open(f.path, "rb", buffering=0) as fh:
            data = fh.read()
    except OSError as e:
        diags.add(Span(f.rel), "io-error", f"cannot read file: {e.strerror}",
                  "check the file's permissions and that any symlink resolves")
        return None
    text = decode(data, f.rel, diags)
    if text is None:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():  # blank (without stripping a copy of every document)
        if in_milestone:
            diags.add(Span(f.rel), "empty-file", "document is empty",
                      "write the goal from the template, or delete the file")
        return None
    return text


def ignored(name: str, config: Config) -> bool:
    """Whether `name` matches a glob of `[layout] ignore`, as `fnmatch.fnmatch` says."""
    return bool(config.ignore) and _globs(config.ignore).match(os.path.normcase(name)) is not None


@cache
def _globs(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for all of `patterns`: those fnmatch would match one by one (each call some
    7,000 instructions, three a file with the default globs)."""
    import fnmatch

    return re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns))
