#!/usr/bin/env python3
"""The markdown engines side by side on the real corpus: speed, and HTML equal to mdBook's.

    .venv/bin/python bench/bench_markdown.py [--runs N]

Reads every `.md` file of ../shared/data/rust-project-goals and prints, best of N runs
in-process:

- the time to parse them all with pulldown-cmark (pyromark) with source ranges, as `check`
  does, and with markdown-it-py's block parser (what `check` used before);
- the time to render them all to HTML with pulldown-cmark's own writer (what mdBook does), with
  goalkeeper's renderer (pulldown-cmark events written out in Python, `site/render_md.py`), and
  with markdown-it-py (what `build` used before);
- how many documents each renderer turns into the same HTML as pulldown-cmark's writer, once
  both are sanitized the same way (whitespace between tags, heading ids and footnote link
  spellings set aside): that is, how many pages read as the published mdBook pages do.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from collections.abc import Callable

from common import REAL


def best(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    if not REAL.is_dir():
        sys.exit(f"{REAL} is absent: this benchmark needs the shared rust-project-goals copy")
    import nh3
    import pyromark
    from markdown_it import MarkdownIt

    from goalkeeper.site import render_md
    from goalkeeper.sources.markdown import OPTIONS

    docs = [p.read_text(encoding="utf-8") for p in sorted((REAL / "src").rglob("*.md"))]
    size = sum(len(d.encode()) for d in docs)
    native = pyromark.Markdown(options=OPTIONS)
    block = MarkdownIt("commonmark").enable("table")
    block.core.ruler.disable(["inline"])
    full = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

    def drain(it: object) -> None:
        collections.deque(it, maxlen=0)  # type: ignore[call-overload]

    print(f"markdown engines on rust-project-goals ({len(docs)} files, {size / 1e6:.1f} MB), "
          f"best of {opts.runs} (Python {sys.version.split()[0]})")
    rows = [
        ("parse: pulldown-cmark events with ranges", lambda: [drain(native.events_with_range(d))
                                                              for d in docs]),
        ("parse: markdown-it-py blocks only", lambda: [block.parse(d) for d in docs]),
        ("HTML: pulldown-cmark writer (mdBook)", lambda: [native.html(d) for d in docs]),
        ("HTML: goalkeeper (pulldown-cmark events)", lambda: [render_md.render(d) for d in docs]),
        ("HTML: markdown-it-py", lambda: [full.render(d) for d in docs]),
    ]
    for label, fn in rows:
        print(f"  {label:<44} {best(fn, opts.runs) * 1e3:8.1f} ms")

    def norm(fragment: str) -> str:
        out = nh3.clean(fragment, tags=nh3.ALLOWED_TAGS | {"input", "sup"},
                        attributes={"*": {"class", "type", "checked", "disabled", "href", "src",
                                          "alt", "title", "start", "style"}},
                        url_schemes={"http", "https", "mailto"}, link_rel=None)
        out = re.sub(r'href="#(footnote-)?', 'href="#', out)
        return re.sub(r"\s*(<[^>]*>)\s*", r"\1", " ".join(out.split()))

    reference = [norm(native.html(d)) for d in docs]
    ours = sum(norm(render_md.render(d)[0]) == r for d, r in zip(docs, reference, strict=True))
    theirs = sum(norm(full.render(d)) == r for d, r in zip(docs, reference, strict=True))
    print(f"  same HTML as mdBook's writer: goalkeeper {ours}/{len(docs)}, "
          f"markdown-it-py {theirs}/{len(docs)}")
    features = {
        "footnotes": r"\[\^[^\]]+\]", "task lists": r"(?m)^\s*[-*+] \[[ xX]\] ",
        "tables": r"(?m)^\s*\|?\s*:?-+:?\s*\|", "heading attributes": r"(?m)^#+ .*\{[#.][^}]*\}\s*$",
    }
    for name, probe in features.items():
        n = sum(bool(re.search(probe, d)) for d in docs)
        print(f"  documents using {name:<20} {n:4}")


if __name__ == "__main__":
    main()
