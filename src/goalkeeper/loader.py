"""Walk a goals repository and build the :class:`~goalkeeper.model.Program`.

Every file is read defensively (:mod:`goalkeeper.sources.files`): unreadable, binary, non-UTF-8,
oversized and empty files and symlink loops become diagnostics, and the rest of the repository
is still read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import checks, records
from .acceptance import is_slate_status, readme_banner
from .config import load_config
from .diagnostics import Diagnostic, Diagnostics, Span
from .errors import ProgramNotFound
from .model import USER_RE, Config, Goal, Milestone, Page, Person, Program, Roadmap, Team
from .sources import documents, legacy, markdown
from .sources.files import SourceFile, ignored, misplaced_milestones, read_text, walk
from .sources.goals import parse_goal
from .sources.metadata import Located, metadata_table
from .sources.roadmaps import parse_roadmap

_Parser = Callable[[str, str], markdown.Document]
_T = TypeVar("_T")


class ParseCache:
    """Parsed documents by path, re-used while a file's text is unchanged; and what was read
    from each file (its goal, roadmap or page, and its diagnostics), re-used while the file's
    modification time, size and inode and the configuration are unchanged.

    `goalkeeper serve` keeps one across rebuilds so a saved change re-reads and re-parses only
    that file (its watcher notices changes by the same modification times and sizes). Parsed
    documents and model objects are never mutated, so sharing them is safe.
    """

    def __init__(self) -> None:
        self._docs: dict[str, tuple[str, markdown.Document]] = {}
        self._files: dict[str, tuple[tuple[object, ...], object, tuple[Diagnostic, ...]]] = {}
        self._config: Config | None = None
        self.parsed = 0  # documents parsed (cache misses), for tests and benchmarks
        self.read = 0  # files read and their documents extracted (cache misses)
        self._team_data: dict[tuple[str, str], tuple[object, object]] = {}
        self._team_sigs: dict[Path, tuple[object, ...]] = {}  # of this load's team folders

    def begin(self, config: Config) -> None:
        """Start a load: what was read under another configuration is forgotten."""
        if self._config is None or self._config != config:
            self._files.clear()
        self._config = config
        self._team_sigs = {}

    def team_data(self, kind: str, path: Path, make: Callable[[], _T]) -> _T:
        """`make()` (which reads the team-data folder `path`), or what it gave last time while
        no file of the folders it reads changed (name, modification time, size)."""
        sig = self._team_sigs.get(path)
        if sig is None:  # (once a load)
            sig = self._team_sigs[path] = _folders_signature([
                path, path / "teams", path / "teams" / "archive", path / "archive",
                path / "people", path.parent / "people"])
        hit = self._team_data.get((kind, str(path)))
        if hit is not None and hit[0] == sig:
            return hit[1]  # type: ignore[return-value]  # (made by the same `make`)
        out = make()
        self._team_data[(kind, str(path))] = (sig, out)
        return out

    def extract(self, f: SourceFile, context: tuple[object, ...], diags: Diagnostics,
                make: Callable[[], _T]) -> _T:
        """`make()` (which reads `f` and reports into `diags`), or what it gave last time for
        the same file state and `context`, with the same diagnostics."""
        try:
            st = os.stat(f.path)
        except OSError:
            self._files.pop(f.rel, None)
            return make()  # (which reports why it cannot be read)
        key = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns, *context)
        hit = self._files.get(f.rel)
        if hit is not None and hit[0] == key:
            diags.extend(hit[2])
            return hit[1]  # type: ignore[return-value]  # (made by the same `make` for this key)
        mark = len(diags)
        out = make()
        self._files[f.rel] = (key, out, tuple(diags.since(mark)))
        self.read += 1
        return out

    def parse(self, rel: str, text: str) -> markdown.Document:
        hit = self._docs.get(rel)
        if hit is not None and hit[0] == text:
            return hit[1]
        doc = markdown.parse(text)
        self._docs[rel] = (text, doc)
        self.parsed += 1
        return doc


def load(
    root: str | os.PathLike[str] = ".",
    *,
    teams: str | os.PathLike[str] | None = None,
    cache: ParseCache | None = None,
) -> Program:
    """Load the goals program at `root`: milestones, goals, roadmaps, teams, people, diagnostics.

    `teams` points at a rust-lang/team style folder and overrides `[layout] teams`; `cache`
    re-uses the documents parsed by an earlier call whose text has not changed.
    Raises :class:`~goalkeeper.errors.GoalkeeperError` only for what stops the run (a missing
    root, an unusable configuration); problems in documents are returned as diagnostics.
    """
    root_path = Path(root)
    if not root_path.is_dir():
        raise ProgramNotFound(f"{root_path}: no such folder; give the root of a goals repository")
    config = load_config(root_path, Path(teams).resolve() if teams is not None else None)
    if not config.source_dir.is_dir():
        raise ProgramNotFound(
            f"{config.source_dir}: source folder not found; goals live in "
            f"`{config.source}/<milestone>/` (set [layout] source in goalkeeper.toml)"
        )
    diags = Diagnostics()
    milestones: list[Milestone] = []
    pages: list[Page] = []

    files = walk(config.source_dir, root_path, diags)
    misplaced_milestones(config, root_path, diags)
    by_milestone: dict[str, list[SourceFile]] = {}
    others: list[SourceFile] = []
    for f in files:  # the documents of a milestone are those of a folder of the source folder
        folder = f.folder
        if folder in by_milestone:
            by_milestone[folder].append(f)
        elif folder and "/" not in folder and config.is_milestone_name(folder):
            by_milestone[folder] = [f]
        else:
            others.append(f)

    parse = cache.parse if cache is not None else _parse
    if cache is not None:
        cache.begin(config)
    for name in sorted(by_milestone, key=_milestone_sort_key):
        milestones.append(_load_milestone(name, by_milestone[name], config, diags, parse, cache))
    for f in others:
        def other(f: SourceFile = f) -> Page | None:
            return _load_other(f, config, diags, parse)

        p = other() if cache is None else cache.extract(f, (), diags, other)
        if p is not None:
            pages.append(p)

    if config.lifecycle:
        milestones = [_apply_lifecycle(m, config) for m in milestones]
    team_map, checked = _teams(milestones, config, diags, cache)
    people = _people(milestones, config, diags, cache)
    program = Program(
        root=root_path,
        config=config,
        milestones=tuple(milestones),
        teams=team_map,
        people=people,
        pages=tuple(pages),
        diagnostics=(),
        teams_checked=checked,
    )
    checks.run(program, diags)
    items: list[Diagnostic] = []
    for d in diags.sorted():
        if d.code not in config.severities:
            items.append(d)
            continue
        override = config.severities[d.code]
        if override is not None:  # None: switched off in [diagnostics]
            items.append(records.replace(d, severity=override))
    return Program(
        root=root_path,
        config=config,
        milestones=program.milestones,
        teams=team_map,
        people=people,
        pages=program.pages,
        diagnostics=tuple(items),
        teams_checked=checked,
    )


def _folders_signature(folders: list[Path]) -> tuple[object, ...]:
    out: list[object] = []
    for folder in folders:
        try:
            with os.scandir(folder) as it:
                entries = sorted((e.name, st.st_mtime_ns, st.st_size)
                                 for e in it for st in (e.stat(),))
        except OSError:
            entries = []
        out.append((str(folder), tuple(entries)))
    return tuple(out)


def _parse(rel: str, text: str) -> markdown.Document:
    return markdown.parse(text)


def _apply_lifecycle(m: Milestone, config: Config) -> Milestone:
    """`[lifecycle]` in goalkeeper.toml wins over what the document says."""
    goals = []
    for g in m.goals:
        state, cont = config.lifecycle.get(g.key, ("", ""))
        if state or cont:
            g = records.replace(g, lifecycle=state or g.lifecycle,
                                    continues_as=cont or g.continues_as)
        goals.append(g)
    return records.replace(m, goals=tuple(goals))


def _milestone_sort_key(name: str) -> tuple[str, str]:
    return (name[:4], name[4:])


class _Read:
    """What one document of a milestone gave: the README's banner, its directives, and its
    goal, roadmap or page (kept by a ParseCache, never changed)."""

    __slots__ = ("banner", "directives", "item")

    def __init__(self, banner: tuple[int, str] | None, directives: tuple[tuple[str, int], ...],
                 item: Goal | Roadmap | Page) -> None:
        self.banner = banner
        self.directives = directives
        self.item = item


def _milestone_file(
    f: SourceFile, name: str, pending: bool, config: Config, diags: Diagnostics, parse: _Parser
) -> _Read | None:
    text = read_text(f, config, diags, in_milestone=True)
    if text is None:
        return None
    banner = readme_banner(text) if f.name.lower() == "readme.md" else None
    doc = parse(f.rel, text)
    documents.report_tables(doc, f.rel, diags)
    documents.check_html(doc, f.rel, diags)
    directives = tuple(documents.check_directives(doc, f.rel, diags))
    stem = f.name[:-3]
    loc = Located(f.rel, name, stem, rfc_pending=pending)
    if not ignored(f.name, config):
        if stem.startswith("roadmap-"):
            roadmap = parse_roadmap(doc, loc, diags)
            if roadmap is not None:
                return _Read(banner, directives, roadmap)
        else:
            goal = parse_goal(doc, loc, config, diags)
            if goal is not None:
                return _Read(banner, directives, goal)
    return _Read(banner, directives, documents.page(doc, f.rel, name, list(directives)))


def _load_milestone(
    name: str, files: list[SourceFile], config: Config, diags: Diagnostics, parse: _Parser,
    cache: ParseCache | None = None,
) -> Milestone:
    goals: list[Goal] = []
    roadmaps: list[Roadmap] = []
    pages: list[Page] = []
    milestone_path = f"{config.source}/{name}"
    used: list[tuple[str, str, int]] = []  # (path, directive, line) in any document
    accepted_by = ""
    pending = _rfc_pending(files)
    for f in files:
        def one(f: SourceFile = f) -> _Read | None:
            return _milestone_file(f, name, pending, config, diags, parse)

        got = one() if cache is None else cache.extract(f, (name, pending), diags, one)
        if got is None:
            continue
        if got.banner is not None:
            accepted_by = f"{f.rel}:{got.banner[0]} {got.banner[1]}"
        used.extend((f.rel, text, line) for text, line in got.directives)
        if isinstance(got.item, Goal):
            goals.append(got.item)
        elif isinstance(got.item, Roadmap):
            roadmaps.append(got.item)
        else:
            pages.append(got.item)
    if accepted_by:
        goals = [records.replace(g, accepted_by=accepted_by) if is_slate_status(g.status) else g
                 for g in goals]
    return Milestone(name, milestone_path, tuple(goals), tuple(roadmaps), tuple(pages), tuple(used),
                     accepted_by)


def _rfc_pending(files: list[SourceFile]) -> bool:
    """Whether the milestone README's status badge says its RFC is not accepted yet (older
    milestones carried one); tracking issues are required only once it is."""
    readme = next((f for f in files if f.name == "README.md"), None)
    if readme is None:
        return False
    try:
        with open(readme.path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(8192)
    except OSError:
        return False  # read_text reports it
    return legacy.rfc_state(head) == "pending"


def _load_other(f: SourceFile, config: Config, diags: Diagnostics, parse: _Parser) -> Page | None:
    text = read_text(f, config, diags, in_milestone=False)
    if text is None:
        return None
    doc = parse(f.rel, text)
    documents.check_html(doc, f.rel, diags)
    directives = documents.check_directives(doc, f.rel, diags)
    table, where = metadata_table(doc)
    if table is not None and where in ("first", "preamble") and not ignored(f.name, config):
        diags.add(
            Span(f.rel, table.line),
            "goal-outside-milestone",
            f"document has a goal's metadata table but is not in a milestone folder "
            f"(`{config.source}/<milestone>/<slug>.md`); it is not read as a goal",
            f"move it into a milestone folder such as `{config.source}/2026/`",
        )
    return documents.page(doc, f.rel, "", directives)


def _teams(
    milestones: list[Milestone], config: Config, diags: Diagnostics, cache: ParseCache | None = None
) -> tuple[dict[str, Team], bool]:
    if config.teams_path is not None:  # --teams, GOALKEEPER_TEAMS or [layout] teams
        from .sources.teams import load_teams, teams_dir  # (only a program with team data)

        path = config.teams_path
        teams = dict(load_teams(path) if cache is None else
                     cache.team_data("teams", path, lambda: load_teams(path)))
        archive = teams_dir(config.teams_path) / "archive"
        if archive.exists() and not archive.is_dir():
            diags.add(Span(_shown(archive, config)), "io-error",
                      "team data's `archive` is not a folder; archived teams are not read, so "
                      "goals naming them are reported as asking unknown teams",
                      "make `teams/archive/` a folder of team files, as in rust-lang/team")
        return teams, True
    if config.teams:
        return dict(config.teams), True
    goals = [g for m in milestones for g in m.goals]
    named = {a.team for g in goals for a in g.asks} | {c.team for g in goals for c in g.champions}
    where = config.path.name if config.path else (config.source or ".")
    diags.add(
        Span(where),
        "unchecked-teams",
        f"no team data configured, so the {len(named)} team names found in the documents "
        "could not be checked",
        "add [teams.<name>] tables to goalkeeper.toml, set [layout] teams to a rust-lang/team "
        "checkout, or pass --teams DIR",
    )
    return {n: Team(n) for n in sorted(named)}, False


def _people(milestones: list[Milestone], config: Config, diags: Diagnostics,
            cache: ParseCache | None = None) -> dict[str, Person]:
    """Everyone the documents name (by lowercased login), with display names from `[people]`
    or the team data's `people/*.toml` (matched case-insensitively, `github` field honoured),
    and everyone else the team data knows, so any `@login` in a page can be named."""
    logins: dict[str, str] = {}  # lowercased -> as first written
    read: set[str] = set()  # champion and owner cells read (a cell names the same people again)
    for m in milestones:
        for g in m.goals:
            for u in g.points_of_contact:
                logins.setdefault(u.lower(), u)
            cells = [c.value for c in g.champions]
            cells += [owner for w in g.work_items for owner in w.owners]  # (its task owners)
            for cell in cells:
                if cell not in read:
                    read.add(cell)
                    for u in USER_RE.findall(cell):  # (a champion's logins, as Champion reads them)
                        logins.setdefault(u.lower(), u)
    path = config.teams_path
    data = None
    if path is not None:
        from .sources.teams import load_people

        data = (load_people(path) if cache is None else
                cache.team_data("people", path, lambda: load_people(path)))
    people: dict[str, Person] = dict(data.people) if data else {}
    for low, login in sorted(logins.items()):
        person = config.people.get(low) or (data.get(login) if data else None)
        if data and person is not None and not person.name and low in data.files:
            f = data.files[low]
            diags.add(Span(_shown(f, config), 1), "person-without-name",
                      f"person file has no `name`, so @{login} is shown by login",
                      'add `name = "Display Name"` to the file, or [people.<login>] name in '
                      "goalkeeper.toml")
        people[low] = person or Person(login)
    for low, person in config.people.items():
        people.setdefault(low, person)
    if data:
        for f, why in data.unreadable:
            diags.add(Span(_shown(f, config), 1), "person-without-name",
                      f"person file cannot be read ({why}); its person is shown by login",
                      "fix the TOML in the team data")
    return people


def _shown(f: Path, config: Config) -> str:
    try:
        return f.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return str(f)
