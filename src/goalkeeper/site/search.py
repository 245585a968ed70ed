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
from collections.abc import Sequence
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


def tokenize(text: str) -> list[str]:
    """`text.split(/[\\n\\r\\p{Z}\\p{P}]+/u)`, as MiniSearch's default tokenizer does."""
    wide = set(_NON_ASCII.findall(text))
    extra = frozenset(ch for ch in wide if _is_separator(ch))
    if any(c in text for c in _NOT_SPACES):
        return _splitter(extra).split(text)
    # separators to spaces, then str.split(): a regular expression's split takes twice as
    # long (and str.translate is slow on non-ASCII text); split() drops the empty strings a
    # separator at either end leaves, which MiniSearch keeps
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


def _process(term: str) -> str:
    # JavaScript's toLowerCase; Python's lower() differs only for a few special cases
    return term.lower()


@lru_cache(maxsize=4096)
def _analyse(doc: SearchDoc) -> tuple[list[int], list[dict[str, int]]]:
    """Per field: the number of distinct tokens, and each processed term's count."""
    lengths: list[int] = []
    terms: list[dict[str, int]] = []
    for name in FIELDS:
        raw = Counter(tokenize(doc.field(name)))  # insertion order: first occurrence
        lengths.append(len(raw))
        # processed once per distinct token; the order stays that of first occurrence
        counts: dict[str, int] = {}
        for token, n in raw.items():
            term = _process(token)
            counts[term] = counts.get(term, 0) + n
        counts.pop("", None)
        terms.append(counts)
    return lengths, terms


def build_index(docs: Sequence[SearchDoc]) -> dict[str, object]:
    """The MiniSearch serialization (`toJSON()` shape, version 2) of `docs`, in order."""
    field_ids = {f: i for i, f in enumerate(FIELDS)}
    index: dict[str, dict[str, dict[str, int]]] = {}  # keys as the JSON writes them
    fids = [str(i) for i in range(len(FIELDS))]
    field_length: dict[int, list[int]] = {}
    average = [0.0] * len(FIELDS)
    stored: dict[int, dict[str, str]] = {}
    ids: dict[int, str] = {}
    for short_id, doc in enumerate(docs):
        ids[short_id] = doc.url
        stored[short_id] = {f: doc.field(f) for f in STORE}
        lengths, terms = _analyse(doc)
        for fid, unique in enumerate(lengths):
            # the running mean MiniSearch keeps (documentCount - 1 documents before this one)
            average[fid] = (average[fid] * short_id + unique) / (short_id + 1)
        sid = str(short_id)
        for key, counts in zip(fids, terms, strict=True):
            for term, n in counts.items():
                fields = index.get(term)
                if fields is None:
                    index[term] = {key: {sid: n}}
                elif key in fields:
                    fields[key][sid] = n
                else:
                    fields[key] = {sid: n}
        field_length[short_id] = lengths
    return {
        "documentCount": len(docs),
        "nextId": len(docs),
        "documentIds": {str(k): v for k, v in ids.items()},
        "fieldIds": field_ids,
        "fieldLength": {str(k): v for k, v in field_length.items()},
        "averageFieldLength": average,
        "storedFields": {str(k): v for k, v in stored.items()},
        "dirtCount": 0,
        "index": [[term, fields] for term, fields in sorted(index.items())],
        "serializationVersion": SERIALIZATION_VERSION,
    }


def index_script(docs: Sequence[SearchDoc]) -> str:
    """`search-index.js`: the index and the options it was built with, as one assignment."""
    payload = {
        "options": {"fields": list(FIELDS), "storeFields": list(STORE)},
        "index": build_index(docs),
    }
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=False,
                      check_circular=False)  # (a tree of fresh dicts; 15 % faster)
    # `</script` cannot appear in a JSON string literal in a script file, but be safe anyway
    return "window.goalkeeperSearch=" + data.replace("</", "<\\/") + ";\n"
