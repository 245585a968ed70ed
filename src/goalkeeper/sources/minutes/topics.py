"""What a meeting talked about and what it decided to do: topics and action items of minutes.

* Topics are the items of an ``Agenda`` / ``Topics`` section's list, then the headings below the
  first one, leaving out the procedural ones (attendance, roles, check-in, agenda, actions, ...)
  and what a "not discussed" section lists.
* Action items are open task-list items (``- [ ] text``), ``Action:`` / ``AI:`` / ``Action
  item:`` lines (``AI(@rosa): ...`` and ``Action (Rosa): ...`` name the owner), and the items of
  an ``Action items`` / ``Actions`` / ``Next steps`` section. The owner is the one named in
  parentheses, else the first ``@login``, else a leading "Name will/to ..." or a trailing
  "(Name)"; an item without one has owner "".

Nothing here raises on odd input: minutes without headings, agenda-only files and items
without owner give empty fields, and the caller says so in the draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import split_front_matter

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]++((?:.*[^ \t#])?)[ \t#]*$")  # greedy: linear
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ITEM = re.compile(r"^( {0,3})(?:[-*+]|\d+[.)])[ \t]+(.*)$")
_TASK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[ \]\s+(.+)$")
_ACTION = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:action items?|action|ai)\b\s*+(?:\(([^)]*)\))?\s*+(?:\*\*|__)?"
    r"\s*+:\s*+(?:\*\*|__)?\s*(.+)$", re.I)  # possessive spaces: linear on any line
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))")
_LEADING = re.compile(r"^((?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*)?) (?:to|will|should|is going to)\b")
_TRAILING = re.compile(r"\(([A-Z][\w.'’ -]{0,40})\)\s*\.?$")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^)\[]*\)")  # stops at the next `[`: linear
_MARKS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`")

PROCEDURAL = re.compile(
    r"^(?:attendees|attendance|present|participants|regrets|meeting roles|roles|check-?in|"
    r"check-?out|consent to agenda|agenda|topics|action items?|actions|next steps|"
    r"call for clarifications|minutes|notes|tags|(?:meeting )?date|meeting link|"
    r"announcements?(?: or custom items)?|other business|aob|any other business|"
    r"anything else|summary|short summary)[\s:.?!]*$|^tags\s*:", re.I)
_AGENDA = re.compile(r"^(?:agenda|topics)\b", re.I)
_ACTIONS = re.compile(r"^(?:action items?|actions|next steps|follow[- ]ups?)\b", re.I)
_NOT_DISCUSSED = re.compile(r"\bnot discussed\b", re.I)


@dataclass(frozen=True, slots=True)
class ActionItem:
    text: str
    owner: str  # "" when the minutes name no one
    line: int


@dataclass(frozen=True, slots=True)
class Topics:
    topics: tuple[str, ...]
    actions: tuple[ActionItem, ...]
    headings: int  # headings below the first one (0: the minutes have no sections)
    agenda: bool  # an Agenda/Topics list was found


_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")


def plain(text: str) -> str:
    """Markdown links, escapes and emphasis removed, white space collapsed."""
    text = _LINK.sub(r"\1", text)
    text = _MARKS.sub("", _ESCAPE.sub(r"\1", text))
    return " ".join(text.split())


def owner_of(text: str, named: str = "") -> str:
    if named.strip():
        return plain(named).lstrip("@")
    m = _MENTION.search(text)
    if m:
        return m[1]
    t = plain(text)
    m = _LEADING.match(t) or _TRAILING.search(t)
    return m[1].strip() if m else ""


def topics_and_actions(data: bytes) -> Topics:
    """Topics and action items of one minutes file's bytes (see the module docstring)."""
    _, body, line0 = split_front_matter(data)
    text = body.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    agenda: list[str] = []
    heads: list[tuple[int, str, bool]] = []  # (level, title, a topic unless it has sub-headings)
    actions: list[ActionItem] = []
    seen_actions: set[str] = set()
    fence = ""
    section = ""  # "agenda", "actions", "skip" or ""
    skip_level = 0  # a "not discussed" heading's level: its sub-headings are left out too
    first = True
    nheadings = 0
    found_agenda = False

    def add_action(body_text: str, owner: str, line: int) -> None:
        t = plain(body_text)
        if t and t.casefold() not in seen_actions:
            seen_actions.add(t.casefold())
            actions.append(ActionItem(t, owner_of(body_text, owner), line))

    for i, line in enumerate(lines):
        lineno = line0 + i + 1
        fm = _FENCE.match(line)
        if fm:
            mark = fm[1]
            if not fence:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = ""
            continue
        if fence:
            continue
        hm = _HEADING.match(line)
        if hm:
            level, title = len(hm[1]), plain(hm[2])
            if first:
                first = False
                continue
            nheadings += 1
            if skip_level and level > skip_level:
                continue
            skip_level = 0
            if _NOT_DISCUSSED.search(title):
                skip_level, section = level, "skip"
            elif _AGENDA.match(title):
                section, found_agenda = "agenda", True
            elif _ACTIONS.match(title):
                section = "actions"
            else:
                section = ""
                heads.append((level, title, bool(title) and not PROCEDURAL.match(title)))
            continue
        first = first and not line.strip()
        tm = _TASK.match(line)
        if tm:
            inner = _ACTION.match(tm[1])
            add_action(inner[2] if inner else tm[1], (inner[1] or "") if inner else "", lineno)
            continue
        am = _ACTION.match(line)
        if am and not line.lstrip().startswith("#"):
            add_action(am[2], am[1] or "", lineno)
            continue
        im = _ITEM.match(line)
        if im and not im[1]:  # a top-level list item
            if section == "agenda":
                item = plain(im[2])
                if item:
                    agenda.append(item)
            elif section == "actions":
                item = re.sub(r"^\[[xX ]\]\s*", "", im[2])
                if not im[2].lower().startswith("[x]"):
                    add_action(item, "", lineno)
    out: list[str] = []
    seen: set[str] = set()
    topical = [t for k, (level, t, ok) in enumerate(heads)
               if ok and not (k + 1 < len(heads) and heads[k + 1][0] > level)]
    for t in (*agenda, *topical):
        key = t.casefold()
        if key not in seen and not PROCEDURAL.match(t):
            seen.add(key)
            out.append(t)
    return Topics(tuple(out), tuple(actions), nheadings, found_agenda)
