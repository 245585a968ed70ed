"""`goalkeeper init`: write a new, valid goals program from the templates in `scaffold/`."""

from __future__ import annotations

import datetime as dt
import getpass
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
    milestone = milestone or str(dt.date.today().year)
    if not re.fullmatch(r"\d{4}(h[12])?", milestone):
        raise ScaffoldError(f"milestone {milestone!r} must look like 2026 or 2026h1")
    if tracker and not re.fullmatch(r"[-_.A-Za-z0-9]+/[-_.A-Za-z0-9]+", tracker):
        raise ScaffoldError(f"tracker {tracker!r} must be owner/repo")
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "example"
    tracker = tracker or f"{slug}/goals"
    owner = owner or _login()
    values = {"name": name, "tracker": tracker, "milestone": milestone, "owner": owner}

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
