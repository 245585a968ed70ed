"""Which goals count as accepted, and the rule that decided it.

A goal is accepted when its `Status` row says so (`Accepted`, or 2025h1's legacy `Flagship`).
Programs do not always flip the rows once the slate's RFC is merged: the Rust program's 2025h2
documents all still say `Proposed` after RFC #3849 was accepted, and the reference tool takes the
goals of a monthly post from the tracker's milestone, not from the rows. What the program does
say is the status banner on top of the milestone's README:

    > ![Status: Accepted](https://img.shields.io/badge/Status-Accepted-green) [RFC #3849] has
    > been **accepted**, establishing ...

When that banner says the RFC was accepted, the milestone's proposed goals (`Proposed`,
`Proposed for flagship`, `Proposed for mentorship`, `Invited`) count as accepted for every
season command; `Not accepted` goals stay out. `check` prints which rule decided per milestone.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .constants import ACCEPTED_STATUSES, SLATE_STATUSES

if TYPE_CHECKING:
    from .model import Program

_BADGE = re.compile(r"!\[\s*status\s*:?\s*accepted\s*\]", re.IGNORECASE)
_BADGE_URL = re.compile(r"badge/status-accepted\b", re.IGNORECASE)
_SENTENCE = re.compile(r"\bhas\s+been\s+(?:\*\*|__|\*|_)?accepted\b", re.IGNORECASE)
_RFC = re.compile(r"\bRFC\s*#\s*(\d+)", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|never)\s+(?:yet\s+)?(?:been\s+)?(?:\*\*)?accepted", re.IGNORECASE)


def readme_banner(text: str) -> tuple[int, str] | None:
    """(line, what it says) when the README's leading status banner says the slate was accepted.

    Only the banner counts: the block quote (or status line) before the first heading and
    before any other paragraph, within the first 20 lines. Prose further down such as "once
    the Goals RFC is accepted" does not.
    """
    lines = text.splitlines()
    for i, raw in enumerate(lines[:20], 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#") and not line.startswith("#!"):
            if i > 1 and any(x.strip() for x in lines[: i - 1]):
                return None
            continue  # a title heading first: the banner may follow it
        body = line.lstrip(">").strip()
        if _NEGATED.search(body):
            return None
        if _BADGE.search(body) or _BADGE_URL.search(body) or _SENTENCE.search(body):
            rfc = _RFC.search(body)
            what = f"RFC #{rfc.group(1)}" if rfc else "the slate's RFC"
            return i, f"says {what} was accepted"
        if not line.startswith(">"):
            return None  # the first paragraph is not a banner
    return None


def is_slate_status(status: str) -> bool:
    return status.strip().lower() in SLATE_STATUSES


def acceptance_notes(program: Program) -> list[str]:
    """One line per milestone with accepted goals: how many, and which rule decided."""
    out: list[str] = []
    for m in program.milestones:
        by_status = sum(1 for g in m.goals if g.status.strip().lower() in ACCEPTED_STATUSES)
        by_rfc = [g for g in m.goals if g.accepted_by]
        if not by_status and not by_rfc:
            continue
        parts = []
        if by_status:
            parts.append(f"{by_status} by their Status row")
        if by_rfc:
            statuses = ", ".join(sorted({g.status.strip() for g in by_rfc}))
            parts.append(f"{len(by_rfc)} marked {statuses}, accepted because {m.accepted_by}")
        n = by_status + len(by_rfc)
        out.append(f"note: {m.name}: {n} goal{'s' * (n != 1)} accepted: " + "; ".join(parts))
    return out
