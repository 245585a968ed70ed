"""Proposals under review: open pull requests that add or change goal documents.

`goalkeeper sync` lists the goals repository's pull requests (incrementally, newest change
first) and reads the goal documents they add or change at their head commit
(:mod:`goalkeeper.forge.pulls`); `sync --import FILE` takes them from a file's ``"pulls"``.
They are kept in the cache (tables ``pulls`` and ``pull_sync``, one row per pull request,
replaced when it changes), so a pull request is never stored twice.

A document proposed by an open pull request and not yet in the repository is a *proposal*; one
already there is a *change* under review. A pull request merged since is still counted as a
proposal until its document is in the checkout (then it is a goal, counted by the slate); a
closed one is dropped. The same checks as `goalkeeper check` run on each proposed document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import checks
from ..calendar import next_milestone
from ..constants import Severity
from ..diagnostics import Diagnostic, Diagnostics, Span
from ..errors import ConfigError
from ..forge.pulls import PullFile, RemotePull, goal_paths, list_pulls, safe_path, with_documents
from ..model import Goal, Milestone, Program
from ..sources import documents, markdown
from ..sources.goals import parse_goal
from ..sources.metadata import Located
from .store import Store

TABLES = (
    "CREATE TABLE IF NOT EXISTS pulls (repo TEXT NOT NULL COLLATE NOCASE, number INTEGER NOT NULL,"
    " updated_at TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (repo, number))",
    "CREATE TABLE IF NOT EXISTS pull_sync (scope TEXT PRIMARY KEY COLLATE NOCASE, watermark TEXT)",
)


# --------------------------------------------------------------------------------------------
# The cache


def _ensure(store: Store) -> None:
    store.run_statements((sql, ()) for sql in TABLES)


def pull_json(p: RemotePull) -> dict[str, Any]:
    return dataclasses.asdict(p)


def pull_from_json(d: dict[str, Any]) -> RemotePull:
    files = tuple(PullFile(str(f["path"]), str(f.get("change") or f.get("changeType") or "ADDED"),
                           f["text"] if isinstance(f.get("text"), str) else None)
                  for f in d.get("files", []))
    return RemotePull(
        repo=str(d["repo"]), number=int(d["number"]), title=str(d.get("title", "")),
        url=str(d.get("url", "")), state=str(d.get("state", "OPEN")).upper(),
        is_draft=bool(d.get("is_draft", False)), author=str(d.get("author", "")),
        created_at=str(d.get("created_at", "")), updated_at=str(d.get("updated_at", "")),
        closed_at=str(d.get("closed_at") or ""), merged_at=str(d.get("merged_at") or ""),
        head_oid=str(d.get("head_oid", "")), head_repo=str(d.get("head_repo", "")), files=files)


def save_pulls(store: Store, pulls: Iterable[RemotePull], *, scope: str = "",
               watermark: str | None = None) -> int:
    """Store (replace) each pull request, and the sync watermark, in one transaction."""
    _ensure(store)
    rows = list(pulls)
    stmts: list[tuple[str, tuple[object, ...]]] = [
        ("INSERT OR REPLACE INTO pulls (repo, number, updated_at, data) VALUES (?, ?, ?, ?)",
         (p.repo, p.number, p.updated_at, json.dumps(pull_json(p), ensure_ascii=False)))
        for p in rows]
    if scope and watermark:
        stmts.append(("INSERT OR REPLACE INTO pull_sync (scope, watermark) VALUES (?, ?)",
                      (scope, watermark)))
    store.run_statements(stmts)
    return len(rows)


def stored_pulls(store: Store, repo: str | None = None) -> list[RemotePull]:
    _ensure(store)
    rows = (store.select("SELECT data FROM pulls WHERE repo = ? ORDER BY number", (repo,)) if repo
            else store.select("SELECT data FROM pulls ORDER BY repo, number"))
    return [pull_from_json(json.loads(r["data"])) for r in rows]


def pull_watermark(store: Store, scope: str) -> str | None:
    _ensure(store)
    rows = store.select("SELECT watermark FROM pull_sync WHERE scope = ?", (scope,))
    return str(rows[0]["watermark"]) if rows and rows[0]["watermark"] else None


def read_pull_dump(path: Path) -> list[RemotePull]:
    """The ``"pulls"`` of an import file (the same file as the issues; see forge.dump)."""
    from ..forge.dump import load_json, unfit_value

    data = load_json(path)
    items = data.get("pulls", []) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(f'{path}: "pulls" must be a list of pull requests')
    out = []
    for i, raw in enumerate(items, 1):
        if unfit := unfit_value(raw):
            raise ConfigError(f"{path}: pull request {i} holds {unfit}")
        try:
            out.append(pull_from_json(raw))
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ConfigError(f"{path}: pull request {i} lacks or mistypes {e}") from e
    return out


# --------------------------------------------------------------------------------------------
# Syncing


def target_milestones(program: Program) -> list[str]:
    """The milestones proposals are for: the newest one and the next."""
    if not program.milestones:
        return []
    last = program.milestones[-1].name
    nxt = next_milestone(last)
    return [last, nxt] if nxt else [last]


def sync_proposals(program: Program, client: Any, store: Store, repo: str, *, full: bool = False
                   ) -> int:
    """Fetch the pull requests changed since the last sync, with their goal documents; returns
    how many were saved."""
    scope = f"pulls:{repo}"
    since = None if full else pull_watermark(store, scope)
    pulls, canonical = list_pulls(client, repo, since=since)
    source = program.config.source
    known = {(p.repo.lower(), p.number): p for p in stored_pulls(store)}
    filled = {(p.repo, p.number): p for p in pulls}
    for m in target_milestones(program):
        need = []
        for p in pulls:
            if p.state == "CLOSED" or not goal_paths(p, source, m):
                continue
            old = known.get((repo.lower(), p.number))
            if old is not None and old.head_oid == p.head_oid and old.files:
                filled[(p.repo, p.number)] = dataclasses.replace(p, files=old.files)  # same commit
            else:
                need.append(p)
        for p in with_documents(client, need, source, m) if need else ():
            filled[(p.repo, p.number)] = p
    pulls = list(filled.values())
    if canonical.lower() != repo.lower():
        pulls = [dataclasses.replace(p, repo=repo) for p in pulls]
    watermark = max((p.updated_at for p in pulls), default=None)
    return save_pulls(store, pulls, scope=scope, watermark=watermark)


def sync_watched(program: Program, client: Any, store: Store) -> int:
    """Read the issues and pull requests the report's initiatives watch into the cache."""
    from ..config import raw_config
    from ..forge.pulls import read_watched
    from ..render.report_config import report_config
    from ..render.report_data import parse_ref

    cfg = report_config(raw_config(program.config), str(program.config.path or program.root))
    refs = [r for c in cfg.initiatives for w in c.watch if (r := parse_ref(w)) is not None]
    if not refs:
        return 0
    found = [i for i in read_watched(client, refs).values() if i is not None]
    store.save_batch(found)
    return len(found)


# --------------------------------------------------------------------------------------------
# Checking and counting


@dataclass(frozen=True)
class Proposal:
    milestone: str
    path: str
    slug: str
    title: str
    pull: int
    url: str
    author: str
    opened: str  # YYYY-MM-DD
    state: str  # OPEN, or MERGED (not yet in this checkout)
    draft: bool
    new: bool  # the document is not in the repository (else: a change under review)
    continuing_from: str  # the earlier milestone with a goal of the same slug or issue
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == Severity.ERROR)

    def record(self) -> dict[str, Any]:
        return {"milestone": self.milestone, "path": self.path, "slug": self.slug,
                "title": self.title, "pull": self.pull, "url": self.url, "author": self.author,
                "opened": self.opened, "state": self.state, "draft": self.draft, "new": self.new,
                "continuing_from": self.continuing_from or None,
                "diagnostics": [{"path": d.span.path, "line": d.span.line, "code": d.code,
                                 "severity": str(d.severity), "message": d.message}
                                for d in self.diagnostics]}


def check_document(program: Program, milestone: str, path: str, text: str | None
                   ) -> tuple[Goal | None, tuple[Diagnostic, ...]]:
    """Parse a proposed goal document as `check` would, with the program's other documents."""
    diags = Diagnostics()
    if text is None:
        diags.add(Span(path), "proposal-unreadable", "the document could not be read at the pull "
                  "request's head (deleted fork, binary, or too large); not checked",
                  "sync again once the pull request's branch is back")
        return None, tuple(diags.sorted())
    doc = markdown.parse(text)
    documents.report_tables(doc, path, diags)
    documents.check_html(doc, path, diags)
    documents.check_directives(doc, path, diags)
    stem = path.rsplit("/", 1)[-1][:-3]
    goal = parse_goal(doc, Located(path, milestone, stem), program.config, diags)
    if goal is None:
        if not any(d.severity == Severity.ERROR for d in diags.sorted()):
            diags.add(Span(path, 1), "proposal-not-a-goal", "the document does not read as a goal "
                      "document (no metadata table); not counted as a goal",
                      "start the document from the milestone's goal template")
        return None, tuple(diags.sorted())
    ms = program.milestone(milestone) or Milestone(milestone, f"{program.config.source}/{milestone}",
                                                   (), (), (), (), "")
    others = tuple(g for g in ms.goals if g.path != path)
    trial = dataclasses.replace(ms, goals=(*others, goal))
    milestones = tuple(trial if m.name == milestone else m for m in program.milestones)
    if program.milestone(milestone) is None:
        milestones = (*milestones, trial)
    checks.run(dataclasses.replace(program, milestones=milestones), diags)
    return goal, tuple(d for d in diags.sorted() if d.span.path == path)


@dataclass(frozen=True)
class ProposalSummary:
    milestone: str
    proposals: tuple[Proposal, ...]  # documents not yet in the repository
    changes: tuple[Proposal, ...]  # documents in the repository, changed by an open pull request
    month_new: int  # proposals whose pull request was opened in the month
    continuing: int
    previous: str  # the milestone they continue from

    @property
    def with_errors(self) -> int:
        return sum(1 for p in self.proposals if p.errors)

    def headline(self) -> str:
        n = len(self.proposals)
        text = f"{n} proposal{'s' * (n != 1)} under review"
        if self.with_errors:
            text += f", {self.with_errors} with errors"
        return text

    def report_lines(self) -> list[str]:
        n = len(self.proposals)
        parts = [f"{self.month_new} new this month"]
        if self.previous:
            parts.append(f"{self.continuing} continuing from {self.previous}")
        line = f"- {n} goal{'s' * (n != 1)} proposed for {self.milestone} ({', '.join(parts)})"
        if self.with_errors:
            line += f"; {self.with_errors} with errors"
        out = [line + "."]
        if self.changes:
            k = len(self.changes)
            out.append(f"- {k} change{'s' * (k != 1)} to {self.milestone} goals under review.")
        return out

    def record(self) -> dict[str, Any]:
        return {"milestone": self.milestone, "proposed": len(self.proposals),
                "new_this_month": self.month_new, "continuing": self.continuing,
                "continuing_from": self.previous or None, "with_errors": self.with_errors,
                "changes": len(self.changes),
                "proposals": [p.record() for p in self.proposals],
                "changes_under_review": [p.record() for p in self.changes]}


def proposals(program: Program, pulls: Sequence[RemotePull], milestone: str) -> list[Proposal]:
    """The documents of `milestone` proposed by open (or merged, not yet pulled) pull requests,
    each path once (the most recently updated pull request wins), sorted by path."""
    source = program.config.source
    folder = program.root / source / milestone
    on_disk = {g.path for g in program.goals} | {
        f"{source}/{milestone}/{f.name}" for f in (folder.glob("*.md") if folder.is_dir() else ())}
    earlier = [m for m in program.milestones if m.name < milestone]
    by_slug = {g.slug: m.name for m in earlier for g in m.goals}
    by_issue = {(g.tracking_issue.repository.lower(), g.tracking_issue.number): m.name
                for m in earlier for g in m.goals if g.tracking_issue}
    best: dict[str, tuple[RemotePull, PullFile]] = {}
    for p in pulls:
        if p.state not in ("OPEN", "MERGED"):
            continue
        for f in goal_paths(p, source, milestone):
            if not safe_path(f.path):
                continue
            if p.state == "MERGED" and f.path in on_disk:
                continue  # merged and pulled: it is a goal now
            cur = best.get(f.path)
            if cur is None or (p.state, p.updated_at) > (cur[0].state, cur[0].updated_at):
                best[f.path] = (p, f)
    out: list[Proposal] = []
    for path, (p, f) in sorted(best.items()):
        goal, diags = check_document(program, milestone, path, f.text)
        slug = path.rsplit("/", 1)[-1][:-3]
        cont = by_slug.get(slug, "")
        if goal is not None and goal.tracking_issue is not None:
            ti = goal.tracking_issue
            cont = cont or by_issue.get((ti.repository.lower(), ti.number), "")
        out.append(Proposal(milestone, path, slug, goal.title if goal else p.title, p.number, p.url,
                            p.author, p.created_at[:10], p.state, p.is_draft,
                            path not in on_disk, cont, diags))
    return out


def summary(program: Program, pulls: Sequence[RemotePull], milestone: str,
            month: tuple[dt.date, dt.date] | None = None) -> ProposalSummary:
    found = proposals(program, pulls, milestone)
    new = tuple(p for p in found if p.new)
    changes = tuple(p for p in found if not p.new and p.state == "OPEN")
    lo, hi = (month[0].isoformat(), month[1].isoformat()) if month else ("", "")
    earlier = [m.name for m in program.milestones if m.name < milestone]
    return ProposalSummary(
        milestone, new, changes,
        sum(1 for p in new if month and lo <= p.opened < hi),
        sum(1 for p in new if p.continuing_from),
        earlier[-1] if earlier else "",
    )


def cached_pulls(program: Program) -> list[RemotePull] | None:
    """The stored pull requests, or None before the first sync."""
    path = Store.default_path(program.root)
    if not path.is_file():
        return None
    with Store.open(path) as store:  # stored_pulls may create its tables
        return stored_pulls(store)


def report_summary(program: Program, pulls: Sequence[RemotePull], start: dt.date, end: dt.date
                   ) -> ProposalSummary | None:
    """The proposals the month's update counts: for the milestone in its proposal, feedback or
    RFC phase during the month, else the newest milestone that has proposals; None if none."""
    from ..calendar import Phase, program_windows

    if not pulls:
        return None
    targets = target_milestones(program)
    wins = program_windows([m.name for m in program.milestones], program.config.calendar,
                           str(program.config.path or program.root))
    last = end - dt.timedelta(days=1)
    early = {Phase.PROPOSALS, Phase.FEEDBACK, Phase.RFC}
    phased = [w.milestone for w in wins if w.phase in early and w.start <= last and w.end >= start
              and w.milestone in targets]
    found = [summary(program, pulls, m, (start, end)) for m in dict.fromkeys([*phased, *reversed(targets)])]
    return next((s for s in found if s.proposals or s.changes), None)
