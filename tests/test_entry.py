"""`goalkeeper check` with plain arguments runs without click (goalkeeper.entry): it prints the
same lines on the same streams and exits with the same status as the click command, and leaves
every other form of the command to click."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from goalkeeper.entry import plain_check_args

from .conftest import BROKEN, EXAMPLE

ENTRY = [sys.executable, "-m", "goalkeeper", "check"]
# the click command itself, as `goalkeeper.cli:main` was the installed script before
CLICK = [sys.executable, "-c", "from goalkeeper.cli import main; main()", "check"]


def _run(cmd: list[str]) -> tuple[int, str, str]:
    r = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                       env=_env(), timeout=120)
    return r.returncode, r.stdout, r.stderr


def _env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != "GOALKEEPER_TEAMS"}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.mark.parametrize(
    "args",
    [
        [str(EXAMPLE)],
        [str(EXAMPLE), "--format", "json"],
        ["--format=github", "-q", str(BROKEN)],
        [str(BROKEN), "--quiet"],
        [str(BROKEN / "no-such-folder")],  # an error of goalkeeper's own: exit 2
    ],
)
def test_same_output_and_status_as_the_click_command(args: list[str]) -> None:
    assert plain_check_args(args) is not None  # these do take the path without click
    fast, slow = _run([*ENTRY, *args]), _run([*CLICK, *args])
    assert fast == slow
    assert fast[0] in (0, 1, 2) and (fast[1] or fast[2])


def test_check_does_not_import_click() -> None:
    # the process ends without the interpreter's teardown, but atexit handlers still run and
    # what they print is still written
    code = (
        "import atexit, sys; sys.argv = ['goalkeeper', 'check', '-q', sys.argv[1]]\n"
        "atexit.register(lambda: print('click' in sys.modules))\n"
        "from goalkeeper.entry import main\n"
        "main()"
    )
    r = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True,
                       env=_env(), timeout=120)
    assert r.stdout.splitlines()[-1] == "False", r.stderr
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith("checked 13 goals")


def test_plain_arguments_are_read_as_click_reads_them(tmp_path: Path) -> None:
    assert plain_check_args([]) == (".", None, "text", False)
    assert plain_check_args(["-q", str(tmp_path), "--format", "json"]) == (
        str(tmp_path), None, "json", True)
    assert plain_check_args([f"--teams={tmp_path}", "--quiet", "-q"]) == (
        ".", str(tmp_path), "text", True)
    assert plain_check_args(["missing-folder"]) == ("missing-folder", None, "text", False)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"], ["-h"], ["-qh"], ["--format", "xml"], ["--format"], ["--format="],
        ["--format", "json", "--format", "text"], ["--formats=json"], ["a", "b"], ["--", "x"],
        ["-"], [""], ["--teams", "no-such-folder"], ["--teams", "-q"], ["--quiet=yes"],
        ["{file}"], ["--teams={file}"],
    ],
)
def test_anything_else_is_left_to_click(args: list[str], tmp_path: Path) -> None:
    f = tmp_path / "a-file.md"
    f.write_text("# x\n", encoding="utf-8")
    assert plain_check_args([a.replace("{file}", str(f)) for a in args]) is None


def test_the_teams_variable_is_left_to_click(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GOALKEEPER_TEAMS", str(tmp_path))
    assert plain_check_args([str(EXAMPLE)]) is None
