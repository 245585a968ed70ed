"""Teams and people from a folder in the rust-lang/team repository format.

`teams/*.toml` hold one team each (`name`, `[people] leads/members`, `[website] name`);
`teams/archive/*.toml` are teams that no longer exist but are still named by old goals;
`people/<login>.toml` give display names.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ..errors import ConfigError
from ..model import Person, Team


def teams_dir(path: Path) -> Path:
    """Accept either the repository root (holding teams/) or the teams/ folder itself."""
    if (path / "teams").is_dir():
        return path / "teams"
    if path.is_dir():
        return path
    raise ConfigError(f"{path}: team data folder not found; pass a rust-lang/team checkout")


def load_teams(path: Path) -> dict[str, Team]:
    folder = teams_dir(path)
    teams: dict[str, Team] = {}
    files = [(f, False) for f in sorted(folder.glob("*.toml"))]
    files += [(f, True) for f in sorted((folder / "archive").glob("*.toml"))]
    if not files:
        raise ConfigError(f"{path}: no team files (teams/*.toml) found; pass a rust-lang/team "
                          "checkout or its teams/ folder")
    for f, archived in files:
        try:
            with f.open("rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"{f}: cannot read team file: {e}") from e
        name = data.get("name") or f.stem
        if not isinstance(name, str):
            raise ConfigError(f"{f}: `name` must be a string")
        if name in teams and archived:
            continue  # a live team wins over an archived one of the same name
        people = data.get("people", {}) if isinstance(data.get("people"), dict) else {}
        website = data.get("website", {}) if isinstance(data.get("website"), dict) else {}
        teams[name] = Team(
            name=name,
            display_name=str(website.get("name", "")),
            leads=tuple(str(x) for x in people.get("leads", []) if isinstance(x, str)),
            members=tuple(_login(x) for x in people.get("members", []) if _login(x)),
            archived=archived,
            subteam_of=str(data.get("subteam-of", "")),
        )
    return teams


def _login(x: object) -> str:
    if isinstance(x, str):
        return x
    if isinstance(x, dict) and isinstance(x.get("github"), str):
        return str(x["github"])
    return ""


def load_person(path: Path, login: str) -> Person | None:
    """Look up one person's display name (people/<login>.toml), if the file exists."""
    root = path if (path / "people").is_dir() else path.parent
    f = root / "people" / f"{login}.toml"
    try:
        with f.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    name = data.get("name")
    return Person(str(data.get("github", login)), name if isinstance(name, str) else "")
