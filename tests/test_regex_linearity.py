"""Every regular expression in goalkeeper stays linear on any input.

Documents of up to 2 MB are accepted, so a regex whose time grows with the square of a line's
length (a long line of `<`, of `(((`, of spaces) is a hang. tests/regex_audit.py finds every
pattern in the sources and drives each with strings built from its own pieces; here the time
at 4N characters over the time at N must stay under 6 (a linear pattern gives about 4, a
quadratic one about 16). It is a ratio measured in the test, never an absolute time.
"""

from __future__ import annotations

import re

import pytest

from . import regex_audit

PATTERNS = regex_audit.all_patterns()


def test_the_audit_finds_the_patterns_of_the_sources() -> None:
    names = " ".join(PATTERNS)
    assert "goalkeeper.sources.documents.UNSAFE_HTML_RE" in names
    assert "render/inline.py:" in names  # found in a function's `return re.compile(...)`
    assert len(PATTERNS) > 60


@pytest.mark.parametrize("bad", [r"\s*\([^)]*\)", r"<[^>]*\son", r"\(\(\((.+?)\)\)\)", r"^\s*x?\s*$"])
def test_the_audit_catches_a_quadratic_pattern(bad: str) -> None:
    """The audit can fail: these shapes are the ones the fuzzing campaign found."""
    assert regex_audit.worst(re.compile(bad))[0] > 6


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_regex_is_linear(name: str) -> None:
    pattern, how = PATTERNS[name]
    ratio, example = regex_audit.worst(pattern, how)
    if ratio > 6:  # measure again, larger and more often, before blaming the pattern for noise
        ratio, example = regex_audit.worst(pattern, how, confirm_chars=160_000)
    assert ratio < 6, f"/{pattern.pattern}/ takes {ratio:.0f}x the time on 4x the input {example}"
