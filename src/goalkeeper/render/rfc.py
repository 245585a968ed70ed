"""The RFC text of a milestone and the comment that starts its final comment period."""

from __future__ import annotations

import posixpath
import re

from ..model import USER_RE, Milestone, Program
from ..sources import markdown
from ..sources.book import BookLinks, load_book_links
from .directives import Context, expand
from .references import linkify, missing_definitions

# `[text](target)` and `[label]: target` with a relative target
INLINE_LINK_RE = re.compile(r"(\]\()(?!https?:|mailto:|#|/)([^)\s]+)(\))")
REF_DEF_RE = re.compile(r"^(\s*\[[^\]]+\]:\s*)(?!https?:|mailto:|#|/)(\S+)(.*)$")


LINK_LINE_RE = re.compile(r"^\s*[-*]\s+\[[^\]]+\]\((\./)?(?P<path>[^)\s/]+\.md)\)\s*$")
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
    skeleton = _chapter(program, page)
    body: list[str] = []
    code = markdown.parse(skeleton).code_lines
    for idx, line in enumerate(skeleton.split("\n"), start=1):
        lm = LINK_LINE_RE.match(line) if idx not in code else None
        target = program.root / m.path / lm["path"] if lm else None
        if lm and target is not None and target.is_file():
            body.append(_inline(_chapter(program, f"{m.path}/{lm['path']}")))
        else:
            body.append(line)
    # chapters sit in the milestone folder, so the README's links resolve theirs too
    joined = absolutize(Context(program, m, page, absolute_links=True), "\n".join(body))
    text, refs = _split_refs(joined)
    book = load_book_links(program.root)
    text, users = name_users(program, linkify(text.rstrip("\n") + "\n", book), book)
    defined = {r.split("]:", 1)[0].lower() for r in refs}
    refs += [u for u in users if u.split("]:", 1)[0].lower() not in defined]
    text += "\n" + "\n".join(refs) + "\n" if refs else ""
    extra = missing_definitions(program, book, text)
    if extra:
        text += ("" if refs else "\n") + "".join(f"{d}\n" for d in extra)
    return text


def _chapter(program: Program, page: str) -> str:
    text = (program.root / page).read_text(encoding="utf-8")
    return expand(program, page, text, absolute_links=True)


def _inline(text: str) -> str:
    """A chapter without its `# Title`, its other headings one level deeper."""
    doc = markdown.parse(text)
    lines = text.split("\n")
    title = doc.headings[0].line if doc.headings and doc.headings[0].level == 1 else 0
    out = []
    for idx, line in enumerate(lines, start=1):
        if idx == title:
            continue
        if idx not in doc.code_lines and re.match(r"^#{1,5}\s", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out).strip("\n")


def _split_refs(text: str) -> tuple[str, list[str]]:
    code = markdown.parse(text).code_lines
    body, refs, seen = [], [], set()
    for idx, line in enumerate(text.split("\n"), start=1):
        m = REF_DEF_LINE_RE.match(line) if idx not in code else None
        if m is None:
            body.append(line)
            continue
        label = m["label"].strip().lower()
        if label not in seen:
            seen.add(label)
            refs.append(line.strip())
    return "\n".join(body), refs


def absolutize(ctx: Context, text: str) -> str:
    doc = markdown.parse(text)

    def target(rel: str) -> str:
        path, _, anchor = rel.partition("#")
        if not path.endswith(".md"):
            return rel
        full = posixpath.normpath(posixpath.join(ctx.page_dir, path))
        return ctx.href(full, anchor)

    out = []
    for idx, line in enumerate(text.split("\n"), start=1):
        if idx in doc.code_lines:
            out.append(line)
            continue
        line = INLINE_LINK_RE.sub(lambda m: m[1] + target(m[2]) + m[3], line)
        line = REF_DEF_RE.sub(lambda m: m[1] + target(m[2]) + m[3], line)
        out.append(line)
    return "\n".join(out)


def name_users(program: Program, text: str, book: BookLinks | None = None) -> tuple[str, list[str]]:
    """`@login` → `[Display Name][]`, where the name is known (book.toml's
    `[preprocessor.goals.users]`, `[people]` or team data, logins matched in any case), and the
    reference definitions those need; unknown and ignored users, code and e-mail addresses are
    left alone."""
    doc = markdown.parse(text)
    used: dict[str, str] = {}
    book = book or BookLinks()

    def repl(m: re.Match[str]) -> str:
        line = m.string
        if m.start() > 0 and (line[m.start() - 1].isalnum() or line[m.start() - 1] in "._-/["):
            return m[0]  # e-mail address, `foo.@bar`, a URL or already a label
        if line.count("`", 0, m.start()) % 2:
            return m[0]
        low = m[1].lower()
        if low in book.ignore_users:
            return m[0]
        person = program.people.get(low)
        name = book.users.get(low) or (person.name if person else "")
        if not name or "]" in name or "[" in name:
            return m[0]
        used.setdefault(name, m[1])
        return f"[{name}][]"

    lines = []
    for idx, line in enumerate(text.split("\n"), start=1):
        lines.append(line if idx in doc.code_lines else USER_RE.sub(repl, line))
    defs = [f"[{name}]: https://github.com/{login}" for name, login in sorted(used.items())]
    return "\n".join(lines), defs
