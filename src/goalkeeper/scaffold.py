"""`goalkeeper init`: write a new, valid goals program from the templates in `scaffold/`."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import GoalkeeperError
from .fsutil import write_atomic


class ScaffoldError(GoalkeeperError):
    """The target folder already holds a program, or an option is invalid."""


def scaffold(
    directory: Path, *, name: str = "", tracker: str = "", milestone: str = "", owner: str = ""
) -> list[Path]:
    """Write the scaffold into `directory`; never overwrites an existing file."""
    name = name or directory.resolve().name or "Example"
    if any(ord(ch) < 32 for ch in name) or not name.strip():
        raise ScaffoldError(f"project name {name!r} must be one line of text")
    milestone = milestone or str(dt.date.today().year)
    if not re.fullmatch(r"\d{4}(h[12])?", milestone):
        raise ScaffoldError(f"milestone {milestone!r} must look like 2026 or 2026h1")
    if tracker and not re.fullmatch(r"[-_.A-Za-z0-9]+/[-_.A-Za-z0-9]+", tracker):
        raise ScaffoldError(f"tracker {tracker!r} must be owner/repo")
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "example"
    tracker = tracker or f"{slug}/goals"
    owner = owner or _login()
    values = {"name": name, "tracker": tracker, "milestone": milestone, "owner": owner,
              # a TOML basic string (quotes included): names may hold `"` or `\`
              "name_toml": json.dumps(name, ensure_ascii=False)}

    base = resources.files("goalkeeper") / "scaffold"
    planned: list[tuple[Path, str]] = []
    for rel, item in _files(base, ""):
        target = directory / rel.replace("MILESTONE", milestone)
        text = item.read_text(encoding="utf-8")
        for k, v in values.items():
            text = text.replace("{{" + k + "}}", v)
        planned.append((target, text))
    existing = [p for p, _ in planned if p.exists()]
    if existing:
        raise ScaffoldError(
            f"{existing[0]} already exists; goalkeeper init never overwrites files "
            "(pick an empty folder)"
        )
    for path, text in planned:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    return [p for p, _ in planned]


def _files(node: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    out: list[tuple[str, Traversable]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        rel = f"{prefix}{child.name}"
        if child.is_dir():
            if child.name != "__pycache__":
                out.extend(_files(child, rel + "/"))
        else:
            out.append((rel, child))
    return out


def _login() -> str:
    user = re.sub(r"[^-A-Za-z0-9]", "", getpass.getuser() or "")
    return user if user and user != "root" else "your-login"


def open_milestone(
    root: Path, source: str, name: str, milestone: str, *, dry_run: bool = False, force: bool = False
) -> list[tuple[Path, str]]:
    """`goalkeeper cfp`: create the milestone folder, its pages and the goal template, and list
    the milestone in SUMMARY.md and the top README. Returns (path, action) with action one of
    "create", "update", "unchanged". Refuses to overwrite different content unless `force`."""
    if not re.fullmatch(r"\d{4}(h[12])?", milestone):
        raise ScaffoldError(f"milestone {milestone!r} must look like 2027 or 2027h1")
    src = root / source
    if not src.is_dir():
        raise ScaffoldError(f"{src}: source folder not found")
    values = {"name": name, "milestone": milestone, "source": source}
    base = resources.files("goalkeeper") / "scaffold_cfp"
    planned: list[tuple[Path, str]] = []
    for rel, item in _files(base, ""):
        text = item.read_text(encoding="utf-8")
        for k, v in values.items():
            text = text.replace("{{" + k + "}}", v)
        planned.append((src / milestone / rel, text))
    template = src / "TEMPLATE.md"
    if not template.exists():
        planned.append((template, (resources.files("goalkeeper") / "scaffold" / "src" / "TEMPLATE.md")
                        .read_text(encoding="utf-8")))
    summary = src / "SUMMARY.md"
    if summary.is_file():
        text = summary.read_text(encoding="utf-8")
        planned.append((summary, _list_milestone(text, milestone, summary=True)))
    readme = src / "README.md"
    if readme.is_file():
        text = readme.read_text(encoding="utf-8")
        planned.append((readme, _list_milestone(text, milestone, summary=False)))

    actions: list[tuple[Path, str]] = []
    conflicts: list[Path] = []
    for path, text in planned:
        if not path.exists():
            actions.append((path, "create"))
        elif path.read_text(encoding="utf-8") == text:
            actions.append((path, "unchanged"))
        else:
            actions.append((path, "update"))
            if path.parent == src / milestone:
                conflicts.append(path)
    if conflicts and not force:
        raise ScaffoldError(
            f"{conflicts[0]} already exists with other content; pass --force to overwrite"
        )
    if not dry_run:
        for (path, text), (_, action) in zip(planned, actions, strict=True):
            if action != "unchanged":
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, text)
    return actions


_MILESTONE_LINK_RE = re.compile(r"^(\s*[-*]\s*)\[[^\]]*\]\(\./(\d{4}(?:h[12])?)/README\.md\)")


def _list_milestone(text: str, milestone: str, *, summary: bool) -> str:
    """Insert links for `milestone` above the newest milestone listed, once."""
    if f"./{milestone}/README.md" in text:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _MILESTONE_LINK_RE.match(line)
        if m and m[2] < milestone:
            indent = m[1]
            new = [f"{indent}[{milestone.upper()}](./{milestone}/README.md)"]
            if summary:
                child = " " * (len(indent) - len(indent.lstrip()) + 4) + indent.lstrip()
                new += [f"{child}[Goals](./{milestone}/goals.md)",
                        f"{child}[Goals not accepted](./{milestone}/not_accepted.md)"]
            return "\n".join(lines[:i] + new + lines[i:])
    if summary:
        tail = "" if text.endswith("\n") else "\n"
        return (text + tail + f"- [{milestone.upper()}](./{milestone}/README.md)\n"
                f"    - [Goals](./{milestone}/goals.md)\n"
                f"    - [Goals not accepted](./{milestone}/not_accepted.md)\n")
    return text
