"""Write tracking-issue links back into goal documents, touching nothing but that one cell.

The `Tracking issue` row's value cell is replaced (keeping the column width when the link fits);
a document without the row gets one right after its `Status` row, in the same layout. Files are
written atomically, and only when they change; a document edited since it was loaded (the row is
no longer where the program saw it) is left alone and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import GoalkeeperError
from ..fsutil import write_atomic
from ..model import Goal, IssueRef, Program


@dataclass(frozen=True, slots=True)
class WriteBack:
    path: str
    ref: IssueRef
    written: bool
    problem: str = ""


def set_tracking_issue(text: str, goal: Goal, ref: IssueRef) -> str | None:
    """`text` with the goal's `Tracking issue` cell set to `[ref]`; None if it cannot be found."""
    parts = text.split("\n")  # line numbers as the parser counts them (\r\n stays as written)
    lines = [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    value = f"[{ref}]"
    row = next((r for r in goal.metadata if r.key.strip().lower() == "tracking issue"), None)
    if row is not None:
        at = row.span.line - 1
        if not 0 <= at < len(lines) or not re.match(r"\s*\|\s*tracking issue\s*\|", lines[at], re.I):
            return None
        lines[at] = _replace_cell(lines[at], 1, value)
        return "".join(lines)
    status = next((r for r in goal.metadata if r.key.strip().lower() == "status"), None)
    if status is None:
        return None
    at = status.span.line - 1
    if not 0 <= at < len(lines) or not re.match(r"\s*\|\s*status\s*\|", lines[at], re.I):
        return None
    new = _replace_cell(_replace_cell(lines[at], 0, "Tracking issue"), 1, value)
    lines.insert(at + 1, new)
    return "".join(lines)


def _replace_cell(line: str, index: int, value: str) -> str:
    """Replace the text of cell `index` (0-based) of a `| a | b |` row, keeping its width."""
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    pipes = [i for i, ch in enumerate(body) if ch == "|" and (i == 0 or body[i - 1] != "\\")]
    if len(pipes) < index + 2:
        return line
    start, end = pipes[index] + 1, pipes[index + 1]
    old = body[start:end]
    new = f" {value} "
    if len(new) < len(old):
        new = new.ljust(len(old))
    return body[:start] + new + body[end:] + ending


def write_back(program: Program, issues: dict[str, IssueRef]) -> list[WriteBack]:
    """Set the `Tracking issue` row of each goal (by `milestone/slug`) to its issue."""
    goals = {g.key: g for g in program.goals}
    out: list[WriteBack] = []
    for key, ref in sorted(issues.items()):
        goal = goals.get(key)
        if goal is None:
            continue
        if goal.tracking_issue == ref:
            continue
        path = program.root / goal.path
        try:
            with path.open(encoding="utf-8", newline="") as f:  # keep \r\n as written
                text = f.read()
        except OSError as e:
            out.append(WriteBack(goal.path, ref, False, f"cannot read: {e.strerror}"))
            continue
        new = set_tracking_issue(text, goal, ref)
        if new is None:
            out.append(WriteBack(goal.path, ref, False,
                                 "the metadata table changed since it was read; add the link by hand"))
            continue
        try:
            written = write_atomic(path, new)
        except OSError as e:
            raise GoalkeeperError(f"{path}: cannot write: {e.strerror}") from e
        out.append(WriteBack(goal.path, ref, written))
    return out
