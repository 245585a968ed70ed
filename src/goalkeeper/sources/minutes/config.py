"""The ``[minutes]`` section of ``goalkeeper.toml``: minutes folders, team rules, series.

Configuration, all optional (``goalkeeper.toml``)::

    [minutes]
    dir = "minutes"             # read as <dir>/<team>/*.md; `minutes add|import` write here
    min_words = 50              # shorter minutes are stubs: reported, not counted
    ignore = ["README.md", "index.md", "_index.md", "TEMPLATE*.md"]

    [[minutes.folders]]         # more folders, anywhere (paths relative to the program root)
    path = "../leadership-council/minutes/sync-meeting"
    team = "leadership-council" # default: the sub-folder of `path` holding the file

    [[minutes.folders]]
    path = "../libs-team/meetings"
    team_from = "heading"       # "folder" (default), "heading" or "field"
    rules = [                   # first match on the first heading wins; `team` is the fallback
        { pattern = "^Libs-API\\\\b", team = "libs-api" },
        { pattern = "^Libs\\\\b", team = "libs" },
    ]

    [[minutes.folders]]
    path = "notes"
    team_from = "field"
    field = "team"              # front-matter key naming the team

    [minutes.people]            # spellings of one person, for `--person` and the report's
    "Ana Kovač" = ["Ana K.", "Ana", "ana-k"]   # "meetings attended" ([people.<login>] adds
                                # the login and name of each configured person by itself)

    [[minutes.series]]          # a recurring meeting, flagged when its minutes stop
    name = "Rust for Linux sync"
    team = "rfl"
    cadence_days = 14
    match = "Rust for Linux"    # optional regex on the title

A file under two configured folders is read once, by the deepest folder.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...config import CONFIG_FILE, load_config
from ...constants import DEFAULT_MAX_FILE_BYTES, MINUTES_DIR, Severity
from ...errors import ConfigError, ProgramNotFound
from ...model import Meeting

DEFAULT_DIR = MINUTES_DIR
DEFAULT_MIN_WORDS = 50
DEFAULT_IGNORE = ("README.md", "index.md", "_index.md", "TEMPLATE*.md")


class TeamFrom(enum.StrEnum):
    FOLDER = "folder"
    HEADING = "heading"
    FIELD = "field"


@dataclass(frozen=True, slots=True)
class TeamRule:
    pattern: re.Pattern[str]
    team: str


@dataclass(frozen=True, slots=True)
class MinutesFolder:
    path: str  # as configured, relative to the program root (or absolute)
    team: str = ""
    team_from: TeamFrom = TeamFrom.FOLDER
    rules: tuple[TeamRule, ...] = ()
    field: str = "team"
    implicit: bool = False  # the program's own `dir`: the team is the sub-folder's name


@dataclass(frozen=True, slots=True)
class Series:
    """A recurring meeting, e.g. a fortnightly sync with an outside project."""

    name: str
    team: str
    cadence_days: int
    match: re.Pattern[str] | None = None  # on the meeting title; None: every meeting of `team`

    def includes(self, m: Meeting) -> bool:
        return m.team == self.team and (self.match is None or self.match.search(m.title) is not None)


@dataclass(frozen=True, slots=True)
class MinutesConfig:
    root: Path
    dir: str = DEFAULT_DIR
    folders: tuple[MinutesFolder, ...] = ()
    series: tuple[Series, ...] = ()
    min_words: int = DEFAULT_MIN_WORDS
    ignore: tuple[str, ...] = DEFAULT_IGNORE
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    severities: tuple[tuple[str, Severity | None], ...] = ()  # from [diagnostics]
    config_path: str = CONFIG_FILE
    people: tuple[tuple[str, ...], ...] = ()  # spellings of one person each ([minutes.people])

    @property
    def dir_path(self) -> Path:
        return self.root / self.dir

    def all_folders(self) -> tuple[MinutesFolder, ...]:
        """The configured folders, then the program's own minutes folder."""
        return (*self.folders, MinutesFolder(self.dir, implicit=True))


_MINUTES_KEYS = ("dir", "min_words", "ignore", "folders", "series", "people")
_FOLDER_KEYS = ("path", "team", "team_from", "rules", "field")
_SERIES_KEYS = ("name", "team", "cadence_days", "match")


def parse_minutes_config(raw: dict[str, Any], root: Path, where: str = CONFIG_FILE) -> MinutesConfig:
    """The ``[minutes]`` section of a parsed ``goalkeeper.toml`` (`raw`, the whole document).

    Raises :class:`~goalkeeper.errors.ConfigError` for a value of the wrong kind, an unknown
    key, or a regex that does not compile.
    """
    section = raw.get("minutes", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [minutes] must be a table")
    _known(section, _MINUTES_KEYS, "[minutes]", where)
    folders = tuple(
        _folder(spec, f"[[minutes.folders]] #{i}", where)
        for i, spec in enumerate(_array(section, "folders", where), 1)
    )
    series = tuple(
        _series(spec, f"[[minutes.series]] #{i}", where)
        for i, spec in enumerate(_array(section, "series", where), 1)
    )
    min_words = section.get("min_words", DEFAULT_MIN_WORDS)
    if not isinstance(min_words, int) or isinstance(min_words, bool) or min_words < 0:
        raise ConfigError(f"{where}: [minutes] min_words must be a whole number >= 0, found {min_words!r}")
    ignore = section.get("ignore", list(DEFAULT_IGNORE))
    if not isinstance(ignore, list) or not all(isinstance(p, str) for p in ignore):
        raise ConfigError(f"{where}: [minutes] ignore must be a list of file-name globs")
    people = section.get("people", {})
    if not isinstance(people, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in people.values()
    ):
        raise ConfigError(f'{where}: [minutes.people] must map a name to its other spellings, '
                          f'e.g. "Ana Kovač" = ["Ana K.", "ana-k"]')
    return MinutesConfig(
        root=root,
        people=tuple((str(k), *v) for k, v in people.items()),
        dir=_string(section, "dir", "[minutes]", where) or DEFAULT_DIR,
        folders=folders,
        series=series,
        min_words=min_words,
        ignore=tuple(ignore),
        config_path=where,
    )


def load_minutes_config(root: Path) -> MinutesConfig:
    """Read ROOT/goalkeeper.toml (if any): ``[minutes]`` and the ``[diagnostics]`` overrides."""
    if not root.is_dir():
        raise ProgramNotFound(f"{root}: no such folder; give the root of a goals program")
    base = load_config(root)  # validates [diagnostics] and the rest of the file
    raw: dict[str, Any] = {}
    if base.path is not None:
        try:
            with base.path.open("rb") as f:
                raw = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError) as e:  # pragma: no cover - load_config read it
            raise ConfigError(f"{base.path}: cannot read: {e}") from e
    minutes = parse_minutes_config(raw, root, CONFIG_FILE)
    return dataclasses.replace(
        minutes,
        max_file_bytes=base.max_file_bytes,
        severities=tuple(base.severities.items()),
        people=(*minutes.people,
                *((p.login, p.name) for p in base.people.values() if p.name)),
    )


def _known(table: dict[str, Any], keys: tuple[str, ...], what: str, where: str) -> None:
    for key in table:
        if key not in keys:
            close = difflib.get_close_matches(key, keys, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else f"; known keys: {', '.join(keys)}"
            raise ConfigError(f"{where}: {what} has unknown key `{key}`{hint}")


def _array(table: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where}: [minutes] {key} must be an array of tables ([[minutes.{key}]])")
    return value


def _string(table: dict[str, Any], key: str, what: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {what} `{key}` must be a string, found {value!r}")
    return value


def _regex(text: str, what: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as e:
        raise ConfigError(f"{where}: {what} pattern {text!r} is not a valid regex: {e}") from e


def _folder(spec: dict[str, Any], what: str, where: str) -> MinutesFolder:
    _known(spec, _FOLDER_KEYS, what, where)
    path = _string(spec, "path", what, where)
    if not path:
        raise ConfigError(f"{where}: {what} needs a `path`")
    how = _string(spec, "team_from", what, where) or TeamFrom.FOLDER
    if how not in tuple(TeamFrom):
        raise ConfigError(f'{where}: {what} team_from = {how!r}: use "folder", "heading" or "field"')
    rules: list[TeamRule] = []
    raw_rules = spec.get("rules", [])
    if not isinstance(raw_rules, list):
        raise ConfigError(f"{where}: {what} rules must be a list of {{ pattern, team }} tables")
    for r in raw_rules:
        if not isinstance(r, dict) or set(r) != {"pattern", "team"}:
            raise ConfigError(f'{where}: {what} each rule must be {{ pattern = "...", team = "..." }}')
        rules.append(
            TeamRule(_regex(_string(r, "pattern", what, where), what, where), _string(r, "team", what, where))
        )
    if how == TeamFrom.HEADING and not rules:
        raise ConfigError(f"{where}: {what} team_from = \"heading\" needs `rules`")
    return MinutesFolder(
        path=path,
        team=_string(spec, "team", what, where),
        team_from=TeamFrom(how),
        rules=tuple(rules),
        field=_string(spec, "field", what, where) or "team",
    )


def _series(spec: dict[str, Any], what: str, where: str) -> Series:
    _known(spec, _SERIES_KEYS, what, where)
    name = _string(spec, "name", what, where)
    team = _string(spec, "team", what, where)
    cadence = spec.get("cadence_days")
    if not name or not team:
        raise ConfigError(f"{where}: {what} needs a `name` and a `team`")
    if not isinstance(cadence, int) or isinstance(cadence, bool) or cadence <= 0:
        raise ConfigError(f"{where}: {what} cadence_days must be a positive whole number of days")
    match = _string(spec, "match", what, where)
    return Series(name, team, cadence, _regex(match, what, where) if match else None)
