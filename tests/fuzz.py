"""A seeded mutation fuzzer over every kind of input goalkeeper reads.

Each target takes real inputs (the documents, minutes, team data in ../shared/data and the
bundled example), mutates them with a seeded random generator (lines deleted, repeated,
swapped or truncated; hostile tokens spliced in; bytes flipped; invalid UTF-8; one token
repeated thousands of times to probe for quadratic time; deep nesting), and runs the library
on the result. A run passes when every input ends in a value or one of goalkeeper's own errors
(`GoalkeeperError`), within a time bound.

    python3 tasks.py fuzz --minutes 10            # longer runs; failing inputs go to fuzz-failures/
    pytest tests/test_fuzz.py                     # the short seeded run of the normal suite
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from goalkeeper.errors import GoalkeeperError

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
EXAMPLE = ROOT / "examples" / "ferrite"

#: Seconds one input may take. Inputs stay under ~200 KB, so a linear reader needs well under
#: a second; a quadratic one needs minutes.
TIME_BOUND = 10.0

NASTY = [
    "|", "||", "| Metadata | |", "---", "#", "```", "~~~", "<script>", "<", ">", "@", "[", "]", "](",
    "![", "\\|", "\x00", "\ufeff", "\r", "(((", ")))", "((( GOALS )))", "| Team | Support level | Notes |",
    "####", "`", "``", "*", "_", "**", "\udced\udca0\udc80", "\udcff", "&#xD800;", "&#0;", "{#", "\t",
    " " * 40, "- [ ]",
    "Attendees:", "Date: 0000-01-01", "2026-13-45", "9" * 5000, "a/b#" + "9" * 5000,
    "https://github.com/a/b/issues/" + "1" * 30, "@" + "a" * 300, "[lang] champion", "Status",
    "Accepted", "Proposed", "\u202e", "\u0301" * 50, "..", "../../etc/passwd", "javascript:",
]


def _lines_corpus(*globs: tuple[Path, str]) -> list[bytes]:
    out: list[bytes] = []
    for base, pattern in globs:
        if base.is_dir():
            out += [p.read_bytes() for p in sorted(base.glob(pattern))[:40] if p.is_file()]
    return out


def mutate(rng: random.Random, data: bytes, rounds: int | None = None) -> bytes:
    """A few random edits of a document, as bytes (so invalid UTF-8 can be made)."""
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    for _ in range(rounds if rounds is not None else rng.randint(1, 8)):
        op = rng.choice(["delete", "dup", "insert", "truncate", "splice", "swap", "pump", "pump",
                         "bytes", "nest"])
        i = rng.randrange(len(lines)) if lines else 0
        if op == "delete" and lines:
            del lines[i]
        elif op == "dup" and lines:
            lines[i:i] = [lines[i]] * rng.randint(1, 50)
        elif op == "insert":
            lines.insert(i, rng.choice(NASTY))
        elif op == "truncate" and lines:
            lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
        elif op == "splice" and lines:
            pos = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:pos] + rng.choice(NASTY) + lines[i][pos:]
        elif op == "swap" and len(lines) > 1:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "pump" and lines:  # a short unit repeated: the shape of quadratic regexes
            line = lines[i] or "x"
            a = rng.randrange(len(line))
            unit = line[a:a + rng.randint(1, 3)] if rng.random() < 0.6 else rng.choice(NASTY)[:3]
            pos = rng.randint(0, len(line))
            lines[i] = line[:pos] + (unit or "(") * rng.randint(2_000, 40_000) + line[pos:]
        elif op == "nest" and lines:
            depth = rng.randint(200, 5_000)
            opener = rng.choice(["[", "{", "> ", "- ", "(", "<div>", "a = ["])
            lines[i] = opener * depth + lines[i]
        elif op == "bytes":
            raw = "\n".join(lines).encode("utf-8", "surrogateescape")
            if raw:
                pos = rng.randrange(len(raw))
                raw = raw[:pos] + bytes([rng.choice([0x80, 0xC3, 0xFF, 0x00, 0xED])]) + raw[pos + 1:]
            lines = raw.decode("utf-8", "surrogateescape").split("\n")
    return "\n".join(lines).encode("utf-8", "surrogateescape")


# --------------------------------------------------------------------------------------------
# Targets: each gets (rng, scratch folder) and runs one mutated input through the library.


@dataclass(frozen=True)
class Target:
    name: str
    run: Callable[[random.Random, Path], bytes]  # returns the input it tried (for the report)


def _goal_docs() -> list[bytes]:
    goals = SHARED / "rust-project-goals" / "src"
    return _lines_corpus((goals / "2026", "*.md"), (goals / "2025h2", "*.md"),
                         (EXAMPLE / "src" / "2026", "*.md"), (EXAMPLE / "src", "*.md"))


def _write_program(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)


def _documents(rng: random.Random, tmp: Path) -> bytes:
    import goalkeeper
    from goalkeeper.render.rfc import rfc_text
    from goalkeeper.views.goals import filter_goals, goal_record

    docs = _goal_docs()
    data = mutate(rng, rng.choice(docs))
    readme = mutate(rng, (EXAMPLE / "src" / "2026" / "README.md").read_bytes(), rng.randint(0, 3))
    _write_program(tmp, {"goalkeeper.toml": (EXAMPLE / "goalkeeper.toml").read_bytes(),
                         "src/2026/README.md": readme, "src/2026/fuzzed.md": data,
                         "src/2026/other.md": rng.choice(docs)})
    program = goalkeeper.load(tmp)
    for g in filter_goals(program):
        goal_record(g)
    for m in program.milestones:
        rfc_text(program, m)
    return data


def _config(rng: random.Random, tmp: Path) -> bytes:
    from goalkeeper.config import load_config, raw_config
    from goalkeeper.render.report_config import report_config
    from goalkeeper.season.health import health_rules_for
    from goalkeeper.sources.feeds import feed_specs
    from goalkeeper.sources.minutes.config import load_minutes_config

    base = (EXAMPLE / "goalkeeper.toml").read_bytes()
    data = mutate(rng, base, rng.randint(1, 3))
    _write_program(tmp, {"goalkeeper.toml": data, "src/2026/README.md": b"# 2026\n"})
    config = load_config(tmp)
    health_rules_for(config)
    raw = raw_config(config)
    report_config(raw, "goalkeeper.toml")
    feed_specs(raw, "goalkeeper.toml")
    load_minutes_config(tmp)
    return data


def _minutes(rng: random.Random, tmp: Path) -> bytes:
    from goalkeeper.sources.minutes.folders import load_minutes
    from goalkeeper.sources.minutes.topics import topics_and_actions

    corpus = _lines_corpus((SHARED / "minutes" / "leadership-council", "*.md"),
                           (SHARED / "minutes" / "compiler-team", "**/*.md"),
                           (SHARED / "minutes" / "libs-team", "**/*.md"),
                           (EXAMPLE / "minutes", "**/*.md"))
    data = mutate(rng, rng.choice(corpus))
    _write_program(tmp, {"minutes/lang/2026-03-05-fuzzed.md": data, "src/2026/README.md": b"# x\n"})
    load_minutes(tmp)
    topics_and_actions(data)
    return data


def _feeds(rng: random.Random, tmp: Path) -> bytes:
    from goalkeeper.sources.feeds import FeedSpec, read_feeds

    data = mutate(rng, rng.choice(_lines_corpus((EXAMPLE / "feeds", "*"))))
    (tmp / "feed.xml").write_bytes(data)
    read_feeds([FeedSpec("fuzzed", path="feed.xml")], tmp, start=dt.date(1, 1, 1),
               end=dt.date(9999, 1, 1), offline=True)
    return data


def _import(rng: random.Random, tmp: Path) -> bytes:
    from goalkeeper.forge.dump import read_dump
    from goalkeeper.season.store import Store

    base = (EXAMPLE / "tracking" / "ferrite-lang-goals.json").read_bytes()
    mode = rng.random()
    if mode < 0.3:
        data = mutate(rng, base, rng.randint(1, 2))
    elif mode < 0.6:  # valid JSON whose texts are mutated: it reaches the store
        doc = json.loads(base)
        for issue in rng.sample(doc["issues"], min(3, len(doc["issues"]))):
            for c in [issue, *issue.get("comments", [])][:3]:
                c["body"] = mutate(rng, c.get("body", "").encode()).decode("utf-8", "replace")
        data = json.dumps(doc).encode()
    else:  # structural: replace one value anywhere with a hostile one
        doc = json.loads(base)
        node, key = doc, "issues"
        for _ in range(rng.randint(1, 4)):
            value = node[key]
            if isinstance(value, dict) and value:
                node, key = value, rng.choice(list(value))
            elif isinstance(value, list) and value:
                node, key = value, rng.randrange(len(value))
            else:
                break
        node[key] = rng.choice([None, 0, -1, 2**70, 1.5, "", "\ud800", [], {}, [1], {"a": 1}, True,
                                "x" * 10_000, [[[]]]])
        data = json.dumps(doc).encode("utf-8", "surrogatepass")
    (tmp / "dump.json").write_bytes(data)
    issues = read_dump(tmp / "dump.json")
    with Store.open(tmp / "cache.sqlite") as store:
        store.save_batch(issues)
    return data


def _teams(rng: random.Random, tmp: Path) -> bytes:
    from goalkeeper.sources.teams import load_people, load_teams

    team_dir = SHARED / "rust-lang-team"
    corpus = _lines_corpus((team_dir / "teams", "*.toml"), (team_dir / "people", "*.toml"))
    corpus = corpus or [b'name = "lang"\n[people]\nleads = ["a"]\nmembers = ["a", "b"]\n']
    data = mutate(rng, rng.choice(corpus), rng.randint(1, 2))
    _write_program(tmp, {"teams/fuzzed.toml": data, "people/fuzzed.toml": data,
                         "teams/archive/old.toml": b'name = "old"\n'})
    load_teams(tmp)
    load_people(tmp)
    return data


def _tree(rng: random.Random, tmp: Path) -> bytes:
    """Odd source-tree shapes: files where folders belong, FIFOs, symlinks anywhere, names that
    are not UTF-8, empty and deep folders."""
    import goalkeeper

    _write_program(tmp, {"src/2026/README.md": (EXAMPLE / "src" / "2026" / "README.md").read_bytes(),
                         "src/2026/good.md": rng.choice(_goal_docs())})
    made = []
    for _ in range(rng.randint(1, 5)):
        where = tmp / "src" / rng.choice(["", "2026", "2027", "2026/sub", "0000", "2026h3"])
        name = rng.choice(["x.md", "2026", "2025h2", "README.md", "SUMMARY.md", "archive"])
        if rng.random() < 0.2:
            name = os.fsdecode(b"caf\xe9-" + os.fsencode(name))
        path = where / name
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            kind = rng.choice(["file", "dir", "fifo", "link-zero", "link-loop", "link-out", "link-up",
                               "empty", "binary"])
            if kind == "file":
                path.write_bytes(rng.choice(_goal_docs()))
            elif kind == "dir":
                path.mkdir(parents=True, exist_ok=True)
            elif kind == "fifo":
                os.mkfifo(path)
            elif kind == "link-zero":
                path.symlink_to("/dev/zero")
            elif kind == "link-loop":
                path.symlink_to(path.name)
            elif kind == "link-out":
                path.symlink_to("/etc")
            elif kind == "link-up":
                path.symlink_to(tmp)
            elif kind == "empty":
                path.write_bytes(b"")
            else:
                path.write_bytes(bytes(rng.randrange(256) for _ in range(200)))
            made.append(f"{kind} {path.relative_to(tmp)}")
    from goalkeeper.site import build_site, write_site

    write_site(build_site(goalkeeper.load(tmp)), tmp / "out")
    return "\n".join(made).encode("utf-8", "surrogateescape")


TARGETS = [Target("documents", _documents), Target("config", _config), Target("minutes", _minutes),
           Target("feeds", _feeds), Target("import", _import), Target("teams", _teams),
           Target("tree", _tree)]


@dataclass(frozen=True)
class Failure:
    target: str
    seed: int
    why: str  # the traceback, or how long it took
    data: bytes


@contextlib.contextmanager
def _scratch() -> Iterator[Path]:
    d = Path(tempfile.mkdtemp(prefix="gk-fuzz-"))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def run_one(target: Target, seed: int, bound: float = TIME_BOUND) -> Failure | None:
    """One input of one target: None when goalkeeper coped, else what went wrong."""
    rng = random.Random(f"{target.name}:{seed}")
    data = b""
    with _scratch() as tmp:
        t0 = time.perf_counter()
        try:
            data = target.run(rng, tmp)
        except GoalkeeperError:
            pass
        except Exception:
            return Failure(target.name, seed, traceback.format_exc(), _replay(target, seed))
        took = time.perf_counter() - t0
    if took > bound:
        return Failure(target.name, seed, f"took {took:.1f} s (bound {bound} s)", data)
    return None


def _replay(target: Target, seed: int) -> bytes:
    """The input of a failed run (the run raised before returning it)."""
    captured: list[bytes] = []
    original = mutate

    def keep(rng: random.Random, data: bytes, rounds: int | None = None) -> bytes:
        out = original(rng, data, rounds)
        captured.append(out)
        return out

    globals()["mutate"] = keep
    try:
        with _scratch() as tmp, contextlib.suppress(Exception):
            target.run(random.Random(f"{target.name}:{seed}"), tmp)
    finally:
        globals()["mutate"] = original
    return b"\n---- next mutated input ----\n".join(captured)


def campaign(seconds: float, out: Path, first_seed: int = 0) -> list[Failure]:
    """Fuzz every target in turn until `seconds` have passed; write each failure to `out`."""
    failures: list[Failure] = []
    end = time.monotonic() + seconds
    seed = first_seed
    while time.monotonic() < end:
        for target in TARGETS:
            failure = run_one(target, seed)
            if failure is not None:
                failures.append(failure)
                out.mkdir(parents=True, exist_ok=True)
                stem = out / f"{failure.target}-{failure.seed}"
                stem.with_suffix(".input").write_bytes(failure.data)
                stem.with_suffix(".txt").write_text(
                    f"target {failure.target}, seed {failure.seed}\n"
                    f"replay: python -c 'from tests import fuzz; print(fuzz.run_one(fuzz.TARGETS_BY_NAME"
                    f"[\"{failure.target}\"], {failure.seed}))'\n\n{failure.why}", encoding="utf-8")
                print(f"FAIL {failure.target} seed {failure.seed}: {failure.why.strip().splitlines()[-1]}",
                      flush=True)
        seed += 1
    return failures


TARGETS_BY_NAME = {t.name: t for t in TARGETS}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz-failures")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    found = campaign(args.minutes * 60, args.out, args.seed)
    print(f"{len(found)} failing input(s)" + (f", written to {args.out}" if found else ""))
    raise SystemExit(1 if found else 0)
