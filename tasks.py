#!/usr/bin/env python3
"""Set-up and everyday tasks, with nothing but Python 3.11+ and pip.

    python3 tasks.py demo    # set up .venv, then run the main job on the bundled example
    python3 tasks.py test    # set up .venv, then run the tests, ruff and mypy (what CI runs)
    python3 tasks.py bench   # set up .venv, then time `goalkeeper check` (see bench/)
    python3 tasks.py lock    # re-pin requirements.lock after changing pyproject.toml
    python3 tasks.py fuzz --minutes 10   # fuzz every input kind; failing inputs go to fuzz-failures/

The virtual environment is created once and re-used until requirements.lock or pyproject.toml
change.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".goalkeeper-installed"
EXAMPLE = ROOT / "examples" / "ferrite"


def run(*args: str | Path, check: bool = True) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=check).returncode


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py may run on an older python3
        sys.exit(f"goalkeeper needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    digest = hashlib.sha256(
        (ROOT / "requirements.lock").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    if not (STAMP.exists() and STAMP.read_text() == digest and PY.exists()):
        install(digest)
    compile_bytecode()


def install(digest: str) -> None:
    if not PY.exists():
        print(f"+ python -m venv {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = (PY, "-m", "pip", "--disable-pip-version-check", "--quiet")
    run(*pip, "install", "--require-hashes", "-r", ROOT / "requirements.lock")
    run(*pip, "install", "--no-deps", "-e", ROOT)
    STAMP.write_text(digest)


def compile_bytecode() -> None:
    """Compile goalkeeper's modules to bytecode, as `pip install` does for a regular install.

    An editable install leaves that to the first run, and where PYTHONDONTWRITEBYTECODE is set
    no run ever writes it: every command would compile every module it imports again (about
    50 ms). compileall skips modules whose bytecode is current.
    """
    subprocess.run([str(PY), "-m", "compileall", "-q", str(ROOT / "src" / "goalkeeper")], check=True)


def demo() -> int:
    """The main job on the bundled example, in a scratch copy (build/demo/ferrite)."""
    setup()
    gk = BIN / "goalkeeper"
    work = ROOT / "build" / "demo"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(EXAMPLE, work / "ferrite", ignore=shutil.ignore_patterns(".goalkeeper-cache", "site"))
    program = work / "ferrite"
    status = run(gk, "check", program, check=False)
    run(gk, "goals", program, "--milestone", "2026")
    # a month of tracking-issue activity, loaded from a file instead of GitHub (no token needed)
    run(gk, "sync", program, "--import", program / "tracking" / "ferrite-lang-goals.json")
    # the pull requests and RFCs the program manager's initiatives watch
    run(gk, "sync", program, "--import", program / "tracking" / "ferrite-lang-watched.json")
    run(gk, "goals", program, "--milestone", "2026", "--today", "2026-11-25")
    run(gk, "attention", program, "--today", "2026-11-25")
    run(gk, "updates", "2026", program, "--from", "2026-11-01", "--output", work / "updates-2026-11.md")
    run(gk, "report", program, "--month", "2026-11", "--output", work / "report-2026-11.md")
    run(gk, "build", program, "--out", work / "site")
    print(f"\nmonthly post: {work / 'updates-2026-11.md'}\nprogram report: {work / 'report-2026-11.md'}"
          f"\nsite: {(work / 'site' / 'index.html').as_uri()}", flush=True)
    if sys.stdin.isatty() and sys.stdout.isatty():
        # serve the site with live reload; it prints the address to open; Ctrl-C stops it
        with contextlib.suppress(KeyboardInterrupt):
            run(gk, "serve", program, check=False)
    else:
        print(f"live preview (not started: not a terminal): {gk} serve {program}", flush=True)
    return status


def test() -> int:
    setup()
    status = run(PY, "-m", "pytest", *sys.argv[2:], check=False)
    status = status or run(PY, "-m", "ruff", "check", "src", "tests", "bench", "tasks.py", check=False)
    status = status or run(PY, "-m", "mypy", check=False)
    print("all checks passed" if status == 0 else "FAILED", flush=True)
    return status


def bench() -> int:
    setup()
    return run(PY, ROOT / "bench" / "bench_check.py", *sys.argv[2:], check=False)


def lock() -> int:
    setup()
    run(PY, "-m", "pip", "install", "--quiet", "pip-tools")
    return run(
        BIN / "pip-compile", "--quiet", "--extra", "dev", "--generate-hashes", "--strip-extras",
        "--output-file", "requirements.lock", "pyproject.toml",
    )


def fuzz() -> int:
    """A longer fuzz campaign than the suite's seeded run (tests/fuzz.py):
    `--minutes N` (default 5), `--out DIR` (default fuzz-failures/), `--seed S`."""
    setup()
    return run(PY, "-m", "tests.fuzz", *sys.argv[2:], check=False)


TASKS = {"demo": demo, "test": test, "bench": bench, "lock": lock, "fuzz": fuzz}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(TASKS)}}} [args]")
    sys.exit(TASKS[sys.argv[1]]())
