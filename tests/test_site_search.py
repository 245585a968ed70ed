"""The search index's tokenizer splits exactly as MiniSearch's default one does."""

from __future__ import annotations

import random
import re
import unicodedata

from goalkeeper.site.search import tokenize

# MiniSearch: text.split(/[\n\r\p{Z}\p{P}]+/u)
_SEPARATOR = re.compile("[" + "".join(
    re.escape(chr(c)) for c in range(0x30000)
    if chr(c) in "\n\r" or unicodedata.category(chr(c))[0] in "ZP") + "]+")


def test_tokenize_splits_as_minisearch_on_any_text() -> None:
    # spaces Python splits on but MiniSearch does not (tab, other controls), Unicode spaces and
    # punctuation it does, separators at either end, and characters of every kind around them
    alphabet = list("ab Z9 ,.-_@#'\"()[]{}\t\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\u2014«»¿$+<=>^`|~"
                    "\n\rΣßéİ\u0301\U0001f600\U000f0009")
    rng = random.Random(14)
    cases = ["", " ", ",", "a", " a ", "\t", "a\tb c", "  ", ",,", "Hello, wörld!"]
    cases += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20_000)]
    for text in cases:
        assert tokenize(text) == _SEPARATOR.split(text), repr(text)
