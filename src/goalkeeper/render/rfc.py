"""The RFC text of a milestone and the comment that starts its final comment period."""

from __future__ import annotations

import os
import posixpath
import re

from ..errors import GoalkeeperError
from ..model import Milestone, Program
from ..sources import blocks, markdown
from ..sources.text import decode_or_raise
from .directives import expansion
from .page_context import Context
from .references import ready_to_paste, undefined_labels

# `[text](target)` and `[label]: target` with a relative target
INLINE_LINK_RE = re.compile(r"(\]\()(?!https?:|mailto:|#|/)([^()\s]+)(\))")
REF_DEF_RE = re.compile(r"^(\s*\[[^\]]+\]:\s*)(?!https?:|mailto:|#|/)(\S+)(.*)$")


LINK_LINE_RE = re.compile(r"^\s*[-*]\s+\[[^\]]+\]\((\./)?(?P<path>[^)\s/]+\.md)\)\s*$")
TITLE_RE = re.compile(r"#(?:[ \t]|$)")  # a title at the margin, alone in its block
HEADING_RE = re.compile(r"^#{1,5}\s", re.M)  # a heading one level deeper stays one
REF_DEF_LINE_RE = re.compile(r"^\s{0,3}\[(?P<label>[^\]]+)\]:\s*\S+")


def rfc_text(program: Program, m: Milestone) -> str:
    """One self-contained document, as the Rust program's `rfc` command makes it: the
    milestone's README with every directive expanded; each link-list line `- [Text](./page.md)`
    replaced by that page (its title dropped, its headings one level deeper); every link
    absolute; reference definitions gathered, first definition of a label winning, at the end,
    followed by the definitions the text needs that the program knows: `@login` mentions as
    display names, team links, book.toml's badge links; its linkifiers turn `[RFC #N]` and the
    like into links."""
    page = f"{m.path}/README.md"
    skeleton, outlined = _chapter(program, page)
    code = outlined[0] if outlined is not None else markdown.code_lines(skeleton)
    lines = skeleton.split("\n")
    # the README's lines between chapters and the chapters, each with its code lines
    pieces: list[tuple[list[str], frozenset[int] | None]] = []
    start = 0  # the first README line not in a piece yet (0-based)
    for idx, line in enumerate(lines, start=1):
        lm = LINK_LINE_RE.match(line) if idx not in code else None
        target = program.root / m.path / lm["path"] if lm else None
        if lm and target is not None and len(lm["path"]) < 256 and target.is_file():  # NAME_MAX
            pieces.append((lines[start : idx - 1], frozenset(n - start for n in code
                                                              if start < n < idx)))
            chapter, chapter_code = _inline(*_chapter(program, f"{m.path}/{lm['path']}"))
            pieces.append((chapter.split("\n"), chapter_code))
            start = idx
    pieces.append((lines[start:], frozenset(n - start for n in code if n > start)))
    # chapters sit in the milestone folder, so the README's links resolve theirs too
    joined = blocks.joined(pieces)
    absolute = absolutize(Context(program, m, page, absolute_links=True), joined)
    blocks.code_lines_after(joined, absolute)  # for _split_refs: the links' edits kept blocks
    text, refs = _split_refs(absolute)
    return ready_to_paste(program, text, refs)


def rfc_notes(program: Program, text: str) -> list[str]:
    """What `goalkeeper rfc` says beside `text`, the RFC text of `program`: the people it can
    show only by their login and why, the labels it uses without defining them, and how to
    define more."""
    from ..sources.book import load_book_links

    out = [f"note: {d.span}: {d.message}; {d.hint}" for d in program.diagnostics
           if d.code == "person-without-name"]
    missing = undefined_labels(text)
    if missing:
        out += [f"note: {note}" for note in load_book_links(program.root).notes]
        out.append(f"note: {len(missing)} reference label(s) used but not defined (they show as "
                   f"literal [text]): {', '.join(missing)}")
        if not program.teams_checked and any(x.lower() in program.teams for x in missing):
            out.append("hint: pass --teams DIR (a rust-lang/team checkout) so team names link to "
                       "their teams")
    return out


def _chapter(program: Program, page: str) -> tuple[str, blocks.Outline | None]:
    """A page of the RFC with its directives expanded, and its outline when that is known
    without parsing the expanded text (most of which is the tables directives make)."""
    e = expansion(program, page, read_page(program, page), absolute_links=True)
    if e.lines is None or e.outline is None:
        return e.source, None
    return "\n".join(e.lines), blocks.outline_replaced(blocks.lines(e.source), e.lines, e.outline)


def read_page(program: Program, page: str) -> str:
    """A page of the RFC as text, within the limits `check` applies to documents; one
    sentence naming the file otherwise (check's diagnostics say the same)."""
    path = program.root / page
    limit = program.config.max_file_bytes
    try:
        real, top = os.path.realpath(path), os.path.realpath(program.root)
        if not real.startswith(top.rstrip(os.sep) + os.sep):
            raise GoalkeeperError(f"{page}: symlink leads out of the repository; not included")
        size = path.stat().st_size
        if size > limit:
            raise GoalkeeperError(f"{page}: file is {size:,} bytes, more than the {limit:,} allowed "
                                  "([program] max_file_bytes); split it or raise the limit")
        data = path.read_bytes()
    except OSError as e:
        raise GoalkeeperError(f"{page}: cannot read: {e.strerror}") from None
    text = decode_or_raise(data, str(page))
    return text.replace("\r\n", "\n")


def _inline(text: str, outlined: blocks.Outline | None) -> tuple[str, frozenset[int] | None]:
    """A chapter (and its outline, when known) without its `# Title`, its other headings one
    level deeper; and its code lines when they are those of the chapter (a title of its own at
    the top, dropped)."""
    code, heading = outlined if outlined is not None else blocks.outline(text)
    lines = text.split("\n")
    title = heading[1] if heading is not None and heading[0] == 1 else 0
    out: list[str] = []
    kept: set[int] = set()
    for idx, line in enumerate(lines, start=1):
        if idx == title:
            continue
        if idx in code:
            kept.add(len(out) + 1)
        elif HEADING_RE.match(line):
            line = "#" + line  # (a heading one level deeper is in the same blocks)
        out.append(line)
    inlined = "\n".join(out).strip("\n")
    lead = next((i for i, line in enumerate(out) if line), len(out))  # empty lines stripped
    alone = title == 0 or (TITLE_RE.match(lines[title - 1]) is not None
                           and not any(x.strip(" \t") for x in lines[: title - 1]))
    if "\r" in text or not alone or not inlined:
        return inlined, None
    end = inlined.count("\n") + 1
    return inlined, frozenset(n - lead for n in kept if lead < n <= lead + end)


def _split_refs(text: str) -> tuple[str, list[str]]:
    code = blocks.code_lines(text)
    removed, refs, seen = set(), [], set()
    for idx, line in enumerate(blocks.lines(text), start=1):
        m = REF_DEF_LINE_RE.match(line) if idx not in code else None
        if m is None:
            continue
        removed.add(idx)
        label = m["label"].strip().lower()
        if label not in seen:
            seen.add(label)
            refs.append(line.strip())
    return blocks.without_lines(text, removed), refs


def absolutize(ctx: Context, text: str) -> str:
    code = blocks.code_lines(text)

    def target(rel: str) -> str:
        path, _, anchor = rel.partition("#")
        if not path.endswith(".md"):
            return rel
        full = posixpath.normpath(posixpath.join(ctx.page_dir, path))
        return ctx.href(full, anchor)

    out = []
    for idx, line in enumerate(blocks.lines(text), start=1):
        if idx in code:
            out.append(line)
            continue
        if "](" in line:
            line = INLINE_LINK_RE.sub(lambda m: m[1] + target(m[2]) + m[3], line)
        if "]:" in line:
            line = REF_DEF_RE.sub(lambda m: m[1] + target(m[2]) + m[3], line)
        out.append(line)
    return "\n".join(out)
