"""The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml).

Both are run here as their hosts would run them, without the network: the action's steps are
read from action.yml and its check step's script is run by bash; the hook's manifest is
validated with pre-commit's own schema and run by `pre-commit run` in a scratch git repository
(with `language: system`, since installing goalkeeper's dependencies into pre-commit's own
environment would need the network).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import BROKEN, EXAMPLE

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GOALKEEPER_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env | extra


def _action() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_the_action_is_a_composite_that_installs_and_checks() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    install, check = steps[1], steps[2]
    assert "pip install" in install["run"]
    assert install["env"]["GOALKEEPER_SOURCE"] == "${{ github.action_path }}"
    assert "goalkeeper check --format github" in check["run"]
    for step in steps[1:]:  # inputs reach scripts through the environment, never pasted into them
        assert "${{" not in step["run"] and step["shell"] == "bash"
    assert set(action["inputs"]) == {"path", "teams", "python-version"}


def _run_check_step(path: Path, teams: str = "") -> subprocess.CompletedProcess[str]:
    script = _action()["runs"]["steps"][2]["run"]
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False,
                          env=_env(GOALKEEPER_PATH=str(path), GOALKEEPER_TEAMS=teams), timeout=120)


def test_the_actions_check_step_annotates_errors_and_fails(tmp_path: Path) -> None:
    broken = shutil.copytree(BROKEN, tmp_path / "broken")
    done = _run_check_step(broken)
    assert done.returncode == 1, done.stderr
    assert any(line.startswith("::error file=") for line in done.stdout.splitlines())


def test_the_actions_check_step_passes_a_clean_program(tmp_path: Path) -> None:
    program = shutil.copytree(EXAMPLE, tmp_path / "ferrite",
                              ignore=shutil.ignore_patterns(".goalkeeper-cache", "site"))
    done = _run_check_step(program)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "::error" not in done.stdout


def test_the_hook_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    [hook] = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "goalkeeper-check" and hook["entry"] == "goalkeeper check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_hook_run_by_pre_commit_fails_on_a_broken_program_and_passes_a_fixed_one(
    tmp_path: Path,
) -> None:
    from pre_commit.clientlib import load_manifest

    [hook] = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    repo = shutil.copytree(BROKEN, tmp_path / "goals")
    local = {k: hook[k] for k in ("id", "name", "entry", "pass_filenames", "files", "types")}
    config = {"repos": [{"repo": "local", "hooks": [local | {"language": "system"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = _env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_CONFIG_GLOBAL=os.devnull)

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
                       cwd=repo, check=True, capture_output=True, env=env)

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / "pre-commit"), "run", "--all-files"], cwd=repo, text=True,
                              capture_output=True, check=False, env=env, timeout=120)

    git("init", "-q")
    git("add", "-A")
    failed = pre_commit()
    assert failed.returncode == 1 and "goalkeeper check" in failed.stdout and "Failed" in failed.stdout
    shutil.rmtree(repo / "src")
    shutil.copytree(EXAMPLE / "src", repo / "src")
    shutil.copy(EXAMPLE / "goalkeeper.toml", repo / "goalkeeper.toml")
    git("add", "-A")
    passed = pre_commit()
    assert passed.returncode == 0, passed.stdout
    assert "Passed" in passed.stdout
