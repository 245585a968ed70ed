"""`goalkeeper sync` and `goalkeeper issues` through the CLI, against the local stand-in."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalkeeper.cli.tracking as cli_tracking
from goalkeeper.cli.group import main
from goalkeeper.model import Program

from .conftest import EXAMPLE
from .fakegithub import FakeGitHub
from .fakegithub.seed import TOKEN, client, copy_ferrite, make_tbd, seed_ferrite, snapshot


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as server:
        yield server


@pytest.fixture
def root(gh: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_ferrite(EXAMPLE, tmp_path / "ferrite", gh.url)
    make_tbd(root, "src/2026/fallible-alloc.md")
    seed_ferrite(gh, root)

    def make_client(program: Program) -> cli_tracking.GitHubClient:
        assert program.config.api_url == gh.url  # read from [project] api_url
        return client(gh, on_wait=cli_tracking._tell_wait)  # the CLI's own report of waits

    monkeypatch.setattr(cli_tracking, "make_client", make_client)
    return root


def run(*args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), env=env)
    return r.exit_code, r.stdout, r.stderr


def test_sync_then_sync_again(root: Path) -> None:
    code, out, err = run("sync", str(root))
    assert code == 0, err
    assert re.fullmatch(
        r"full sync of ferrite-lang/goals: 9 issues and 6 comments fetched; 1 request in \d+\.\ds\n", out
    )
    assert err.splitlines() == ["saved 9 of 9 ferrite-lang/goals issues"]
    assert (root / ".goalkeeper-cache" / "goalkeeper.sqlite3").is_file()
    code, out, _ = run("sync", str(root), "--milestone", "2026")
    assert code == 0
    assert re.match(r"sync of ferrite-lang/goals: 1 issue and \d+ comments? fetched; 1 request", out)


def test_a_graphql_rate_limit_is_waited_out_and_said_on_stderr(gh: FakeGitHub, root: Path) -> None:
    gh.inject("graphql-primary", error_type="RATE_LIMIT", remaining="40", match="/graphql")
    gh.inject("graphql-secondary", match="/graphql")
    code, out, err = run("sync", str(root))
    assert code == 0, err
    assert out.startswith("full sync of ferrite-lang/goals: 9 issues")
    assert err.splitlines()[:2] == [
        "waiting 60s: GitHub asked to slow down (a secondary rate limit)",
        "waiting 120s: GitHub asked to slow down (a secondary rate limit)",
    ]


def test_goals_gets_a_progress_column_and_json_record_after_a_sync(root: Path) -> None:
    _, out, _ = run("goals", str(root), "--milestone", "2025h2")
    assert "Progress" not in out
    run("sync", str(root))
    _, out, _ = run("goals", str(root), "--milestone", "2025h2")
    assert "Progress" in out and "0/8" in out
    _, out, _ = run("goals", str(root), "--milestone", "2025h2", "--json")
    records = {r["slug"]: r for r in json.loads(out)}
    smelt = records["smelt-script"]["progress"]
    assert smelt["progress"] == {"Tracked": {"completed": 0, "total": 8}}
    assert smelt["tldr"] == "made progress in 2025h2" and smelt["updates"] == []
    assert records["green-threads"]["progress"] is None


def test_issues_dry_run_prints_the_plan_and_changes_nothing(gh: FakeGitHub, root: Path) -> None:
    before = snapshot(gh)
    doc = (root / "src/2026/fallible-alloc.md").read_text()
    code, out, err = run("issues", "2026", str(root))
    assert code == 0, err
    assert "new issue in ferrite-lang/goals for 2026/fallible-alloc (src/2026/fallible-alloc.md)" in out
    assert ("ferrite-lang/goals#118 for 2026/smelt-script (src/2026/smelt-script.md, "
            "continuing from 2025h2)") in out
    assert out.endswith(
        "ferrite-lang/goals: 1 issue to create, 7 to update, 1 label and 1 milestone to create; "
        "0 up to date\ndry run: nothing was changed; run again with --commit to apply\n"
    )
    assert snapshot(gh) == before and gh.writes() == []
    assert (root / "src/2026/fallible-alloc.md").read_text() == doc


def test_issues_commit_with_write_back_then_nothing_left(gh: FakeGitHub, root: Path) -> None:
    code, out, err = run("issues", "2026", str(root), "--commit", "--write-back")
    assert code == 0, err
    assert "created ferrite-lang/goals#208 for 2026/fallible-alloc" in out
    assert "wrote ferrite-lang/goals#208 into src/2026/fallible-alloc.md" in out
    assert "[ferrite-lang/goals#208]" in (root / "src/2026/fallible-alloc.md").read_text()
    code, out, _ = run("issues", "2026", str(root), "--commit", "--write-back")
    assert code == 0
    assert out == "ferrite-lang/goals: nothing to change for 2026 (8 tracking issues up to date)\n"
    code, out, _ = run("check", str(root))
    assert code == 0


def test_without_write_back_the_new_link_is_a_note(root: Path) -> None:
    code, out, _ = run("issues", "2026", str(root), "--commit")
    assert code == 0
    assert ("note: 2026/fallible-alloc has tracking issue ferrite-lang/goals#208; add it to its "
            "document (or rerun with --write-back)") in out
    assert "TBD" in (root / "src/2026/fallible-alloc.md").read_text()


def test_unknown_milestone_is_a_usage_error(root: Path) -> None:
    code, _, err = run("issues", "2030", str(root))
    assert code == 2 and "no milestone '2030'; milestones: 2025h2, 2026" in err


def test_missing_token_is_one_sentence(gh: FakeGitHub, tmp_path: Path) -> None:
    root = copy_ferrite(EXAMPLE, tmp_path / "ferrite", gh.url)
    code, out, err = run("sync", str(root), env={"GITHUB_TOKEN": None, "GH_TOKEN": None, "PATH": ""})
    assert (code, out) == (2, "")
    assert err == ("goalkeeper: no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or log in with "
                   "`gh auth login --hostname 127.0.0.1`\n")


def test_rejected_token_is_one_sentence(gh: FakeGitHub, tmp_path: Path) -> None:
    root = copy_ferrite(EXAMPLE, tmp_path / "ferrite", gh.url)
    code, _, err = run("issues", "2026", str(root), env={"GITHUB_TOKEN": "wrong-token"})
    assert code == 2
    assert err == ("goalkeeper: GitHub rejected the token from GITHUB_TOKEN (401 Bad credentials); "
                   "use a valid token or run `gh auth login`\n")
    assert "wrong-token" not in err and gh.repos == {} and gh.writes() == []


def test_sync_probe_prints_budgets_scopes_and_deprecations_and_stores_nothing(
    gh: FakeGitHub, root: Path
) -> None:
    code, out, err = run("sync", str(root), "--probe")
    assert code == 0, err
    lines = dict(line.split(": ", 1) for line in out.splitlines())
    assert lines["budget core"].startswith("5000 of 5000 left")
    assert lines["budget graphql"].startswith("5000 of 5000 left")
    assert lines["budget search"].startswith("30 of 30 left")
    assert lines["token scopes"] == "repo, read:org"
    assert lines["tracker"] == "ferrite-lang/goals: 9 issues"
    assert lines["query cost"] == "1 point(s); 4999 left"
    assert lines["deprecations"] == "none reported"
    assert TOKEN not in out + err
    assert not (root / ".goalkeeper-cache" / "goalkeeper.sqlite3").exists()
    assert len(gh.log) == 2


FAULTS = {
    # name: (faults to inject, state change, expected exit code)
    "5xx then fine": ([("status", {"status": 503, "count": 2})], None, 0),
    "dropped connections": ([("drop", {"count": 2})], None, 0),
    "graphql RATE_LIMIT": ([("graphql-primary", {"error_type": "RATE_LIMIT", "remaining": "7"})], None, 0),
    "secondary as 200": ([("graphql-secondary", {})], None, 0),
    "secondary 403": ([("secondary", {"retry_after": 3})], None, 0),
    "heavy pages": ([], lambda gh: setattr(gh, "heavy_limit", 7), 0),
    "too heavy at any size": ([], lambda gh: setattr(gh, "heavy_limit", 3), 2),
    "renamed tracker": ([], lambda gh: gh.rename_repo("ferrite-lang/goals", "ferrite-lang/program"), 0),
    "sso tracker": ([], lambda gh: gh.sso_orgs.add("ferrite-lang"), 2),
    "deleted tracker": ([], lambda gh: gh.delete_repo("ferrite-lang/goals"), 2),
    "always 500": ([("status", {"status": 500, "count": 1000})], None, 2),
    "limit resets too late": ([("graphql-primary", {"seconds": 1_900_000_000 + 7200})], None, 2),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_scripted_faults_end_in_0_and_a_complete_cache_or_2_and_one_sentence(
    gh: FakeGitHub, root: Path, name: str
) -> None:
    faults, change, expected = FAULTS[name]
    for kind, kw in faults:
        gh.inject(kind, match="/graphql", **kw)
    if change is not None:
        change(gh)
    r = CliRunner().invoke(main, ["sync", str(root)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == expected, r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    if expected == 2:
        [line] = r.stderr.splitlines()[-1:]
        assert line.startswith("goalkeeper: ") and line.count(". ") <= 1
        return
    from goalkeeper.season.store import Store

    with Store.open(root / ".goalkeeper-cache" / "goalkeeper.sqlite3") as store:
        stored = {i.number: [c.body for c in i.comments] for i in store.issues("ferrite-lang/goals")}
    repo = gh.repos.get("ferrite-lang/goals") or gh.renamed["ferrite-lang/goals"]
    forge = {n: [c.body for c in i.comments] for n, i in repo.issues.items()}
    assert stored == forge
