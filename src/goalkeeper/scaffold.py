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
        planned.append((summary, _summary_part(text, milestone)
                        or _list_milestone(text, milestone, summary=True)))
    readme = src / "README.md"
    if readme.is_file():
        text = readme.read_text(encoding="utf-8")
        listed = _list_milestone(text, milestone, summary=False)
        how_to = (src / "how_to" / "propose_a_goal.md").is_file()
        planned.append((readme, listed if listed != text else _next_period(text, milestone, how_to)))

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


_PART_RE = re.compile(r"^#\s+(?P<pre>.*?)\b(?P<m>\d{4}(?:[hH][12])?)\b(?P<post>.*)$")


def _summary_part(text: str, milestone: str) -> str | None:
    """SUMMARY.md written with one part per milestone (`# ⏳ 2026 goal process` and its list, as
    the Rust program does): a new part for `milestone` above the newest one, in its style.
    None when the summary has no such parts."""
    if f"./{milestone}/README.md" in text:
        return text
    lines = text.split("\n")
    parts = [(i, m) for i, line in enumerate(lines) if (m := _PART_RE.match(line))
             and any(f"./{m['m'].lower()}/" in ln for ln in lines[i + 1:i + 12])]
    if not parts:
        return None
    newer = [(i, m) for i, m in parts if m["m"].lower() > milestone]
    at, head = next(((i, m) for i, m in parts if m["m"].lower() < milestone), (None, parts[0][1]))
    if at is None:  # every part is newer: the new one goes after the oldest part's list
        last, head = newer[-1]
        at = next((j for j in range(last + 1, len(lines)) if lines[j].startswith("# ")), len(lines))
    name = milestone.upper() if "h" in milestone else milestone
    bullet = next((ln[: len(ln) - len(ln.lstrip())] + ln.lstrip()[:2]
                   for ln in lines[(parts[0][0] + 1):] if ln.lstrip()[:2] in ("- ", "* ")), "- ")
    new = [f"# {head['pre']}{name}{head['post']}", "",
           f"{bullet}[Overview](./{milestone}/README.md)",
           f"{bullet}[Goals](./{milestone}/goals.md)",
           f"{bullet}[Goals not accepted](./{milestone}/not_accepted.md)", ""]
    return "\n".join(lines[:at] + new + lines[at:])


def _next_period(text: str, milestone: str, how_to: bool) -> str:
    """The top README without a milestone list: a "Next goal period" section (the program's
    sample text) before its first `##` section, once."""
    if f"./{milestone}/" in text:
        return text
    name = milestone.upper() if "h" in milestone else milestone
    section = [f"## Next goal period ({name})", "",
               f"The next goal period will be {name}. We are currently in the process of assembling "
               f"goals. [Click here](./{milestone}/goals.md) to see the current list."
               + (" If you'd like to propose a goal, [instructions can be found here]"
                  "(./how_to/propose_a_goal.md)." if how_to else ""), ""]
    lines = text.split("\n")
    at = next((i for i, ln in enumerate(lines) if ln.startswith("## ")), None)
    if at is None:
        return text.rstrip("\n") + "\n\n" + "\n".join(section)
    return "\n".join(lines[:at] + section + lines[at:])
