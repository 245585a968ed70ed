"""Tracking-issue data as a JSON file: load it into the cache instead of syncing from the forge.

The file holds `{"issues": [...]}`, each issue with the fields of
:class:`~goalkeeper.forge.records.RemoteIssue` (comments with those of
:class:`~goalkeeper.forge.records.RemoteComment`). It lets the bundled example, demos and offline
machines show updates, health and monthly posts without a token or a network.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .records import RemoteComment, RemoteIssue


def read_dump(path: Path) -> list[RemoteIssue]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from e
    except ValueError as e:
        raise ConfigError(f"{path}: not valid JSON: {e}") from e
    if not isinstance(data, dict) or not isinstance(data.get("issues"), list):
        raise ConfigError(f'{path}: expected {{"issues": [...]}}')
    out = []
    for i, raw in enumerate(data["issues"], 1):
        try:
            out.append(_issue(raw))
        except (KeyError, TypeError, ValueError) as e:
            raise ConfigError(f"{path}: issue {i} lacks or mistypes {e}") from e
    return out


def _issue(d: dict[str, Any]) -> RemoteIssue:
    comments = tuple(
        RemoteComment(
            node_id=str(c.get("id") or c.get("node_id") or f"{d['repo']}#{d['number']}-{k}"),
            database_id=int(c.get("database_id", 0)),
            url=str(c.get("url", "")),
            author=str(c["author"]),
            author_type=str(c.get("author_type", "User")),
            body=str(c["body"]),
            created_at=str(c["created_at"]),
            updated_at=str(c.get("updated_at") or c["created_at"]),
            is_minimized=bool(c.get("is_minimized", False)),
        )
        for k, c in enumerate(d.get("comments", []))
    )
    return RemoteIssue(
        repo=str(d["repo"]),
        number=int(d["number"]),
        node_id=str(d.get("node_id", f"{d['repo']}#{d['number']}")),
        title=str(d["title"]),
        body=str(d.get("body", "")),
        state=str(d.get("state", "OPEN")).upper(),
        url=str(d.get("url", "")),
        author=str(d.get("author", "")),
        created_at=str(d.get("created_at", "")),
        updated_at=str(d["updated_at"]),
        closed_at=str(d.get("closed_at", "")),
        labels=tuple(str(x) for x in d.get("labels", [])),
        milestone=str(d.get("milestone", "")),
        assignees=tuple(str(x) for x in d.get("assignees", [])),
        comments=comments,
    )
