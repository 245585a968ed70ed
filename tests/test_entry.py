"""`goalkeeper check` with plain arguments runs without click (goalkeeper.entry): it prints the
same lines on the same streams and exits with the same status as the click command, and leaves
every other form of the command to click."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from goalkeeper.entry import FAST, plain_args, plain_check_args

from .conftest import BROKEN, EXAMPLE

ENTRY = [sys.executable, "-m", "goalkeeper", "check"]
# the click command itself, as `goalkeeper.cli:main` was the installed script before
CLICK = [sys.executable, "-c", "from goalkeeper.cli.group import main; main()", "check"]


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


# ---------------------------------------------------------------- views and documents

VIEW = [sys.executable, "-m", "goalkeeper"]
CLICK_VIEW = [sys.executable, "-c", "import sys; sys.argv[0] = 'goalkeeper'; "
              "from goalkeeper.cli.group import main; main()"]


def _same_prog(text: str) -> str:
    return text.replace("python -m goalkeeper", "goalkeeper")


def test_the_table_of_plain_commands_says_what_their_click_commands_declare(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOALKEEPER_TEAMS", raising=False)
    import click

    from goalkeeper.cli.group import main as group

    ctx = click.Context(group)
    for name, spec in FAST.items():
        cmd = group.get_command(ctx, name)
        assert cmd is not None
        module, function = spec.function.split(":")
        assert cmd.callback is getattr(importlib.import_module(f"goalkeeper.cli.{module}"), function)
        arguments = [p for p in cmd.params if isinstance(p, click.Argument)]
        assert tuple(p.name for p in arguments) == spec.positional
        assert all(p.required == (p.name != "root") for p in arguments)
        options = [p for p in cmd.params if isinstance(p, click.Option)]
        flags = {o: p.name for p in options if p.is_flag for o in p.opts}
        values = {o: p.name for p in options if not p.is_flag for o in p.opts}
        assert flags == dict(spec.flags) and values == dict(spec.values), name
        assert not any(p.secondary_opts or p.multiple for p in options)
        for p in options:
            if isinstance(p.type, click.Choice):
                assert tuple(p.type.choices) == spec.choices[p.name]
        # what the function is given: the same for the fewest arguments and for every option
        fewest = ["x" for p in spec.positional if p != "root"]
        given = [*fewest, str(tmp_path), *spec.flags]
        for option in {v: o for o, v in spec.values.items()}.values():
            given += [option, str(tmp_path) if option == "--teams" else
                      spec.choices.get(spec.values[option], ("v", "v"))[-1]]
        for args in (fewest, given):
            assert cmd.make_context(name, list(args), parent=ctx).params == plain_args(name, args)
        assert {p.name for p in options if p.envvar} <= {"teams"}  # read as GOALKEEPER_TEAMS


REAL_VIEWS = [
    ["teams", "{real}", "--teams", "{teams}", "-m", "2026"],
    ["team", "lang", "{real}", "--teams={teams}", "--milestone", "2025h2"],
    ["champions", "{real}", "--teams", "{teams}", "--csv"],
    ["capacity", "{real}", "--teams", "{teams}", "-m", "2026", "--json"],
    ["rfc", "2026", "{real}", "--teams", "{teams}"],
    ["fcp", "2025h2", "{real}", "--teams", "{teams}"],
    ["help-wanted", "{real}", "-m", "2026"],
]
EXAMPLE_VIEWS = [
    ["teams", "{example}"], ["teams", "{example}", "--json"],
    ["champions", "{example}", "--by", "person"], ["champions", "--by=team", "{example}"],
    ["capacity", "{example}"], ["roadmaps", "{example}"], ["roadmaps", "{example}", "--json"],
    ["funding", "{example}"], ["funding", "{example}", "--json"], ["help-wanted", "{example}"],
    ["rfc", "2026", "{example}"], ["fcp", "2026", "{example}"], ["team", "lang", "{example}"],
    ["teams", "{example}", "-m", "1999"],  # a usage problem, said by click
    ["team", "no-such-team", "{example}"],
    ["rfc", "2025h2", "{example}/no-such-folder"],  # goalkeeper's own error
    ["fcp", "--teams={example}/src", "2025h2", "{example}"],  # not team data: exit 2
]


def _fill(args: list[str], request: pytest.FixtureRequest) -> list[str]:
    out = []
    for a in args:
        if "{real}" in a:
            a = a.replace("{real}", str(request.getfixturevalue("rust_goals")))
        if "{teams}" in a:
            a = a.replace("{teams}", str(request.getfixturevalue("rust_teams")))
        out.append(a.replace("{example}", str(EXAMPLE)))
    return out


@pytest.mark.parametrize("args", EXAMPLE_VIEWS + REAL_VIEWS, ids=" ".join)
def test_views_print_what_their_click_commands_print(args: list[str],
                                                     request: pytest.FixtureRequest) -> None:
    args = _fill(args, request)
    assert plain_args(args[0], args[1:]) is not None  # these do take the path without click
    fast, slow = _run([*VIEW, *args]), _run([*CLICK_VIEW, *args])
    assert (fast[0], fast[1], _same_prog(fast[2])) == (slow[0], slow[1], _same_prog(slow[2]))
    assert fast[0] in (0, 2) and (fast[1] or fast[2])


@pytest.mark.parametrize("command", sorted(FAST))
def test_views_do_not_import_click(command: str) -> None:
    args = [command, *(["2026"] if FAST[command].positional[0] == "milestone" else []),
            *(["lang"] if command == "team" else []), str(EXAMPLE)]
    code = ("import atexit, sys; sys.argv = ['goalkeeper', *sys.argv[1:]]\n"
            "atexit.register(lambda: print('click' in sys.modules, file=sys.stderr))\n"
            "from goalkeeper.entry import main\n"
            "main()")
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                       env=_env(), timeout=120)
    assert r.returncode == 0 and r.stdout, r.stderr
    assert r.stderr.splitlines()[-1] == "False"


def test_plain_view_arguments_are_read_as_click_reads_them(tmp_path: Path) -> None:
    assert plain_args("teams", []) == {"root": Path("."), "teams": None, "milestone": None,
                                       "as_json": False, "as_csv": False}
    assert plain_args("champions", ["-m", "2026", f"--teams={tmp_path}", "--json", "x"]) == {
        "root": Path("x"), "teams": tmp_path, "milestone": "2026", "as_json": True,
        "as_csv": False, "layout": "auto"}
    assert plain_args("rfc", ["2026"]) == {"milestone": "2026", "root": Path("."), "teams": None}
    assert plain_args("team", ["lang", "r", "--milestone=2025h2"]) == {
        "team": "lang", "root": Path("r"), "teams": None, "milestone": "2025h2"}


@pytest.mark.parametrize(
    "args",
    [
        ["teams", "--help"], ["teams", "-h"], ["teams", "-m2026"], ["teams", "-m"],
        ["teams", "--milestone="], ["teams", "-m", "a", "-m", "b"], ["teams", "a", "b"],
        ["teams", "--", "x"], ["teams", "--json=1"], ["teams", "--teams", "no-such-folder"],
        ["teams", "{file}"], ["team"], ["rfc"], ["rfc", "2026", "root", "extra"],
        ["champions", "--by", "matrix"], ["champions", "--by", "Team"], ["capacity", "--csv"],
        ["fcp", "2026", "-m", "2026"], ["teams", "-m", "--json"], ["teams", ""],
    ],
)
def test_other_view_arguments_are_left_to_click(args: list[str], tmp_path: Path) -> None:
    f = tmp_path / "a-file.md"
    f.write_text("# x\n", encoding="utf-8")
    assert plain_args(args[0], [a.replace("{file}", str(f)) for a in args[1:]]) is None


def test_the_teams_variable_is_left_to_click_for_views(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    assert plain_args("teams", [str(EXAMPLE)]) is not None
    monkeypatch.setenv("GOALKEEPER_TEAMS", str(tmp_path))
    assert plain_args("teams", [str(EXAMPLE)]) is None


@pytest.mark.parametrize("command", ["rfc", "fcp", "teams"])
def test_an_unknown_milestone_is_reported_by_click(command: str) -> None:
    args = [command, "1999", str(EXAMPLE)] if command != "teams" else [command, str(EXAMPLE), "-m", "1999"]
    code, out, err = _run([*VIEW, *args])
    assert (code, out) == (2, "") and err.startswith(f"Usage: python -m goalkeeper {command} ")
    assert err.endswith("Error: no milestone '1999'; milestones: 2025h2, 2026\n")


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
