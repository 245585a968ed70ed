"""Loading the configured minutes folders: walk them, read each markdown file once, drop
duplicate meetings (:func:`load_minutes`, :func:`read_minutes`, :func:`scan`).

Configuration (``[minutes]`` in ``goalkeeper.toml``) is read by
:mod:`goalkeeper.sources.minutes.config`. A file under two configured folders is read once, by
the deepest folder. One file is read by :mod:`goalkeeper.sources.minutes.reader`.
"""

from __future__ import annotations

import datetime
import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...constants import Severity
from ...diagnostics import Diagnostic, Diagnostics, Span
from ...model import Meeting
from .config import MinutesConfig, MinutesFolder, load_minutes_config
from .reader import fold, read_file


@dataclass(frozen=True, slots=True)
class Minutes:
    """Every meeting read (sorted by date, team, path), and the files reported and skipped."""

    config: MinutesConfig
    meetings: tuple[Meeting, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: int  # markdown files read
    skipped: int  # files reported and not counted

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.WARNING)


@dataclass(frozen=True, slots=True)
class Found:
    """A meeting and the file it was read from (for `minutes import`)."""

    meeting: Meeting
    source: Path


def load_minutes(root: str | os.PathLike[str] = ".") -> Minutes:
    """Read every minutes folder of the program at `root` (see the module docstring)."""
    return read_minutes(load_minutes_config(Path(root)))


def read_minutes(config: MinutesConfig) -> Minutes:
    diags = Diagnostics()
    found, files, skipped = scan(config, config.all_folders(), diags)
    severities = dict(config.severities)
    items: list[Diagnostic] = []
    for d in diags.sorted():
        if d.code in severities:
            sev = severities[d.code]
            if sev is None:
                continue
            d = Diagnostic(d.span, d.code, d.message, d.hint, sev)
        items.append(d)
    meetings = tuple(f.meeting for f in found)
    return Minutes(config, meetings, tuple(items), files, skipped)


def scan(
    config: MinutesConfig, folders: tuple[MinutesFolder, ...], diags: Diagnostics
) -> tuple[list[Found], int, int]:
    """Meetings in `folders`, each file read once, duplicates dropped: (found, files, skipped)."""
    root = config.root
    # The deepest folder claims a file that several folders hold; configured before implicit.
    order = sorted(
        enumerate(folders),
        key=lambda p: (-len(Path(os.path.realpath(root / p[1].path)).parts), p[0]),
    )
    claimed: set[tuple[int, int]] = set()  # (device, inode): a file is read once
    found: list[Found] = []
    files = skipped = 0
    show = _Display(root)
    for _, spec in order:
        base = root / spec.path
        if not base.is_dir():
            if not spec.implicit:
                diags.add(
                    Span(config.config_path),
                    "io-error",
                    f"[[minutes.folders]] path = {spec.path!r}: no such folder; its minutes are not read",
                    "fix the path (relative to the folder holding goalkeeper.toml)",
                )
            continue
        for path, st in _walk(base, show, diags):
            ident = (st.st_dev, st.st_ino)
            if ident in claimed or any(fnmatch.fnmatch(path.name, p) for p in config.ignore):
                continue
            claimed.add(ident)
            files += 1
            meeting = read_file(path, st.st_size, show(path), base, spec, config, diags)
            if meeting is None:
                skipped += 1
            else:
                found.append(Found(meeting, path))
    found.sort(key=lambda f: (f.meeting.date, f.meeting.team, f.meeting.path))
    seen: dict[tuple[str, datetime.date, str], Meeting] = {}
    unique: list[Found] = []
    for f in found:
        m = f.meeting
        key = (m.team, m.date, fold(m.title))
        first = seen.get(key)
        if first is not None:
            diags.add(
                m.span,
                "minutes-duplicate",
                f"{m.team} meeting {m.date} {m.title!r} is already recorded by {first.path}; "
                "not counted twice",
                "delete one of the two files (or give them different titles if they are two meetings)",
            )
            skipped += 1
            continue
        seen[key] = m
        unique.append(f)
    return unique, files, skipped


def _walk(base: Path, show: _Display, diags: Diagnostics) -> Iterator[tuple[Path, os.stat_result]]:
    """`.md` files under `base` in sorted order with their stat; hidden folders skipped, symlink
    loops and broken links reported."""
    seen: set[str] = set()
    stack = [base]
    while stack:
        d = stack.pop()
        real = os.path.realpath(d)
        if real in seen:
            diags.add(Span(show(d)), "io-error",
                      "folder is a symlink back into a folder already read (symlink loop); skipped")
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as e:
            diags.add(Span(show(d)), "io-error", f"cannot list folder: {e.strerror}")
            continue
        subdirs: list[Path] = []
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir():
                    if not name.startswith("."):
                        subdirs.append(Path(entry.path))
                    continue
                if not name.endswith(".md"):
                    continue
                st = entry.stat()
            except OSError:
                diags.add(Span(show(Path(entry.path))), "io-error",
                          "symlink points nowhere (broken link or symlink loop); skipped")
                continue
            yield Path(entry.path), st
        stack.extend(reversed(subdirs))


class _Display:
    """Paths as shown in spans: relative to the program root, else to the current folder."""

    def __init__(self, root: Path) -> None:
        self._bases = [os.path.join(os.path.abspath(b), "") for b in (root, Path.cwd())]

    def __call__(self, p: Path) -> str:
        text = os.path.abspath(p)
        for b in self._bases:
            if text.startswith(b):
                text = text[len(b):]
                break
        return text.replace(os.sep, "/")


def display_path(p: Path, root: Path) -> str:
    """`p` relative to the program root, else to the current folder, else absolute (POSIX)."""
    return _Display(root)(p)
