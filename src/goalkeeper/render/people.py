"""People by their display names, as the Rust program's tooling shows them in its documents.

`@login` becomes the person's name, linked to their GitHub profile, wherever the name is known:
book.toml's `[preprocessor.goals.users]` first, then `[people]` of goalkeeper.toml or the team
data's `people/*.toml` (logins matched in any case). Unknown and ignored users, code, e-mail
addresses and `foo.@bar` are left alone.
"""

from __future__ import annotations

import re

from ..model import USER_RE, Program
from ..sources import blocks
from ..sources.book import BookLinks


def display_name(program: Program, login: str, book: BookLinks | None = None) -> str:
    """The name shown for `login` ("" when unknown or ignored)."""
    low = login.lstrip("@").lower()
    book = book or BookLinks()
    if low in book.ignore_users:
        return ""
    person = program.people.get(low)
    name = book.users.get(low) or (person.name if person else "")
    return "" if not name or "]" in name or "[" in name else name


def name_users(program: Program, text: str, book: BookLinks | None = None, *,
               inline_links: bool = False) -> tuple[str, list[str]]:
    """`text` with `@login` → `[Display Name][]` and the reference definitions those need
    (`[Display Name]: https://github.com/login`), or with `inline_links`, `[Display Name](url)`
    and no definitions (for text rendered on its own, such as a card's cell)."""
    code = blocks.code_lines(text)
    used: dict[str, str] = {}

    def repl(m: re.Match[str]) -> str:
        line = m.string
        if m.start() > 0 and (line[m.start() - 1].isalnum() or line[m.start() - 1] in "._-/["):
            return m[0]  # e-mail address, `foo.@bar`, a URL or already a label
        if line.count("`", 0, m.start()) % 2:
            return m[0]
        dest = line.rfind("](", 0, m.start())
        if dest >= 0 and line.find(")", dest, m.start()) < 0:
            return m[0]  # in a link's destination: `[toot](https://x.social/?u=@login)`
        name = display_name(program, m[1], book)
        if not name:
            return m[0]
        if inline_links:
            return f"[{name}](https://github.com/{m[1]})"
        used.setdefault(name, m[1])
        return f"[{name}][]"

    lines = []
    for idx, line in enumerate(blocks.lines(text), start=1):
        lines.append(line if idx in code or "@" not in line else USER_RE.sub(repl, line))
    defs = [f"[{name}]: https://github.com/{login}" for name, login in sorted(used.items())]
    return "\n".join(lines), defs


def people_html(program: Program, text: str, book: BookLinks | None = None) -> str:
    """Plain text (a card's cell: `@poc`, `@a, @b`) as HTML: escaped, each `@login` whose name is
    known a link to the profile showing the name, as the published monthly posts show people;
    `code` spans as <code>."""
    import html

    out: list[str] = []
    pos = 0
    for m in USER_RE.finditer(text):
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "._-/["):
            continue
        name = display_name(program, m[1], book)
        if not name:
            continue
        out.append(_plain_html(text[pos:m.start()]))
        out.append(f'<a href="https://github.com/{html.escape(m[1])}">{html.escape(name)}</a>')
        pos = m.end()
    out.append(_plain_html(text[pos:]))
    return "".join(out)


def _plain_html(text: str) -> str:
    """Escaped text with its `code` spans as <code> (markdown is not read inside an HTML cell,
    so a backtick would show as written; the published posts show `<code>t-spec</code>`)."""
    import html

    return re.sub(r"`([^`\n]+)`", r"<code>\1</code>", html.escape(text, quote=False))
