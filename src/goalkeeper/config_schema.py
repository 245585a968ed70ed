"""Every key of `goalkeeper.toml` and the kind of value it takes, checked in one place.

`validate(data)` walks the parsed file once and returns every problem with its key path
(`report.feeds[2].path: must be a string, found 1`) plus one warning per unknown key naming the
closest known one (`[reprot]` → `[report]`). `config.load_config` raises one `ConfigError`
listing all the problems, so a user fixes the file in one pass; the modules that read a section
([minutes], [report], [health], ...) can then trust the kinds and only check meanings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from .records import Record, dataclass, field

#: A checker gets the value and its key path, and returns what is wrong ("" when fine).
Check = Callable[[Any], str]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, dict | list) else _kind(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _str(value: Any) -> str:
    return "" if isinstance(value, str) else f"must be a string, found {_shown(value)}"


def _path(value: Any) -> str:
    if not isinstance(value, str):
        return f"must be a path (a string), found {_shown(value)}"
    return "is a path and cannot contain a NUL character" if "\x00" in value else ""


def _strs(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ""
    return f"must be a list of strings, found {_shown(value)}"


def _str_or_strs(value: Any) -> str:
    return "" if isinstance(value, str) else _strs(value)


def _whole(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return ""
    return f"must be a whole number (0 or more), found {_shown(value)}"


def _positive(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return ""
    return f"must be a positive whole number, found {_shown(value)}"


def _number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return ""
    return f"must be a number, found {_shown(value)}"


def _bool(value: Any) -> str:
    return "" if isinstance(value, bool) else f"must be true or false, found {_shown(value)}"


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return ""
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value.strip())
            return ""
        except ValueError:
            pass
    return f"must be a date like 2026-03-01, found {_shown(value)}"


def _any(value: Any) -> str:
    return ""


@dataclass(frozen=True, repr=False, eq=False)
class Table(Record):
    """A table with known keys (`fields`) and/or any keys whose values follow `each`."""

    fields: Mapping[str, Spec] = field(default_factory=dict)
    each: Spec | None = None
    #: when set, a plain value of this kind is accepted instead of the table (e.g. lifecycle)
    or_value: Check | None = None


@dataclass(frozen=True, repr=False, eq=False)
class ArrayOf(Record):
    """An array of tables (`[[report.feeds]]`)."""

    item: Table


Spec = Table | ArrayOf | Callable[[Any], str]

_PROJECT = Table({k: _str for k in ("name", "tracker", "site_url", "repo_url", "api_url",
                                    "funding_contact")} | {"tracker_aliases": _strs})

_INITIATIVES = ArrayOf(Table({"name": _str} | {k: _str_or_strs for k in
                                                ("roadmaps", "roadmap", "goals", "series", "watch")}))

#: Every section and key of goalkeeper.toml. A new key goes here too, or `check` warns that it
#: is unknown (tests/test_hostile_input.py keeps the example's and the scaffold's files in step).
SCHEMA = Table({
    "project": _PROJECT,
    "layout": Table({"source": _path, "milestone_pattern": _str, "ignore": _strs, "teams": _path,
                     "ask_types": _path}),
    "program": Table({"statuses": _strs, "support_levels": _strs, "champion_levels": _strs,
                      "missing_champion": _str, "required_sections": _strs,
                      "max_file_bytes": _positive}),
    "diagnostics": Table(each=_str),
    "ask_types": Table(each=Table({"short": _str, "about": _str, "elide": _bool})),
    "teams": Table(each=Table({"name": _str, "leads": _strs, "members": _strs, "archived": _bool,
                               "url": _str})),
    "people": Table(each=Table({"name": _str, "github": _str})),
    "application_areas": Table(each=_str),
    "capacity": Table({
        "max_championed_per_person": _whole, "max_owned_per_person": _whole,
        "levels": Table(each=_whole), "teams": Table(each=Table(each=_whole)),
    }),
    "lifecycle": Table(each=Table({"state": _str, "continues_as": _str}, or_value=_str)),
    "calendar": Table(each=Table(each=Table({"start": _date, "end": _date}))),
    "health": Table({
        "update_every_days": _positive, "at_risk_after_days": _positive,
        "stalled_after_days": _positive, "question_days": _positive,
        "behind_schedule": _number, "missing_champion": _bool,
    }),
    "escalation": Table(each=_str),
    "report": Table({
        "authors": _str_or_strs, "team": _str, "team_url": _str, "person": _str_or_strs,
        "stats_since": _str, "posts": _path, "minutes_url": _str, "sections": _str_or_strs,
        "stats": Table({"scribes": _str_or_strs, "unsigned": _str, "teams": _str_or_strs,
                        "names": Table(each=_str)}),
        "initiatives": _INITIATIVES,
        "collaborations": _INITIATIVES,  # the name used before initiatives
        "feeds": ArrayOf(Table({"name": _str, "url": _str, "path": _path, "base_url": _str})),
    }),
    "minutes": Table({
        "dir": _path, "min_words": _whole, "ignore": _strs, "people": Table(each=_strs),
        "folders": ArrayOf(Table({
            "path": _path, "team": _str, "team_from": _str, "field": _str,
            "rules": ArrayOf(Table({"pattern": _str, "team": _str})),
        })),
        "series": ArrayOf(Table({"name": _str, "team": _str, "cadence_days": _positive,
                                 "match": _str})),
    }),
})


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)  # wrong kinds: the file cannot be used
    warnings: list[str] = field(default_factory=list)  # unknown keys: ignored, said once each


def validate(data: dict[str, Any]) -> Findings:
    """Every problem and unknown key of a parsed goalkeeper.toml, in file order."""
    found = Findings()
    _walk(SCHEMA, data, "", found)
    return found


def _join(path: str, key: str) -> str:
    bare = key.replace("-", "").replace("_", "").isalnum() and key.isascii()
    part = key if bare else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{path}.{part}" if path else part


def _walk(spec: Spec, value: Any, path: str, found: Findings) -> None:
    if isinstance(spec, ArrayOf):
        if not isinstance(value, list):
            found.problems.append(f"{path}: must be an array of tables ([[{path}]]), found {_shown(value)}")
            return
        for i, item in enumerate(value, 1):
            _walk(spec.item, item, f"{path}[{i}]", found)
        return
    if isinstance(spec, Table):
        if not isinstance(value, dict):
            if spec.or_value is not None and not spec.or_value(value):
                return
            found.problems.append(f"{path}: must be a table, found {_shown(value)}")
            return
        for key, sub in value.items():
            key_path = _join(path, key)
            if key in spec.fields:
                _walk(spec.fields[key], sub, key_path, found)
            elif spec.each is not None:
                _walk(spec.each, sub, key_path, found)
            else:
                found.warnings.append(_unknown(key, path, list(spec.fields), isinstance(sub, dict)))
        return
    problem = spec(value)
    if problem:
        found.problems.append(f"{path}: {problem}")


def _unknown(key: str, parent: str, known: list[str], table: bool) -> str:
    """`[reprot]` for a table, `project.traker` for a value; with the closest known key."""

    def name(k: str) -> str:
        return f"[{_join(parent, k)}]" if table else _join(parent, k)

    import difflib

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"did you mean `{name(close[0])}`?" if close else "known keys here: " + ", ".join(known)
    return f"unknown key `{name(key)}` is ignored; {hint}"
