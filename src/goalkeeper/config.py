"""Program configuration: `goalkeeper.toml`, or the rust-lang goals repository's layout by default.

Schema (every key optional)::

    [project]
    name = "Ferrite"                  # default: book.toml's title, else the folder name
    tracker = "ferrite-lang/goals"    # repository holding tracking issues
    tracker_aliases = ["ferrite-lang/old-goals"]
    site_url = "https://ferrite-lang.github.io/goals/"
    repo_url = "https://github.com/ferrite-lang/goals"   # default: book.toml's git-repository-url
    api_url = "https://api.github.com"   # the forge API (GitHub Enterprise: https://HOST/api/v3)

    [layout]
    source = "src"                    # folder holding the milestone folders
    milestone_pattern = '^\\d{4}(h[12])?$'
    ignore = ["TEMPLATE*.md"]        # file-name globs that are never goals
    teams = "../team"                 # a rust-lang/team style repository (or its teams/ folder)
    ask_types = "rust-project-goals.toml"

    [program]
    statuses = ["Proposed", "Invited", "Accepted", "Proposed for mentorship", "Not accepted"]
    support_levels = ["Vibes", "Small", "Medium", "Large"]
    champion_levels = ["Medium", "Large"]
    missing_champion = "warning"      # or "error", e.g. once team feedback closes
    required_sections = ["Summary", "Motivation"]
    max_file_bytes = 2097152

    [diagnostics]                     # per-code severity: "error", "warning" or "off"
    missing-section = "off"

    [ask_types]                       # pre-2026 ask kinds (else read from `ask_types` file)
    "RFC decision" = { short = "RFC", about = "review an RFC and decide whether to accept" }

    [teams.lang]
    name = "Language team"
    leads = ["alice"]
    members = ["alice", "bob"]
    url = "https://github.com/ferrite-lang/lang-team"   # where `[lang]` links in the RFC

    [people.alice]
    name = "Alice Example"

    [application_areas]
    "Safety-critical & regulated" = "Industries where software must be certified."

    [capacity]                        # what `goalkeeper capacity` warns about
    max_championed_per_person = 4
    max_owned_per_person = 3
    [capacity.levels]                 # every team: at most this many goals per level
    Large = 2
    [capacity.teams.lang]             # one team's own limits
    Large = 3
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .constants import (
    CODES,
    DEFAULT_API_URL,
    DEFAULT_CHAMPION_LEVELS,
    DEFAULT_IGNORE,
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_MILESTONE_PATTERN,
    DEFAULT_REQUIRED_SECTIONS,
    DEFAULT_STATUSES,
    DEFAULT_SUPPORT_LEVELS,
    Severity,
)
from .errors import ConfigError
from .model import AskType, Config, Person, Team
from .sources.text import decode_or_raise

CONFIG_FILE = "goalkeeper.toml"
MAX_DOTS_PER_LINE = 1000
RUST_ASK_TYPES_FILE = "rust-project-goals.toml"
RUST_FUNDING_CONTACT = (
    "[Funding team](https://rust-lang.org/governance/teams/launching-pad/#team-funding)"
)


def load_config(root: Path, teams_override: Path | None = None) -> Config:
    """Read ROOT/goalkeeper.toml if present; fall back to the rust-lang goals layout."""
    path = root / CONFIG_FILE
    data: dict[str, Any] = {}
    warnings: tuple[str, ...] = ()
    if path.is_file():
        from .config_schema import validate  # (a repository without the file never needs it)

        data = read_toml(path)
        findings = validate(data)
        if findings.problems:
            listed = "\n".join(f"  - {p}" for p in findings.problems)
            count = len(findings.problems)
            raise ConfigError(f"{path}: {count} value{'s' if count > 1 else ''} of the wrong kind; "
                              f"fix {'them' if count > 1 else 'it'} and run again:\n{listed}")
        warnings = tuple(f"{path}: {w}" for w in findings.warnings)
    where = str(path)

    project = _table(data, "project", where)
    layout = _table(data, "layout", where)
    program = _table(data, "program", where)

    book = _book(root)  # read once: its title, site and repository are the defaults
    name = _str(project, "name", where) or _book_title(book) or root.resolve().name
    source = _str(layout, "source", where) or "src"
    pattern = _str(layout, "milestone_pattern", where) or DEFAULT_MILESTONE_PATTERN
    try:
        re.compile(pattern)
    except re.error as e:
        raise ConfigError(f"{where}: [layout] milestone_pattern is not a valid regex: {e}") from e

    teams_path: Path | None = teams_override
    if teams_path is None and layout.get("teams"):
        teams_path = (root / _str(layout, "teams", where)).resolve()

    ask_path: Path | None = None
    ask_types: dict[str, AskType] = {}
    if "ask_types" in data:
        ask_types = _ask_types(_table(data, "ask_types", where), where)
        ask_path = path
    else:
        rel = _str(layout, "ask_types", where) or RUST_ASK_TYPES_FILE
        candidate = root / rel
        if candidate.is_file():
            ask_path = candidate
            raw = read_toml(candidate)
            ask_types = _ask_types(_table(raw, "team_asks", str(candidate)), str(candidate))

    severities: dict[str, Severity | None] = {}
    for code, value in _table(data, "diagnostics", where).items():
        if code not in CODES:
            raise ConfigError(
                f"{where}: [diagnostics] names unknown code {code!r}; "
                "see docs/diagnostics.md for the list"
            )
        if value not in ("error", "warning", "off"):
            raise ConfigError(
                f"{where}: [diagnostics] {code} = {value!r}: use \"error\", \"warning\" or \"off\""
            )
        severities[code] = None if value == "off" else Severity(value)

    api_url = (_str(project, "api_url", where) or DEFAULT_API_URL).rstrip("/")
    if api_url != DEFAULT_API_URL and not re.match(r"https?://[^/\s]+", api_url):
        raise ConfigError(f"{where}: [project] api_url must be an http(s) URL, found {api_url!r}")

    missing_champion = _str(program, "missing_champion", where) or "warning"
    if missing_champion not in ("error", "warning"):
        raise ConfigError(
            f"{where}: [program] missing_champion = {missing_champion!r}: "
            'use "error" or "warning"'
        )

    teams = {
        tname: _team(tname, _table_value(t, f"[teams.{tname}]", where), where)
        for tname, t in _table(data, "teams", where).items()
    }
    people = {
        login.lower(): Person(login, _str(_table_value(p, f"[people.{login}]", where), "name", where))
        for login, p in _table(data, "people", where).items()
    }
    areas = {k: str(v) for k, v in _table(data, "application_areas", where).items()}

    cap = _table(data, "capacity", where)
    cap_levels = _limits(_table(cap, "levels", where), "[capacity.levels]", where)
    cap_teams = {
        team: _limits(_table_value(v, f"[capacity.teams.{team}]", where), f"[capacity.teams.{team}]", where)
        for team, v in _table(cap, "teams", where).items()
    }
    max_championed = _opt_int(cap, "max_championed_per_person", where)
    max_owned = _opt_int(cap, "max_owned_per_person", where)

    max_bytes = program.get("max_file_bytes", DEFAULT_MAX_FILE_BYTES)
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ConfigError(f"{where}: [program] max_file_bytes must be a positive integer")

    return Config(
        root=root,
        path=path if data else None,
        project_name=name,
        tracker=_str(project, "tracker", where),
        tracker_aliases=_strs(project, "tracker_aliases", where, ()),
        site_url=_str(project, "site_url", where) or _book_site_url(book),
        repo_url=(_str(project, "repo_url", where) or _book_repo_url(book)).rstrip("/"),
        api_url=api_url,
        funding_contact=_str(project, "funding_contact", where)
        or (RUST_FUNDING_CONTACT if (root / RUST_ASK_TYPES_FILE).is_file() else f"the {name} project"),
        source=source,
        milestone_pattern=pattern,
        ignore=_strs(layout, "ignore", where, DEFAULT_IGNORE),
        teams_path=teams_path,
        statuses=_strs(program, "statuses", where, DEFAULT_STATUSES),
        support_levels=_strs(program, "support_levels", where, DEFAULT_SUPPORT_LEVELS),
        champion_levels=_strs(program, "champion_levels", where, DEFAULT_CHAMPION_LEVELS),
        missing_champion=Severity(missing_champion),
        required_sections=_strs(program, "required_sections", where, DEFAULT_REQUIRED_SECTIONS),
        max_file_bytes=max_bytes,
        severities=severities,
        ask_types=ask_types,
        ask_types_path=ask_path,
        teams=teams,
        people=people,
        application_areas=areas,
        capacity_levels=cap_levels,
        capacity_teams=cap_teams,
        max_championed=max_championed,
        max_owned=max_owned,
        lifecycle=_lifecycle(_table(data, "lifecycle", where), where),
        calendar={k: _table_value(v, f"[calendar.{k!r}]", where)
                  for k, v in _table(data, "calendar", where).items()},
        warnings=warnings,
    )


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a table; `ConfigError` (one sentence, with the file) for anything else:
    unreadable, not UTF-8, invalid, or nested too deeply for the parser."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from e
    text = decode_or_raise(data, str(path), ConfigError)
    for number, row in enumerate(text.split("\n"), 1):
        if row.count(".") > MAX_DOTS_PER_LINE:  # the parser takes quadratic time on dotted keys
            raise ConfigError(f"{path}:{number}: invalid TOML: more than {MAX_DOTS_PER_LINE} dots on "
                              "one line (a dotted key that long is not a configuration)")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from e
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
    except ValueError as e:  # e.g. a number of more digits than int() converts
        raise ConfigError(f"{path}: invalid TOML: {e}") from None


def _book(root: Path) -> dict[str, Any]:
    """`root/book.toml` as a table ({} when absent or unreadable: the site reports a broken one)."""
    book = root / "book.toml"
    if not book.is_file():
        return {}
    try:
        return read_toml(book)
    except ConfigError:
        return {}


def _book_html(book: dict[str, Any]) -> dict[str, Any]:
    output = book.get("output")
    html = output.get("html") if isinstance(output, dict) else None
    return html if isinstance(html, dict) else {}


def _book_repo_url(book: dict[str, Any]) -> str:
    """book.toml's `git-repository-url` (where files outside the book can be linked)."""
    url = _book_html(book).get("git-repository-url", "")
    return url if isinstance(url, str) and url.startswith("https://") else ""


def _book_site_url(book: dict[str, Any]) -> str:
    """The published site of an mdBook on GitHub Pages: https://<org>.github.io<site-url>."""
    html = _book_html(book)
    repo = str(html.get("git-repository-url", ""))
    m = re.match(r"https://github\.com/([^/]+)/([^/]+?)/?$", repo)
    if not m:
        return ""
    path = html.get("site-url")
    if not isinstance(path, str):
        path = f"/{m[2]}/"
    return f"https://{m[1]}.github.io/{path.strip('/')}/"


def _book_title(book: dict[str, Any]) -> str:
    table = book.get("book")
    title = table.get("title") if isinstance(table, dict) else None
    return title if isinstance(title, str) else ""


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    return _table_value(value, f"[{key}]", where)


def _table_value(value: Any, what: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {what} must be a table")
    return value


def _str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{where}: `{key}` must be a string, found {value!r}")
    return value


def _strs(table: dict[str, Any], key: str, where: str, default: tuple[str, ...]) -> tuple[str, ...]:
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings, found {value!r}")
    return tuple(value)


def _lifecycle(table: dict[str, Any], where: str) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for key, v in table.items():
        if isinstance(v, str):
            out[key] = (v.lower(), "")
        else:
            spec = _table_value(v, f"[lifecycle] {key!r}", where)
            out[key] = (_str(spec, "state", where).lower(), _str(spec, "continues_as", where))
    return out


def _limits(table: dict[str, Any], what: str, where: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for level, n in table.items():
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ConfigError(f"{where}: {what} {level} must be a whole number, found {n!r}")
        out[level] = n
    return out


def _opt_int(table: dict[str, Any], key: str, where: str) -> int | None:
    v = table.get(key)
    if v is None:
        return None
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise ConfigError(f"{where}: [capacity] {key} must be a whole number, found {v!r}")
    return v


def _ask_types(table: dict[str, Any], where: str) -> dict[str, AskType]:
    out: dict[str, AskType] = {}
    for name, spec in table.items():
        if isinstance(spec, str):
            # rust-project-goals.toml of December 2024 - January 2025: `"Ask" = "about"`
            out[name] = AskType(name=name, short=name, about=spec)
            continue
        spec = _table_value(spec, f"ask type {name!r}", where)
        out[name] = AskType(
            name=name,
            short=_str(spec, "short", where) or name,
            about=_str(spec, "about", where),
            elide=bool(spec.get("elide", False)),
        )
    return out


def _team(name: str, spec: dict[str, Any], where: str) -> Team:
    return Team(
        name=name,
        display_name=_str(spec, "name", where),
        leads=_strs(spec, "leads", where, ()),
        members=_strs(spec, "members", where, ()),
        archived=bool(spec.get("archived", False)),
        url=_str(spec, "url", where),
    )


def raw_config(config: Config) -> dict[str, Any]:
    """The goalkeeper.toml table as read (for sections other modules validate themselves:
    [health], [escalation], [report], [minutes]); empty when there is no file."""
    return read_toml(config.path) if config.path is not None else {}
