"""A tracking issue's body: written from the goal document, and read back for progress.

The layout is the Rust program's (reference §4.2)::

    | Metadata         | |
    | --------         | --- |
    | Point of contact | @poc |
    | Team(s)          | lang, compiler |
    | Goal document    | [2026/foo](https://example.github.io/goals/2026/foo.html) |

    ## Summary

    <the goal's summary>

    ## Tasks and status

    * [ ] Task (@owner)
    ...

    [Team]: https://img.shields.io/badge/Team%20ask-red

Differences on purpose: 2026-format goals get their work items as checkboxes too (the Rust tool
leaves them without, so their progress stays open/closed until someone edits the issue), and a
continuing goal's earlier body is kept at the end in a collapsed `<details>` block, which progress
ignores. Reading is fence-aware: checkboxes and rows inside code blocks are examples, not data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..forge.names import EARLIER_BODY_SUMMARY
from ..model import MAX_ISSUE_DIGITS, Goal, IssueRef, Program

TEAM_BADGE = "[Team]: https://img.shields.io/badge/Team%20ask-red"
CHECKBOX_RE = re.compile(r"^\s*[-*] \[([ xX])\] ")
ROW_RE = re.compile(r"^\s*\|(.*)\|\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")
PULL_URL_RE = re.compile(r"https?://github\.com/([-_.A-Za-z0-9]+)/([-_.A-Za-z0-9]+)/pull/([0-9]+)")
LINK_TEXT_RE = re.compile(r"\[([^\[\]]*)\]")


def goal_document_url(goal: Goal, program: Program) -> str:
    site = program.config.site_url
    if site:
        return f"{site.rstrip('/')}/{goal.milestone}/{goal.slug}.html"
    tracker = program.config.tracker
    if tracker:
        return f"https://github.com/{tracker}/blob/HEAD/{goal.path}"
    return goal.path


def render_body(goal: Goal, program: Program) -> str:
    """The body of `goal`'s tracking issue, as `goalkeeper issues` writes it."""
    pocs = ", ".join(f"@{p}" for p in goal.points_of_contact) or "(none)"
    teams = ", ".join(goal.teams) or "(none)"
    lines = [
        "| Metadata         | |",
        "| --------         | --- |",
        f"| Point of contact | {pocs} |",
        f"| Team(s)          | {teams} |",
        f"| Goal document    | [{goal.key}]({goal_document_url(goal, program)}) |",
        "",
        "## Summary",
        "",
        goal.summary.strip(),
        "",
        "## Tasks and status",
        "",
    ]
    tasks = list(_task_lines(goal, program))
    lines += tasks
    if tasks:
        lines.append("")
    lines.append(TEAM_BADGE)
    return "\n".join(lines) + "\n"


def _task_lines(goal: Goal, program: Program) -> Iterator[str]:
    items: list[tuple[str, int, str]] = []  # (subgoal, line, text)
    for w in goal.work_items:
        owners = ", ".join(w.owners)
        box = "x" if w.complete else " "
        items.append((w.subgoal, w.span.line, f"* [{box}] {w.task}" + (f" ({owners})" if owners else "")))
    for a in goal.asks:
        if not a.ask_type:
            continue  # 2026 asks are support levels, not tasks
        kind = program.config.ask_types.get(a.ask_type)
        if kind is not None and kind.elide:
            continue  # "moral support" and standard reviews never complete
        items.append((a.subgoal, a.span.line, f"* [ ] {a.ask_type} ({a.team} ![Team][])"))
    order = {s.title: i for i, s in enumerate(goal.subgoals)}
    groups: dict[str, list[tuple[int, str]]] = {}
    for sub, line, text in items:
        groups.setdefault(sub, []).append((line, text))
    first = True
    for sub in sorted(groups, key=lambda s: (s != "", order.get(s, len(order)), min(groups[s])[0])):
        if sub:
            if not first:
                yield ""
            yield f"### {sub}"
            yield ""
        yield from (text for _, text in sorted(groups[sub]))
        first = False


def earlier_block(body: str, milestone: str = "") -> str:
    """`body` wrapped in the collapsed block that keeps an issue's earlier body."""
    label = f"{EARLIER_BODY_SUMMARY} ({milestone})" if milestone else EARLIER_BODY_SUMMARY
    return f"<details>\n<summary>{label}</summary>\n\n{body.rstrip()}\n\n</details>\n"


def body_for(body: str, key: str, milestone: str) -> str:
    """The part of a shared issue's body that belongs to goal `key` of `milestone`.

    An issue reused by a continuing goal keeps each earlier period's body in a nested block; the
    goal of an earlier milestone reads its own block, not the current body.
    """
    if goal_document_key(body) in (key, None):
        return body
    marker = f"<summary>{EARLIER_BODY_SUMMARY} ({milestone})</summary>"
    at = body.find(marker)
    return body[at + len(marker):] if at >= 0 else body


def split_earlier(body: str) -> tuple[str, str]:
    """(the current part, the earlier-body block and everything after it)."""
    marker = f"<summary>{EARLIER_BODY_SUMMARY}"
    at = body.find(marker)
    if at < 0:
        return body, ""
    start = body.rfind("<details>", 0, at)
    start = at if start < 0 else start
    return body[:start], body[start:]


def _data_lines(body: str) -> Iterator[str]:
    """Lines of the current part of the body that are outside code fences."""
    fence = ""
    for line in split_earlier(body)[0].splitlines():
        m = FENCE_RE.match(line)
        if m:
            if not fence:
                fence = m.group(1)
            elif m.group(1) == fence:
                fence = ""
            continue
        if not fence:
            yield line


def rows(body: str) -> Iterator[tuple[str, str]]:
    """(key, value) of every two-cell table row in the body's current part."""
    for line in _data_lines(body):
        m = ROW_RE.match(line)
        if m is None:
            continue
        cells = [c.strip() for c in m.group(1).split("|")]
        if len(cells) >= 2:
            yield cells[0], "|".join(cells[1:]).strip()


def goal_document_key(body: str) -> str | None:
    """`2026/foo` from the `Goal document` row of a body goalkeeper (or the Rust tool) wrote."""
    for key, value in rows(body):
        if key.lower() == "goal document":
            m = LINK_TEXT_RE.search(value)
            return (m.group(1) if m else value).strip() or None
    return None


def checkboxes(body: str) -> tuple[int, int]:
    """(checked, total) task-list boxes in the body's current part."""
    done = total = 0
    for line in _data_lines(body):
        m = CHECKBOX_RE.match(line)
        if m:
            total += 1
            done += m.group(1) in "xX"
    return done, total


@dataclass(frozen=True, slots=True)
class Links:
    """What a body's `See also` and `Tracked issues` rows point at."""

    refs: tuple[IssueRef, ...] = ()
    searches: tuple[tuple[str, str], ...] = ()  # (owner/repo, search query)
    errors: tuple[str, ...] = ()


def links(body: str) -> Links:
    refs: list[IssueRef] = []
    searches: list[tuple[str, str]] = []
    errors: list[str] = []
    for key, value in rows(body):
        low = key.lower()
        if low == "tracked issues":
            m = LINK_TEXT_RE.search(value)
            text = (m.group(1) if m else value).strip()
            repo, _, query = text.partition(" ")
            if repo.count("/") != 1 or not query.strip():
                errors.append(f"invalid `Tracked issues` value `{value}`: use `[owner/repo query](url)`")
            else:
                searches.append((repo, query.strip()))
        elif low == "see also":
            found = list(IssueRef.find_all(value))
            found += [IssueRef(m[1], m[2], int(m[3])) for m in PULL_URL_RE.finditer(value)
                      if len(m[3]) <= MAX_ISSUE_DIGITS]
            rest = PULL_URL_RE.sub("", value)
            for token in re.split(r"[,\s]+", rest):
                t = token.strip("[]()<>")
                if t and IssueRef.parse(t) is None and not IssueRef.find_all(t):
                    errors.append(f"invalid issue URL `{t}`")
            refs += found
    return Links(tuple(dict.fromkeys(refs)), tuple(dict.fromkeys(searches)), tuple(errors))
