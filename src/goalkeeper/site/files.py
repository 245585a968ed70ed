"""The files of a built site, by URL, some of them made when first asked for (see
:class:`~goalkeeper.site.build.SiteBuilder`'s `lazy`)."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol


class Files(Mapping[str, bytes]):
    """The files of a site by URL. Some are made on first access (the search index; in the
    preview, the pages made from the whole program and those a save touched only through their
    directives), so a preview that reloads one page does not pay for them; writing the site
    makes them all. Equality compares the files made up front: when a deferred one would differ,
    the program or the templates differ too (the preview compares those as well).
    """

    def __init__(self, ready: dict[str, bytes], deferred: dict[str, Callable[[], bytes]]) -> None:
        self._ready = ready
        self._deferred = dict(deferred)
        self._lazy = frozenset(deferred)
        self._lock = threading.Lock()
        self._keys = sorted({*ready, *deferred})

    def __getitem__(self, url: str) -> bytes:
        if url in self._ready:
            return self._ready[url]
        with self._lock:
            make = self._deferred.get(url)
            if make is not None:  # kept until it succeeds: a failing page fails again when asked
                self._ready[url] = make()
                del self._deferred[url]
        return self._ready[url]

    def __contains__(self, url: object) -> bool:
        return url in self._ready or url in self._deferred

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def waiting(self) -> frozenset[str]:
        """The files not made yet (made when first asked for)."""
        with self._lock:
            return frozenset(self._deferred)

    def same_as(self, other: Files) -> bool:
        """Whether both hold the same files (comparing those computed up front)."""
        return self._keys == other._keys and self._eager() == other._eager()

    def _eager(self) -> dict[str, bytes]:
        return {k: v for k, v in self._ready.items() if k not in self._lazy}


#: Where a batch build hands each file as it is made: `sink(url, content)`, the content whole
#: or (the print page, which holds every document) in chunks.
Sink = Callable[[str, bytes | Iterator[bytes]], None]


class Stager(Protocol):
    """Where the workers of a batch build (goalkeeper.parallel) write the pages they make: the
    build `prepare`s the pages' folders before the workers start, a worker `stage`s a page and
    sends back the token (None: the page's bytes are sent instead, for the sink), and the
    build `adopt`s it (see goalkeeper.site.output.SiteWriter)."""

    def prepare(self, urls: Iterable[str]) -> None: ...
    def stage(self, url: str, content: bytes) -> Any: ...
    def adopt(self, staged: Any) -> None: ...


class Output:
    """The files of a build, by URL: kept (for the preview), or handed to a sink as they come
    (writing the same URL again replaces the file, as in a dict)."""

    def __init__(self, sink: Sink | None) -> None:
        self.kept: dict[str, bytes] = {}
        self._urls: set[str] = set()
        self._sink = sink

    def __setitem__(self, url: str, content: bytes | Iterator[bytes]) -> None:
        self._urls.add(url)
        if self._sink is None:
            self.kept[url] = content if isinstance(content, bytes) else b"".join(content)
        else:
            self._sink(url, content)

    def handed(self, url: str) -> None:
        """`url` was written some other way (a page a worker staged)."""
        self._urls.add(url)

    def __contains__(self, url: str) -> bool:
        return url in self._urls


class Spool:
    """Chapters' HTML by URL for the print page, kept in a temporary file rather than in
    memory (a batch build holds no page's text)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._at: dict[str, tuple[int, int]] = {}
        self._end = 0

    def __setitem__(self, url: str, html: str) -> None:
        data = html.encode("utf-8")
        self._file.seek(self._end)
        self._file.write(data)
        self._at[url] = (self._end, len(data))
        self._end += len(data)

    def __getitem__(self, url: str) -> str:
        start, size = self._at[url]
        self._file.seek(start)
        return self._file.read(size).decode("utf-8")

    def __contains__(self, url: object) -> bool:
        return url in self._at

    def close(self) -> None:
        self._file.close()

    def __del__(self) -> None:  # a build that failed part-way: the file goes with it
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()
