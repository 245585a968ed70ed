"""The files of a built site, by URL, some of them made when first asked for (see
:class:`~goalkeeper.site.build.SiteBuilder`'s `lazy`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping


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
