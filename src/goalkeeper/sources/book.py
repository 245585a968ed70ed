"""The program's own link configuration in `book.toml` (the mdBook the Rust program publishes).

The Rust program's preprocessor reads `[preprocessor.goals]` of `book.toml`:

    [preprocessor.goals]
    ignore_users = ["@triagebot"]                 # never turned into a person's name

    [preprocessor.goals.links]                    # reference definitions its pages rely on
    "Help wanted" = "https://img.shields.io/badge/Help%20wanted-yellow"

    [preprocessor.goals.linkifiers]               # `[RFC #3935]` → a link; $1.. are the groups
    "RFC #([0-9]+)" = "https://github.com/rust-lang/rfcs/pull/$1"

    [preprocessor.goals.users]                    # a display name that wins over the team data
    "@Nadrieril" = "@Nadrieril"

Documents published from the program (the RFC, the site) must define every label they use, so
these are read here once. Everything is optional: a program without `book.toml`, or whose
`book.toml` lacks these sections, gets empty tables and a note saying so, never an error.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from ..records import Record, dataclass, field

SECTION = "preprocessor.goals"
MAX_LABEL = 100  # longest bracketed text a linkifier is tried on
# a group holding a repetition, itself repeated: `(a+)+`, `(\w*x)*`, `(?:a|b+){2,}`. Rust's regex
# crate (the reference's) runs these in linear time; Python's backtracking engine may not.
# (starts only at an unescaped `(`, stops at the group's first quantifier: linear itself)
_NESTED_QUANTIFIER = re.compile(r"(?<!\\)\((?:[^()\\+*}]|\\.)*+[+*}](?:[^()\\]|\\.)*+\)(?:[+*]|\{\d*,)")

#: The badges goalkeeper's own tables use (`![Help Wanted][]`, `![TBD][]`), defined as the Rust
#: program defines them, for programs whose book.toml does not define its own links.
DEFAULT_LINKS = {
    "Help wanted": "https://img.shields.io/badge/Help%20wanted-yellow",
    "Complete": "https://img.shields.io/badge/Complete-green",
    "TBD": "https://img.shields.io/badge/TBD-red",
    "Team": "https://img.shields.io/badge/Team%20ask-red",
    "Not funded": "https://img.shields.io/badge/Not%20yet%20funded-red",
}


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Linkifier(Record):
    pattern: re.Pattern[str]
    template: str  # `$1`, `$2` … are replaced by the groups of the match

    def link(self, text: str) -> str:
        """The URL for `text` if the whole of it matches the pattern, else "". Labels longer than
        a reference ever is are not tried (a hostile pattern cannot spin on a long paragraph)."""
        if len(text) > MAX_LABEL:
            return ""
        m = self.pattern.fullmatch(text)
        if m is None:
            return ""

        def group(g: re.Match[str]) -> str:
            n = int(g[1])
            return (m.group(n) or "") if n <= self.pattern.groups else g[0]

        url = re.sub(r"\$(\d+)", group, self.template)
        return url if safe_url(url) else ""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class BookLinks(Record):
    """`[preprocessor.goals]` of book.toml; `notes` say what was missing or unusable."""

    path: Path | None = None
    links: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LINKS))  # label → URL
    linkifiers: tuple[Linkifier, ...] = ()
    users: dict[str, str] = field(default_factory=dict)  # lowercased login → display name
    ignore_users: frozenset[str] = frozenset()  # lowercased logins
    notes: tuple[str, ...] = ()

    def link(self, label: str) -> str:
        """The URL defined for `label` (case-insensitive, as markdown labels are), or ""."""
        want = " ".join(label.split()).lower()
        return next((u for k, u in self.links.items() if " ".join(k.split()).lower() == want), "")

    def linkify(self, text: str) -> str:
        """The URL the first matching linkifier gives `text`, or ""."""
        return next((u for lk in self.linkifiers if (u := lk.link(text))), "")


def safe_url(url: str) -> bool:
    return bool(re.match(r"(?:https?://|mailto:)\S+$", url.strip(), re.I))


def load_book_links(root: Path) -> BookLinks:
    """Read `root/book.toml`'s `[preprocessor.goals]` tables (see the module docstring)."""
    path = root / "book.toml"
    if not path.is_file():
        return BookLinks(notes=("no book.toml: goalkeeper's default badge links are used; no "
                                "linkifiers or user names are configured",))
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, ValueError, RecursionError) as e:  # ValueError: TOML or UTF-8 decoding
        why = "nested too deeply" if isinstance(e, RecursionError) else e
        return BookLinks(path, notes=(f"{path}: cannot read ({why}); its links are not used",))
    notes: list[str] = []
    section: Any = data.get("preprocessor", {})
    section = section.get("goals", {}) if isinstance(section, dict) else {}
    if not isinstance(section, dict) or not section:
        return BookLinks(path, notes=(
            f"{path}: no [{SECTION}] section: goalkeeper's default badge links are used, and no "
            "linkifiers or user names are configured",))

    def table(key: str) -> dict[str, str]:
        value = section.get(key, {})
        if not isinstance(value, dict):
            notes.append(f"{path}: [{SECTION}.{key}] is not a table; ignored")
            return {}
        if not value:
            notes.append(f"{path}: no [{SECTION}.{key}] entries"
                         + ("; goalkeeper's default badge links are used" if key == "links" else ""))
        out: dict[str, str] = {}
        for k, v in value.items():
            if isinstance(v, str):
                out[str(k)] = v
            else:
                notes.append(f"{path}: [{SECTION}.{key}] {k!r} is not a string; ignored")
        return out

    links = {} if "links" in section else dict(DEFAULT_LINKS)
    for label, url in table("links").items():
        if safe_url(url):
            links[label] = url
        else:
            notes.append(f"{path}: [{SECTION}.links] {label!r} is not an http(s) URL; ignored")
    linkifiers = []
    for pattern, template in table("linkifiers").items():
        if _NESTED_QUANTIFIER.search(pattern):
            notes.append(f"{path}: [{SECTION}.linkifiers] {pattern!r} repeats a repeated group, "
                         "which can take exponential time here; ignored (rewrite it without the "
                         "nested repetition)")
            continue
        try:
            linkifiers.append(Linkifier(re.compile(pattern), template))
        except re.error as e:
            notes.append(f"{path}: [{SECTION}.linkifiers] {pattern!r} is not a valid regular "
                         f"expression ({e}); ignored")
    users = {k.lstrip("@").lower(): v for k, v in table("users").items() if k.lstrip("@")}
    ignore = section.get("ignore_users", [])
    ignore_users = frozenset(str(u).lstrip("@").lower() for u in ignore
                             if isinstance(u, str)) if isinstance(ignore, list) else frozenset()
    return BookLinks(path, links, tuple(linkifiers), users, ignore_users, tuple(notes))
