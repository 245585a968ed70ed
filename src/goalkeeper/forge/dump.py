"""Tracking-issue data as a JSON file: load it into the cache instead of syncing from the forge.

The file holds `{"issues": [...]}`, each issue with the fields of
:class:`~goalkeeper.forge.records.RemoteIssue` (comments with those of
:class:`~goalkeeper.forge.records.RemoteComment`). It lets the bundled example, demos and offline
machines show updates, health and monthly posts without a token or a network.

The file is untrusted: it is checked against the schema below before anything is stored, and a
problem names the record (`issue 3 (owner/repo#12), comment 2: body must be a string`). UTF-8
with or without a byte-order mark is read; numbers must fit in 64 bits; text must be valid
Unicode (no lone surrogates). An issue listed twice is stored once (the later copy wins); a
comment id used by two different issues is an error, since it would move the comment.

    issue:    repo (owner/name), number (1 or more), title, updated_at   required
              node_id, body, state, url, author, created_at, closed_at, milestone   text
              labels, assignees   lists of text;  comments   list of comment objects
    comment:  author, body, created_at   required
              id (text or number; or node_id), url, author_type, updated_at   text;  database_id   number
              is_minimized   true/false
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..sources.text import decode_or_raise
from .records import RemoteComment, RemoteIssue

MAX_ID = 2**63 - 1
_ISSUE_TEXT = ("node_id", "body", "state", "url", "author", "created_at", "closed_at", "milestone")
_COMMENT_TEXT = ("node_id", "url", "author_type", "updated_at")


class _Bad(Exception):
    """One field of one record is wrong; the message says which and how."""


def read_dump(path: Path) -> list[RemoteIssue]:
    data = _load(path)
    if not isinstance(data, dict) or not isinstance(data.get("issues"), list):
        raise ConfigError(f'{path}: expected an object {{"issues": [...]}}')
    issues: dict[tuple[str, int], RemoteIssue] = {}
    owner_of_comment: dict[str, str] = {}
    for i, raw in enumerate(data["issues"], 1):
        what = f"issue {i}"
        try:
            if not isinstance(raw, dict):
                raise _Bad(f"must be an object, found {_kind(raw)}")
            what = f"issue {i} ({raw.get('repo')}#{raw.get('number')})"
            issue = _issue(raw)
        except _Bad as e:
            raise ConfigError(f"{path}: {what}: {e}") from None
        issues.pop(issue.key, None)  # listed again: the later copy wins, counted once
        issues[issue.key] = issue
        name = f"{issue.repo}#{issue.number}"
        for c in issue.comments:
            first = owner_of_comment.setdefault(c.node_id, name)
            if first != name:
                raise ConfigError(f"{path}: {what}: comment id {c.node_id!r} is also used in "
                                  f"issue {first}; every comment needs its own id")
    return list(issues.values())


def unfit_value(value: Any) -> str:
    """What in a parsed JSON value cannot be stored: a number beyond 64 bits or text with a
    lone surrogate ("" when everything fits)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            stack += list(v.values()) + list(v.keys())
        elif isinstance(v, list):
            stack += v
        elif isinstance(v, int) and not isinstance(v, bool) and not -MAX_ID - 1 <= v <= MAX_ID:
            return f"the number {v} does not fit in 64 bits"
        elif isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return "text with a lone surrogate (an escape like \\ud800 that is not half of a pair)"
    return ""


def load_json(path: Path) -> Any:
    """An import file's JSON: UTF-8 with or without a BOM; `ConfigError` for anything else
    (unreadable, not JSON, NaN/Infinity, nested too deeply, numbers of too many digits)."""
    return _load(path)


def _load(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from e
    text = decode_or_raise(data, str(path), ConfigError)

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    try:
        return json.loads(text, parse_constant=no_constant)
    except RecursionError:
        raise ConfigError(f"{path}: not usable JSON: nested too deeply") from None
    except ValueError as e:  # JSONDecodeError, the int digit limit, NaN/Infinity
        raise ConfigError(f"{path}: not valid JSON: {e}") from None


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    return kinds.get(type(value), "a number")


def _text(d: dict[str, Any], key: str, required: bool = False) -> str:
    if key not in d or d[key] is None:
        if required:
            raise _Bad(f"`{key}` is missing")
        return ""
    value = d[key]
    if not isinstance(value, str):
        raise _Bad(f"`{key}` must be text, found {_kind(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Bad(f"`{key}` contains a lone surrogate (an escape like \\ud800 that is not "
                   "half of a pair); it is not text") from None
    return value


def _number(d: dict[str, Any], key: str, lowest: int, default: int | None = None) -> int:
    value = d.get(key, default)
    if value is None:
        raise _Bad(f"`{key}` is missing")
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Bad(f"`{key}` must be a whole number, found {_kind(value)}")
    if not lowest <= value <= MAX_ID:
        raise _Bad(f"`{key}` must be between {lowest} and {MAX_ID}, found {value}")
    return value


def _texts(d: dict[str, Any], key: str) -> tuple[str, ...]:
    value = d.get(key, [])
    if not isinstance(value, list):
        raise _Bad(f"`{key}` must be a list of text, found {_kind(value)}")
    return tuple(_text({key: v}, key, required=True) for v in value)


def _issue(d: dict[str, Any]) -> RemoteIssue:
    repo = _text(d, "repo", required=True)
    if repo.count("/") != 1 or not all(repo.split("/")):
        raise _Bad(f"`repo` must be owner/name, found {repo!r}")
    number = _number(d, "number", 1)
    texts = {k: _text(d, k) for k in _ISSUE_TEXT}
    raw_comments = d.get("comments", [])
    if not isinstance(raw_comments, list):
        raise _Bad(f"`comments` must be a list of objects, found {_kind(raw_comments)}")
    comments: dict[str, RemoteComment] = {}
    for k, c in enumerate(raw_comments, 1):
        try:
            comment = _comment(c, f"{repo}#{number}-{k - 1}")
        except _Bad as e:
            raise _Bad(f"comment {k}: {e}") from None
        comments[comment.node_id] = comment
    return RemoteIssue(
        repo=repo,
        number=number,
        node_id=texts["node_id"] or f"{repo}#{number}",
        title=_text(d, "title", required=True),
        body=texts["body"],
        state=(texts["state"] or "OPEN").upper(),
        url=texts["url"],
        author=texts["author"],
        created_at=texts["created_at"],
        updated_at=_text(d, "updated_at", required=True),
        closed_at=texts["closed_at"],
        labels=_texts(d, "labels"),
        milestone=texts["milestone"],
        assignees=_texts(d, "assignees"),
        comments=tuple(comments.values()),
    )


def _comment(c: Any, fallback_id: str) -> RemoteComment:
    if not isinstance(c, dict):
        raise _Bad(f"must be an object, found {_kind(c)}")
    texts = {k: _text(c, k) for k in _COMMENT_TEXT}
    ident = c.get("id")
    if isinstance(ident, int) and not isinstance(ident, bool):  # REST ids are numbers
        texts["id"] = str(_number(c, "id", 1))
    else:
        texts["id"] = _text(c, "id")
    created = _text(c, "created_at", required=True)
    minimized = c.get("is_minimized", False)
    if not isinstance(minimized, bool):
        raise _Bad(f"`is_minimized` must be true or false, found {_kind(minimized)}")
    return RemoteComment(
        node_id=texts["id"] or texts["node_id"] or fallback_id,
        database_id=_number(c, "database_id", 0, 0),
        url=texts["url"],
        author=_text(c, "author", required=True),
        author_type=texts["author_type"] or "User",
        body=_text(c, "body", required=True),
        created_at=created,
        updated_at=texts["updated_at"] or created,
        is_minimized=minimized,
    )
