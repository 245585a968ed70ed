"""The prebuilt search index, in the serialization format of the vendored MiniSearch library.

MiniSearch (static/minisearch.js) loads an index with `MiniSearch.loadJS(index, options)`, the
documented counterpart of its `toJSON()`. Building that structure here, with MiniSearch's own
default tokenizer (split on Unicode spaces and punctuation) and term processing (lowercase),
means the browser does no indexing work: it loads the index and searches. The result is the
same as `new MiniSearch(options).addAll(documents).toJSON()` would give; a test checks that
with Node.js when it is installed.

The index is written as a script (`search-index.js` assigning `window.goalkeeperSearch`), not
a `.json` file, because browsers refuse `fetch()` from `file://` pages.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

#: The searchable fields, in MiniSearch's field-id order, and those stored for display.
FIELDS = ("title", "people", "teams", "text")
STORE = ("title", "url", "kind", "milestone", "summary")
SERIALIZATION_VERSION = 2


@dataclass(frozen=True, slots=True)
class SearchDoc:
    url: str  # site-root-relative; also the document id
    title: str
    kind: str  # goal, roadmap, page, team
    milestone: str
    summary: str
    people: str  # logins and names, space separated
    teams: str
    text: str

    def field(self, name: str) -> str:
        return str(getattr(self, name))


# ASCII spaces and punctuation (Unicode categories Z* and P*; `$+<=>^`|~` are symbols, S*)
_ASCII_SEPARATORS = "\n\r !\"#%&'()*,-./:;?@[\\]_{}"


@cache
def _is_separator(ch: str) -> bool:
    return ch in "\n\r" or unicodedata.category(ch)[0] in "ZP"


@cache
def _splitter(extra: frozenset[str]) -> re.Pattern[str]:
    chars = _ASCII_SEPARATORS + "".join(sorted(extra))
    return re.compile("[" + re.escape(chars) + "]+")


# characters str.split() splits on that are not separators for MiniSearch (controls)
_NOT_SPACES = "\t\x0b\x0c\x1c\x1d\x1e\x1f\x85"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TO_SPACE = str.maketrans(dict.fromkeys(_ASCII_SEPARATORS, " "))


def tokenize(text: str) -> list[str]:
    """`text.split(/[\\n\\r\\p{Z}\\p{P}]+/u)`, as MiniSearch's default tokenizer does."""
    ascii = text.isascii()  # (known without a look at the text)
    extra = frozenset() if ascii else frozenset(
        ch for ch in set(_NON_ASCII.findall(text)) if _is_separator(ch))
    if any(c in text for c in _NOT_SPACES):
        return _splitter(extra).split(text)
    # separators to spaces, then str.split(): a regular expression's split takes twice as
    # long; str.translate is quicker on ASCII text, but slow on other text (one replace per
    # separator there); split() drops the empty strings a separator at either end leaves,
    # which MiniSearch keeps
    if ascii:
        spaced = text.translate(_TO_SPACE)
    else:
        spaced = text
        for c in _ASCII_SEPARATORS + "".join(extra):
            if c in spaced:
                spaced = spaced.replace(c, " ")
    if not spaced:
        return [""]
    tokens = spaced.split()
    if spaced[0] == " ":
        tokens.insert(0, "")
    if spaced[-1] == " ":
        tokens.append("")
    return tokens


# JavaScript's toLowerCase; Python's lower() differs only for a few special cases
_process = str.lower


#: Per field of a document: the number of distinct tokens, and each processed term's count.
Analysis = tuple[list[int], list[dict[str, int]]]


@lru_cache(maxsize=4096)
def _analyse(doc: SearchDoc) -> Analysis:
    """Per field: the number of distinct tokens, and each processed term's count."""
    lengths: list[int] = []
    terms: list[dict[str, int]] = []
    for name in FIELDS:
        raw = Counter(tokenize(doc.field(name)))  # insertion order: first occurrence
        lengths.append(len(raw))
        # processed once per distinct token; the order stays that of first occurrence
        counts: dict[str, int] = {}
        get = counts.get
        for term, n in zip(map(_process, raw), raw.values(), strict=True):
            counts[term] = get(term, 0) + n
        counts.pop("", None)
        terms.append(counts)
    return lengths, terms


#: The analysis :meth:`IndexBuilder.add` needs, made apart (in another process of a build).
analyse: Callable[[SearchDoc], Analysis] = _analyse.__wrapped__


class IndexBuilder:
    """Builds the index one document at a time (a batch build adds each page's entry as the
    page is made, and keeps no text of it). With `cache`, each document's analysis is kept
    for the next build (the preview rebuilds after every save)."""

    def __init__(self, *, cache: bool = True) -> None:
        self._analyse = _analyse if cache else _analyse.__wrapped__
        self._index: dict[str, dict[str, dict[str, int]]] = {}  # keys as the JSON writes them
        self._field_length: dict[str, list[int]] = {}
        self._average = [0.0] * len(FIELDS)
        self._stored: dict[str, dict[str, str]] = {}
        self._ids: dict[str, str] = {}

    def add(self, doc: SearchDoc,
            analysis: Analysis | None = None) -> None:
        """Add `doc`, with its :func:`analyse` when it was made already."""
        short_id = len(self._ids)
        sid = str(short_id)
        self._ids[sid] = doc.url
        self._stored[sid] = {f: doc.field(f) for f in STORE}
        lengths, terms = analysis if analysis is not None else self._analyse(doc)
        average = self._average
        for fid, unique in enumerate(lengths):
            # the running mean MiniSearch keeps (documentCount - 1 documents before this one)
            average[fid] = (average[fid] * short_id + unique) / (short_id + 1)
        index = self._index
        for key, counts in zip(_FIDS, terms, strict=True):
            for term, n in counts.items():
                fields = index.get(term)
                if fields is None:
                    index[term] = {key: {sid: n}}
                elif key in fields:
                    fields[key][sid] = n
                else:
                    fields[key] = {sid: n}
        self._field_length[sid] = lengths

    def index(self) -> dict[str, object]:
        """The MiniSearch serialization (`toJSON()` shape, version 2) of what was added."""
        count = len(self._ids)
        return {
            "documentCount": count,
            "nextId": count,
            "documentIds": self._ids,
            "fieldIds": {f: i for i, f in enumerate(FIELDS)},
            "fieldLength": self._field_length,
            "averageFieldLength": self._average,
            "storedFields": self._stored,
            "dirtCount": 0,
            "index": [[term, fields] for term, fields in sorted(self._index.items())],
            "serializationVersion": SERIALIZATION_VERSION,
        }

    def script(self) -> str:
        """`search-index.js`: the index and the options it was built with, as one assignment.

        Written part by part: json.dumps holds every token of its output as a string object
        until it joins them (67 MB for the 3.7 MB index of 4,000 goals)."""
        index = self.index()
        parts = ['window.goalkeeperSearch={"options":',
                 _dumps({"fields": list(FIELDS), "storeFields": list(STORE)}), ',"index":{']
        for n, (key, value) in enumerate(index.items()):
            parts.append(("," if n else "") + _dumps(key) + ":")
            if isinstance(value, dict) and len(value) > _BATCH:
                items = list(value.items())
                parts.append("{" + ",".join(_dumps(dict(items[i:i + _BATCH]))[1:-1]
                                            for i in range(0, len(items), _BATCH)) + "}")
            elif isinstance(value, list) and len(value) > _BATCH:
                parts.append("[" + ",".join(_dumps(value[i:i + _BATCH])[1:-1]
                                            for i in range(0, len(value), _BATCH)) + "]")
            else:
                parts.append(_dumps(value))
        parts.append("}};\n")
        # `</script` cannot appear in a JSON string literal in a script file, but be safe anyway
        # (no part ends with `<`: the replacement cannot miss a `</` across two of them)
        return "".join(p.replace("</", "<\\/") for p in parts)


_BATCH = 500


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False)


_FIDS = tuple(str(i) for i in range(len(FIELDS)))


def build_index(docs: Sequence[SearchDoc]) -> dict[str, object]:
    """The MiniSearch serialization (`toJSON()` shape, version 2) of `docs`, in order."""
    builder = IndexBuilder()
    for doc in docs:
        builder.add(doc)
    return builder.index()


def index_script(docs: Sequence[SearchDoc]) -> str:
    """`search-index.js` of `docs`, in order (see :meth:`IndexBuilder.script`)."""
    builder = IndexBuilder()
    for doc in docs:
        builder.add(doc)
    return builder.script()
