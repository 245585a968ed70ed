"""Property tests: loading never raises, whatever is done to real documents."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import goalkeeper
from goalkeeper.sources import markdown

from .conftest import EXAMPLE, SHARED


def _corpus() -> list[str]:
    files = sorted((SHARED / "rust-project-goals" / "src" / "2026").glob("*.md"))[:25]
    files += sorted((SHARED / "rust-project-goals" / "src" / "2025h2").glob("*.md"))[:10]
    files += sorted((EXAMPLE / "src").rglob("*.md"))
    return [f.read_text(encoding="utf-8") for f in files]


CORPUS = _corpus()
NASTY = ["|", "||", "| Metadata | |", "---", "#", "```", "<script>", "@", "[", "]", "\\|",
         "\x00", "\ufeff", "\r", "(((", ")))", "| Team | Support level | Notes |", "####"]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(CORPUS)).split("\n")
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["delete", "dup", "insert", "truncate", "splice", "swap"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "delete" and lines:
            del lines[i]
        elif op == "dup" and lines:
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=30))))
        elif op == "truncate" and lines:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "splice" and lines:
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.sampled_from(NASTY)) + lines[i][pos:]
        elif op == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
def test_markdown_parse_never_raises(text: str) -> None:
    markdown.parse(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=st.lists(mutated(), min_size=1, max_size=4), data=st.binary(max_size=64))
def test_load_never_raises(docs: list[str], data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        shutil.copy(EXAMPLE / "goalkeeper.toml", root / "goalkeeper.toml")
        ms = root / "src" / "2026"
        ms.mkdir(parents=True)
        for i, text in enumerate(docs):
            (ms / f"goal-{i}.md").write_text(text, encoding="utf-8", errors="surrogatepass")
        (ms / "raw.md").write_bytes(data)
        program = goalkeeper.load(root)
        for diag in program.diagnostics:
            assert diag.span.path  # every diagnostic says where
