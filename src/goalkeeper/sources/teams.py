"""Teams and people from a folder in the rust-lang/team repository format.

`teams/*.toml` hold one team each (`name`, `[people] leads/members`, `[website] name`);
`teams/archive/*.toml` are teams that no longer exist but are still named by old goals;
`people/<login>.toml` give display names. GitHub logins are case-insensitive, so people are
found by their lowercased login, taken from the file's `github` field (the file name when the
field is missing).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..config import read_toml
from ..errors import ConfigError
from ..model import Person, Team
from ..records import Record, dataclass, field


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
            data = read_toml(f)
        except ConfigError as e:
            raise ConfigError(f"cannot read team file {e}") from None
        name = data.get("name") or f.stem
        if not isinstance(name, str):
            raise ConfigError(f"{f}: `name` must be a string")
        if name in teams and archived:
            continue  # a live team wins over an archived one of the same name
        people = data.get("people", {}) if isinstance(data.get("people"), dict) else {}
        website = data.get("website", {}) if isinstance(data.get("website"), dict) else {}
        for key in ("leads", "members"):
            if not isinstance(people.get(key, []), list):
                raise ConfigError(f"{f}: [people] {key} must be a list of GitHub logins, "
                                  f"found {people[key]!r}")
        teams[name] = Team(
            name=name,
            display_name=str(website.get("name", "")),
            leads=tuple(str(x) for x in people.get("leads", []) if isinstance(x, str)),
            members=tuple(_login(x) for x in people.get("members", []) if _login(x)),
            archived=archived,
            subteam_of=str(data.get("subteam-of", "")),
            url=_url(website.get("repo")),
            note=_opening_comment(f) if archived else "",
        )
    return teams


def _login(x: object) -> str:
    if isinstance(x, str):
        return x
    if isinstance(x, dict) and isinstance(x.get("github"), str):
        return str(x["github"])
    return ""


def _opening_comment(f: Path) -> str:
    """The `# …` lines a team file starts with (archived files say why: "merged into …")."""
    lines = []
    try:
        with f.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if not line.startswith("#"):
                    break
                lines.append(line.lstrip("#").strip())
    except OSError:
        return ""
    return " ".join(x for x in lines if x)[:300]


def _url(value: object) -> str:
    return value if isinstance(value, str) and re.match(r"https?://[^\s]+$", value) else ""


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PeopleData(Record):
    """The people of a team-data folder, by lowercased GitHub login."""

    people: dict[str, Person] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)  # lowercased login → its file
    unreadable: tuple[tuple[Path, str], ...] = ()  # (file, why) for files that could not be read

    def get(self, login: str) -> Person | None:
        return self.people.get(login.lower())


def load_people(path: Path) -> PeopleData:
    """Every `people/*.toml` under the team-data folder (the repository root or its teams/).
    A file without `name` gives a person with no display name (shown by login); a file that
    cannot be read is listed in `unreadable`, never raised."""
    root = path if (path / "people").is_dir() else path.parent
    people: dict[str, Person] = {}
    files: dict[str, Path] = {}
    bad: list[tuple[Path, str]] = []
    for f in sorted((root / "people").glob("*.toml")):
        if f.is_symlink():
            bad.append((f, "a symbolic link; not followed"))
            continue
        try:
            data = read_toml(f)
        except ConfigError as e:
            bad.append((f, str(e).removeprefix(f"{f}: ")))
            continue
        login = data.get("github")
        login = login if isinstance(login, str) and login.strip() else f.stem
        name = data.get("name")
        low = login.strip().lower()
        if low in people and f.stem.lower() != low:
            continue  # a file named after the login wins over one that only names it
        people[low] = Person(login.strip(), name.strip() if isinstance(name, str) else "")
        files[low] = f
    return PeopleData(people, files, tuple(bad))


def load_person(path: Path, login: str) -> Person | None:
    """One person (people/<login>.toml, or the file whose `github` is that login, in any case)."""
    return load_people(path).get(login)
