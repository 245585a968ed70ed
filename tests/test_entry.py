"""`goalkeeper check`, `rfc` and `fcp` with plain arguments run without click (goalkeeper.entry):
they print the same lines on the same streams and exit with the same status as the click
commands, and leave every other form of the commands to click."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from goalkeeper.entry import plain_check_args, plain_document_args

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


@pytest.mark.parametrize(
    "args",
    [
        ["rfc", "2025h2", str(EXAMPLE)],
        ["rfc", "2026", str(EXAMPLE)],
        ["fcp", "2026", str(EXAMPLE)],
        ["fcp", f"--teams={EXAMPLE / 'src'}", "2025h2", str(EXAMPLE)],  # not team data: exit 2
        ["rfc", "2026", str(BROKEN / "no-such-folder")],  # an error of goalkeeper's own: exit 2
    ],
)
def test_documents_same_output_and_status_as_the_click_commands(args: list[str]) -> None:
    assert plain_document_args(args[1:]) is not None  # these do take the path without click
    fast, slow = _run([*ENTRY[:-1], *args]), _run([*CLICK[:-1], *args])
    assert fast == slow
    assert fast[0] in (0, 2) and (fast[1] or fast[2])


def test_the_real_rfc_is_the_same_without_click(rust_goals: Path, rust_teams: Path) -> None:
    args = ["rfc", "2025h2", str(rust_goals), "--teams", str(rust_teams)]
    fast, slow = _run([*ENTRY[:-1], *args]), _run([*CLICK[:-1], *args])
    assert fast == slow and fast[0] == 0 and len(fast[1]) > 10_000


@pytest.mark.parametrize("command", ["rfc", "fcp"])
def test_an_unknown_milestone_is_reported_by_click(command: str) -> None:
    code, out, err = _run([*ENTRY[:-1], command, "1999", str(EXAMPLE)])
    assert (code, out) == (2, "") and "Usage:" in err
    assert err.endswith("Error: no milestone '1999'; milestones: 2025h2, 2026\n")


def test_rfc_does_not_import_click() -> None:
    code = (
        "import atexit, sys; sys.argv = ['goalkeeper', 'rfc', '2026', sys.argv[1]]\n"
        "atexit.register(lambda: print('click' in sys.modules))\n"
        "from goalkeeper.entry import main\n"
        "main()"
    )
    r = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True,
                       env=_env(), timeout=120)
    assert r.stdout.splitlines()[-1] == "False", r.stderr
    assert r.returncode == 0 and r.stdout.startswith("- Feature Name: `project_goals_2026`")


def test_document_arguments_are_read_as_click_reads_them(tmp_path: Path) -> None:
    assert plain_document_args(["2026"]) == ("2026", ".", None)
    assert plain_document_args([f"--teams={tmp_path}", "2026", "root"]) == ("2026", "root", str(tmp_path))
    assert plain_document_args(["2026", "--teams", str(tmp_path)]) == ("2026", ".", str(tmp_path))


@pytest.mark.parametrize(
    "args",
    [
        [], ["--help"], ["2026", "-h"], ["2026", "a", "b"], ["--", "2026"], ["-"], [""],
        ["2026", "--teams", "no-such-folder"], ["2026", "--teams"], ["2026", "--teams", "-q"],
        ["2026", "--teamsx=."], ["2026", "--teams=.", "--teams=."], ["2026", "{file}"],
        ["2026", "--teams={file}"], ["2026", "-m", "x"],
    ],
)
def test_other_document_arguments_are_left_to_click(args: list[str], tmp_path: Path) -> None:
    f = tmp_path / "a-file.md"
    f.write_text("# x\n", encoding="utf-8")
    assert plain_document_args([a.replace("{file}", str(f)) for a in args]) is None


@pytest.mark.parametrize(
    "args",
    [
        ["teams", str(EXAMPLE)],
        ["roadmaps", str(EXAMPLE), "--json"],
        ["champions", str(EXAMPLE), "-m", "no-such-milestone"],  # a usage error: exit 2
        ["teams", "--help"],
    ],
)
def test_printing_commands_end_as_the_click_command_does(args: list[str]) -> None:
    # they end without the interpreter's teardown (as a plain check does), with the same
    # output and status, and with the atexit handlers run
    code = ("import atexit, sys; atexit.register(lambda: print('atexit ran', file=sys.stderr))\n"
            "from goalkeeper.entry import main\n"
            "main()")
    via_entry = _run([sys.executable, "-c", code, *args])
    via_click = _run([*CLICK[:-1], *args])
    assert via_entry[:2] == via_click[:2]
    assert via_entry[2] == via_click[2] + "atexit ran\n"
    assert via_entry[0] in (0, 2) and (via_entry[1] or via_entry[2])
