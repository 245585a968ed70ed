"""The local cache of forge data: a SQLite database in the repository's cache folder.

    with Store.open(Store.default_path(root)) as store:
        issue = store.issue("ferrite-lang/goals", 205)

- WAL mode, so readers (`goalkeeper goals`) never wait for a sync that is writing;
- schema migrations: `schema_version` holds the number of migrations applied, and
  :data:`MIGRATIONS` is the ordered list; each runs in its own transaction with its version bump;
- one transaction per batch: a page of issues, all their comments and the sync watermark are
  committed together, so a sync killed at any point leaves the database as it was after the last
  whole batch, and the next sync resumes from there;
- an issue's comments are replaced as a set when the issue is saved: edited comments are
  updated in place (keyed by the forge's node id), deleted ones disappear, none is duplicated.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ..constants import CACHE_DIR, DB_NAME
from ..errors import StoreError
from ..forge.records import (
    LinkedIssue,
    RemoteComment,
    RemoteIssue,
    RemoteLabel,
    RemoteMilestone,
    SearchCount,
)

MIGRATIONS: tuple[str, ...] = (
    # 1: issues, comments and where each sync got to
    """
    CREATE TABLE issues (
        repo TEXT NOT NULL,              -- owner/name, lower case
        number INTEGER NOT NULL,
        repo_name TEXT NOT NULL,         -- owner/name as the forge spells it
        node_id TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'OPEN',
        url TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL DEFAULT '',
        closed_at TEXT NOT NULL DEFAULT '',
        labels TEXT NOT NULL DEFAULT '[]',
        milestone TEXT NOT NULL DEFAULT '',
        milestone_number INTEGER NOT NULL DEFAULT 0,
        assignees TEXT NOT NULL DEFAULT '[]',
        fetched_at TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (repo, number)
    );
    CREATE TABLE comments (
        node_id TEXT PRIMARY KEY,
        repo TEXT NOT NULL,
        number INTEGER NOT NULL,
        position INTEGER NOT NULL,
        database_id INTEGER NOT NULL DEFAULT 0,
        url TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        author_type TEXT NOT NULL DEFAULT 'User',
        author_association TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL DEFAULT '',
        is_minimized INTEGER NOT NULL DEFAULT 0,
        minimized_reason TEXT NOT NULL DEFAULT '',
        FOREIGN KEY (repo, number) REFERENCES issues (repo, number) ON DELETE CASCADE
    );
    CREATE INDEX comments_by_issue ON comments (repo, number, position);
    CREATE TABLE sync_state (
        scope TEXT PRIMARY KEY,          -- the repository synced, lower case
        watermark TEXT,                  -- newest updatedAt stored; the next sync starts there
        synced_at TEXT NOT NULL DEFAULT ''
    );
    """,
    # 2: the repository's labels and milestones (what `issues` must create)
    """
    CREATE TABLE repo_labels (
        repo TEXT NOT NULL, name TEXT NOT NULL, color TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (repo, name)
    );
    CREATE TABLE repo_milestones (
        repo TEXT NOT NULL, number INTEGER NOT NULL, title TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'OPEN',
        PRIMARY KEY (repo, number)
    );
    """,
    # 3: what tracking issues link to (`See also` issues, `Tracked issues` searches)
    """
    CREATE TABLE linked_issues (
        repo TEXT NOT NULL, number INTEGER NOT NULL, repo_name TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '', fetched_at TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (repo, number)
    );
    CREATE TABLE search_counts (
        repo TEXT NOT NULL, query TEXT NOT NULL,
        open INTEGER NOT NULL DEFAULT 0, closed INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '', fetched_at TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (repo, query)
    );
    """,
    # 4: repositories GitHub answers under a new name; what each sync learnt about page sizes
    # and when the tracker's issue numbers were last listed (deleted and transferred issues)
    """
    CREATE TABLE repo_aliases (
        repo TEXT PRIMARY KEY,           -- the name asked (as documents spell it), lower case
        name TEXT NOT NULL,              -- the name GitHub answers with
        seen_at TEXT NOT NULL DEFAULT ''
    );
    ALTER TABLE sync_state ADD COLUMN page_size INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sync_state ADD COLUMN listed_at TEXT NOT NULL DEFAULT '';
    """,
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """The cache database. Open with :meth:`open`; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._db = conn
        self.path = path
        #: Called with a step name at each point of a batch (tests kill the process there).
        self.on_step: Callable[[str], None] | None = None

    @staticmethod
    def default_path(root: Path) -> Path:
        return root / CACHE_DIR / DB_NAME

    @classmethod
    def open(cls, path: Path, *, timeout: float = 10.0, readonly: bool = False) -> Store:
        """Open (creating if needed) and migrate the database at `path`; with `readonly`, read
        an existing cache of this schema without writing (a read-only cache folder works)."""
        if readonly:
            return cls._open_readonly(path, timeout)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"{path.parent}: cannot create the cache folder: {e.strerror}") from e
        fresh = not path.exists() or path.stat().st_size == 0
        try:
            conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as e:
            raise _store_error(path, e) from e
        store = cls(conn, path)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            fresh = fresh or store.schema_version() == 0
            store._migrate()
        except (StoreError, sqlite3.Error) as e:
            conn.close()
            if fresh:  # nothing was stored yet: leave no half-made file to fail the next run
                for extra in ("", "-wal", "-shm", "-journal"):
                    with contextlib.suppress(OSError):
                        Path(f"{path}{extra}").unlink()
            raise e if isinstance(e, StoreError) else _store_error(path, e) from e
        return store

    @classmethod
    def _open_readonly(cls, path: Path, timeout: float) -> Store:
        if not path.is_file():
            raise StoreError(f"{path}: no cache yet; run `goalkeeper sync` first")
        base = "file:" + urllib.parse.quote(str(path.resolve()))
        conn = None
        # a folder where not even SQLite's shared-memory file can be made: read it as immutable
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(base + query, uri=True, timeout=timeout, isolation_level=None)
                store = cls(conn, path)
                version = store.schema_version()
                break
            except sqlite3.Error as e:
                if conn is not None:
                    conn.close()
                conn, error = None, e
        if conn is None:
            raise _store_error(path, error) from error
        if version != len(MIGRATIONS):
            conn.close()
            raise StoreError(f"{path}: the cache is from another goalkeeper version; run "
                             "`goalkeeper sync` (where the cache can be written) to update it")
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -------------------------------------------------------------------------

    def schema_version(self) -> int:
        row = self._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if row is None:
            return 0
        got = self._db.execute("SELECT version FROM schema_version").fetchone()
        return int(got[0]) if got else 0

    def _migrate(self) -> None:
        self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: the cache was written by a newer goalkeeper (schema {current}, this "
                f"one knows {len(MIGRATIONS)}); upgrade, or delete the file and sync again"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            with self._transaction():
                for statement in _statements(MIGRATIONS[version - 1]):
                    self._db.execute(statement)
                self._db.execute("DELETE FROM schema_version")
                self._db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise _store_error(self.path, e) from e
        try:
            yield
            self._step("commit")
        except BaseException:
            self._rollback()
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as e:
            self._rollback()
            raise _store_error(self.path, e) from e
        self._step("committed")

    def _rollback(self) -> None:
        """Undo the open transaction unless SQLite already did (it does when the disk is full)."""
        if self._db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    def _step(self, name: str) -> None:
        if self.on_step is not None:
            self.on_step(name)

    # -- writing ------------------------------------------------------------------------

    def save_batch(
        self,
        issues: Iterable[RemoteIssue],
        *,
        scope: str | None = None,
        watermark: str | None = None,
        labels: tuple[str, Iterable[RemoteLabel]] | None = None,
        milestones: tuple[str, Iterable[RemoteMilestone]] | None = None,
        linked: Mapping[tuple[str, int], LinkedIssue] | None = None,
        searches: Mapping[tuple[str, str], SearchCount] | None = None,
    ) -> int:
        """Save a batch in one transaction; returns how many stored comments were deleted.

        `watermark` (with `scope`) records how far the sync of `scope` got; it only moves forward.
        """
        fetched = _now()
        deleted = 0
        try:
            with self._transaction():
                self._step("begin")
                for issue in issues:
                    deleted += self._save_issue(issue, fetched)
                    self._step("issue")
                if labels is not None:
                    repo, items = labels
                    self._db.execute("DELETE FROM repo_labels WHERE repo = ?", (repo.lower(),))
                    self._db.executemany(
                        "INSERT OR REPLACE INTO repo_labels (repo, name, color) VALUES (?, ?, ?)",
                        [(repo.lower(), lb.name, lb.color) for lb in items],
                    )
                if milestones is not None:
                    repo, ms = milestones
                    self._db.execute("DELETE FROM repo_milestones WHERE repo = ?", (repo.lower(),))
                    self._db.executemany(
                        "INSERT OR REPLACE INTO repo_milestones (repo, number, title, state) "
                        "VALUES (?, ?, ?, ?)",
                        [(repo.lower(), m.number, m.title, m.state) for m in ms],
                    )
                for li in (linked or {}).values():
                    self._db.execute(
                        "INSERT OR REPLACE INTO linked_issues (repo, number, repo_name, state, title, "
                        "body, url, error, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (li.repo.lower(), li.number, li.repo, li.state, li.title, li.body, li.url,
                         li.error, fetched),
                    )
                for sc in (searches or {}).values():
                    self._db.execute(
                        "INSERT OR REPLACE INTO search_counts (repo, query, open, closed, error, "
                        "fetched_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (sc.repo.lower(), sc.query, sc.open, sc.closed, sc.error, fetched),
                    )
                self._step("data")
                if scope is not None:
                    self._db.execute(
                        "INSERT INTO sync_state (scope, watermark, synced_at) VALUES (?, ?, ?) "
                        "ON CONFLICT (scope) DO UPDATE SET synced_at = excluded.synced_at, "
                        "watermark = CASE WHEN excluded.watermark IS NULL THEN watermark "
                        "WHEN watermark IS NULL OR excluded.watermark > watermark "
                        "THEN excluded.watermark ELSE watermark END",
                        (scope.lower(), watermark, fetched),
                    )
        except sqlite3.Error as e:
            raise _store_error(self.path, e) from e
        return deleted

    def save_aliases(self, renamed: Mapping[str, str]) -> None:
        """Record that GitHub answers each repository asked (key) under a new name (value)."""
        if not renamed:
            return
        try:
            with self._transaction():
                self._db.executemany(
                    "INSERT OR REPLACE INTO repo_aliases (repo, name, seen_at) VALUES (?, ?, ?)",
                    [(asked.lower(), name, _now()) for asked, name in renamed.items()],
                )
        except sqlite3.Error as e:
            raise _store_error(self.path, e) from e

    def aliases(self) -> dict[str, str]:
        """Repository asked (lower case) → the name GitHub now gives it."""
        return {r["repo"]: r["name"] for r in self._query("SELECT repo, name FROM repo_aliases", ())}

    def set_sync_meta(
        self, scope: str, *, page_size: int | None = None, listed_at: str | None = None
    ) -> None:
        """Remember the page size that worked for `scope`, or when its numbers were last listed."""
        try:
            with self._transaction():
                self._db.execute("INSERT OR IGNORE INTO sync_state (scope) VALUES (?)", (scope.lower(),))
                if page_size is not None:
                    self._db.execute("UPDATE sync_state SET page_size = ? WHERE scope = ?",
                                     (page_size, scope.lower()))
                if listed_at is not None:
                    self._db.execute("UPDATE sync_state SET listed_at = ? WHERE scope = ?",
                                     (listed_at, scope.lower()))
        except sqlite3.Error as e:
            raise _store_error(self.path, e) from e

    def page_size(self, scope: str) -> int:
        """The page size a timeout taught the sync of `scope` (0: none learnt)."""
        row = self._query("SELECT page_size FROM sync_state WHERE scope = ?", (scope.lower(),))
        return int(row[0][0]) if row else 0

    def listed_at(self, scope: str) -> str:
        row = self._query("SELECT listed_at FROM sync_state WHERE scope = ?", (scope.lower(),))
        return str(row[0][0]) if row else ""

    def drop_issues(self, repo: str, numbers: Iterable[int]) -> int:
        """Forget issues (and their comments) the forge no longer has here; how many went."""
        gone = 0
        try:
            with self._transaction():
                for n in numbers:
                    self._db.execute("DELETE FROM comments WHERE repo = ? AND number = ?", (repo.lower(), n))
                    cur = self._db.execute("DELETE FROM issues WHERE repo = ? AND number = ?",
                                           (repo.lower(), n))
                    gone += max(cur.rowcount, 0)
        except sqlite3.Error as e:
            raise _store_error(self.path, e) from e
        return gone

    def recent_comment_ids(self, repo: str, days: int) -> list[str]:
        """Node ids of the comments of `repo` made in the `days` before its newest stored change,
        newest first (those whose minimized state matters for updates and TL;DRs)."""
        rows = self._query(
            "SELECT c.node_id FROM comments c WHERE c.repo = ? AND c.created_at >= "
            "strftime('%Y-%m-%dT%H:%M:%SZ', (SELECT max(updated_at) FROM issues WHERE repo = ?), ?) "
            "ORDER BY c.created_at DESC",
            (repo.lower(), repo.lower(), f"-{days} days"),
        )
        return [str(r[0]) for r in rows]

    def set_minimized(self, states: Mapping[str, tuple[bool, str]]) -> int:
        """Update comments' minimized state; how many changed."""
        changed = 0
        try:
            with self._transaction():
                for node_id, (hidden, why) in states.items():
                    cur = self._db.execute(
                        "UPDATE comments SET is_minimized = ?, minimized_reason = ? WHERE node_id = ? "
                        "AND (is_minimized != ? OR minimized_reason != ?)",
                        (int(hidden), why, node_id, int(hidden), why),
                    )
                    changed += max(cur.rowcount, 0)
        except sqlite3.Error as e:
            raise _store_error(self.path, e) from e
        return changed

    def numbers(self, repo: str) -> list[int]:
        rows = self._query("SELECT number FROM issues WHERE repo = ? ORDER BY number", (repo.lower(),))
        return [int(r[0]) for r in rows]

    def _save_issue(self, issue: RemoteIssue, fetched: str) -> int:
        repo = issue.repo.lower()
        self._db.execute(
            """INSERT INTO issues (repo, number, repo_name, node_id, title, body, state, url, author,
                   created_at, updated_at, closed_at, labels, milestone, milestone_number, assignees,
                   fetched_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (repo, number) DO UPDATE SET
                   repo_name = excluded.repo_name, node_id = excluded.node_id,
                   title = excluded.title, body = excluded.body, state = excluded.state,
                   url = excluded.url, author = excluded.author, created_at = excluded.created_at,
                   updated_at = excluded.updated_at, closed_at = excluded.closed_at,
                   labels = excluded.labels, milestone = excluded.milestone,
                   milestone_number = excluded.milestone_number, assignees = excluded.assignees,
                   fetched_at = excluded.fetched_at""",
            (repo, issue.number, issue.repo, issue.node_id, issue.title, issue.body, issue.state,
             issue.url, issue.author, issue.created_at, issue.updated_at, issue.closed_at,
             json.dumps(list(issue.labels)), issue.milestone, issue.milestone_number,
             json.dumps(list(issue.assignees)), fetched),
        )
        keep = [c.node_id for c in issue.comments]
        placeholders = ",".join("?" * len(keep))
        cur = self._db.execute(
            f"DELETE FROM comments WHERE repo = ? AND number = ? AND node_id NOT IN ({placeholders})",
            (repo, issue.number, *keep),
        )
        deleted = max(cur.rowcount, 0)
        self._db.executemany(
            """INSERT INTO comments (node_id, repo, number, position, database_id, url, author,
                   author_type, author_association, body, created_at, updated_at, is_minimized,
                   minimized_reason)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (node_id) DO UPDATE SET
                   repo = excluded.repo, number = excluded.number, position = excluded.position,
                   database_id = excluded.database_id, url = excluded.url, author = excluded.author,
                   author_type = excluded.author_type,
                   author_association = excluded.author_association, body = excluded.body,
                   created_at = excluded.created_at, updated_at = excluded.updated_at,
                   is_minimized = excluded.is_minimized, minimized_reason = excluded.minimized_reason""",
            [
                (c.node_id, repo, issue.number, i, c.database_id, c.url, c.author, c.author_type,
                 c.author_association, c.body, c.created_at, c.updated_at, int(c.is_minimized),
                 c.minimized_reason)
                for i, c in enumerate(issue.comments)
            ],
        )
        self._step("comments")
        return deleted

    # -- reading ------------------------------------------------------------------------

    def watermark(self, scope: str) -> str | None:
        row = self._query("SELECT watermark FROM sync_state WHERE scope = ?", (scope.lower(),))
        return str(row[0][0]) if row and row[0][0] else None

    def synced_at(self, scope: str) -> str | None:
        row = self._query("SELECT synced_at FROM sync_state WHERE scope = ?", (scope.lower(),))
        return str(row[0][0]) if row and row[0][0] else None

    def issue(self, repo: str, number: int) -> RemoteIssue | None:
        rows = self._query("SELECT * FROM issues WHERE repo = ? AND number = ?", (repo.lower(), number))
        return self._issue_from_row(rows[0]) if rows else None

    def body(self, repo: str, number: int) -> tuple[str, bool] | None:
        """(body, is closed) of a stored issue, without reading its comments."""
        rows = self._query("SELECT body, state FROM issues WHERE repo = ? AND number = ?",
                           (repo.lower(), number))
        return (rows[0]["body"], rows[0]["state"].upper() != "OPEN") if rows else None

    def issues(self, repo: str | None = None) -> list[RemoteIssue]:
        if repo is None:
            rows = self._query("SELECT * FROM issues ORDER BY repo, number", ())
        else:
            rows = self._query("SELECT * FROM issues WHERE repo = ? ORDER BY number", (repo.lower(),))
        return [self._issue_from_row(r) for r in rows]

    def _issue_from_row(self, row: sqlite3.Row) -> RemoteIssue:
        comments = self._query(
            "SELECT * FROM comments WHERE repo = ? AND number = ? ORDER BY position",
            (row["repo"], row["number"]),
        )
        return RemoteIssue(
            repo=row["repo_name"], number=row["number"], node_id=row["node_id"], title=row["title"],
            body=row["body"], state=row["state"], url=row["url"], author=row["author"],
            created_at=row["created_at"], updated_at=row["updated_at"], closed_at=row["closed_at"],
            labels=tuple(json.loads(row["labels"])), milestone=row["milestone"],
            milestone_number=row["milestone_number"], assignees=tuple(json.loads(row["assignees"])),
            comments=tuple(
                RemoteComment(
                    node_id=c["node_id"], database_id=c["database_id"], url=c["url"],
                    author=c["author"], author_type=c["author_type"], body=c["body"],
                    created_at=c["created_at"], updated_at=c["updated_at"],
                    is_minimized=bool(c["is_minimized"]), minimized_reason=c["minimized_reason"],
                    author_association=c["author_association"],
                )
                for c in comments
            ),
        )

    def labels(self, repo: str) -> list[RemoteLabel]:
        rows = self._query("SELECT name, color FROM repo_labels WHERE repo = ? ORDER BY name",
                           (repo.lower(),))
        return [RemoteLabel(r["name"], r["color"]) for r in rows]

    def milestones(self, repo: str) -> list[RemoteMilestone]:
        rows = self._query("SELECT number, title, state FROM repo_milestones WHERE repo = ? "
                           "ORDER BY number", (repo.lower(),))
        return [RemoteMilestone(r["number"], r["title"], r["state"]) for r in rows]

    def linked(self, repo: str, number: int) -> LinkedIssue | None:
        rows = self._query("SELECT * FROM linked_issues WHERE repo = ? AND number = ?",
                           (repo.lower(), number))
        if not rows:
            return None
        r = rows[0]
        return LinkedIssue(r["repo_name"], r["number"], r["state"], r["title"], r["body"], r["url"],
                           r["error"])

    def search_count(self, repo: str, query: str) -> SearchCount | None:
        rows = self._query("SELECT * FROM search_counts WHERE repo = ? AND query = ?",
                           (repo.lower(), query))
        if not rows:
            return None
        r = rows[0]
        return SearchCount(repo, query, r["open"], r["closed"], r["error"])

    def counts(self) -> dict[str, int]:
        """Rows per table (issues, comments, linked issues, searches)."""
        out = {}
        for table in ("issues", "comments", "linked_issues", "search_counts"):
            out[table] = int(self._query(f"SELECT count(*) FROM {table}", ())[0][0])
        return out

    def comment_ids(self) -> list[str]:
        """Every stored comment's node id, duplicates included (there should be none)."""
        return [str(r[0]) for r in self._query("SELECT node_id FROM comments ORDER BY node_id", ())]

    # -- tables other modules keep (goalkeeper.season.proposals): created and written by them -----

    def run_statements(self, statements: Iterable[tuple[str, tuple[object, ...]]]) -> None:
        """Run `statements` in one transaction (all or nothing)."""
        with self._transaction():
            for sql, params in statements:
                try:
                    self._db.execute(sql, params)
                except sqlite3.Error as e:
                    raise _store_error(self.path, e) from e

    def select(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        return self._query(sql, params)

    def _query(self, sql: str, params: tuple[object, ...]) -> list[sqlite3.Row]:
        try:
            cur = self._db.execute(sql, params)
            cur.row_factory = sqlite3.Row
            return list(cur.fetchall())
        except sqlite3.Error as e:
            raise _store_error(self.path, e) from e


def _statements(script: str) -> list[str]:
    """A migration's statements (comments dropped first: they may hold semicolons)."""
    text = "\n".join(line.split("--", 1)[0].rstrip() for line in script.splitlines())
    return [part.strip() for part in text.split(";") if part.strip()]


def _store_error(path: Path, e: sqlite3.Error) -> StoreError:
    text = str(e)
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(f"{path}: the disk is full; free some space and run again (the cache "
                          "keeps what it held before this run)")
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path}: the cache folder is read-only; commands that only read the "
                          "cache work, `sync` needs to write it")
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: the cache database is locked by another goalkeeper; "
                          "wait for it to finish and run again")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path}: the cache database is damaged; delete it and run "
                          "`goalkeeper sync` again")
    return StoreError(f"{path}: cache database error: {text}")
