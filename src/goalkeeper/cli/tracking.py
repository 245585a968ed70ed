"""Commands that talk to the forge: `issues` (tracking issues) and `sync` (issues and updates)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from ..errors import ForgeError
from ..forge.auth import resolve_token
from ..forge.github import GitHubClient
from ..model import Program
from ..season.store import Store
from ..season.sync import SyncEvent, SyncReport, sync
from ..season.tracking import Applied, IssuePlan, apply_plan, format_plan, plan_issues, summary
from ..season.writeback import write_back
from . import console, load_program
from .group import ROOT_ARG, main


def make_client(program: Program) -> GitHubClient:
    """The forge client for a program (tests replace this to inject sleep and transport)."""
    api = program.config.api_url
    return GitHubClient(resolve_token(api_url=api), base_url=api, on_wait=_tell_wait)


def _tell_wait(seconds: float, why: str) -> None:
    if seconds >= 5:  # short backoffs and write spacing are not news
        click.echo(f"waiting {seconds:.0f}s: {why}", err=True)


def _check_milestone(program: Program, milestone: str | None) -> None:
    if milestone and program.milestone(milestone) is None:
        names = ", ".join(m.name for m in program.milestones) or "none"
        raise click.UsageError(f"no milestone {milestone!r}; milestones: {names}")


@contextmanager
def _events() -> Iterator[Callable[[SyncEvent], None]]:
    """A progress bar on a terminal; plain lines on stderr otherwise."""
    out = console()
    if not out.is_terminal:
        yield lambda e: click.echo(e.message, err=True)
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=out, transient=True,
    ) as bar:
        task = bar.add_task("sync", total=None)
        yield lambda e: bar.update(task, completed=e.done, total=e.total, description=e.message)


def _report(r: SyncReport) -> str:
    kind = "full sync" if r.full else "sync"
    text = (
        f"{kind} of {r.repo}: {r.issues} issue{'s' * (r.issues != 1)} and {r.comments} "
        f"comment{'s' * (r.comments != 1)} fetched"
    )
    if r.deleted:
        text += f", {r.deleted} deleted comment{'s' * (r.deleted != 1)} removed"
    if r.linked:
        text += f", {r.linked} linked issue{'s' * (r.linked != 1)} and searches refreshed"
    if r.dropped:
        text += f", {r.dropped} deleted or transferred issue{'s' * (r.dropped != 1)} forgotten"
    return text + f"; {r.requests} request{'s' * (r.requests != 1)} in {r.seconds:.1f}s"


@main.command("sync")
@ROOT_ARG
@click.option("--milestone", "-m",
              help="Only the tracking issues (and links) of this milestone's goals (default: all).")
@click.option("--full", is_flag=True,
              help="Fetch every issue again, not only those changed since the last sync.")
@click.option("--probe", is_flag=True,
              help="Make one cheap live call and print what GitHub says (budgets, token scopes, "
                   "deprecations); store nothing.")
@click.option("--import", "import_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Load tracking issues from a JSON file instead of the forge (no token needed).")
def sync_command(
    root: Path, milestone: str | None, full: bool, probe: bool, import_file: Path | None
) -> None:
    """Fetch tracking issues and their comments into the cache (ROOT/.goalkeeper-cache).

    The first sync fetches every issue of the tracker repository; later ones fetch only the
    issues updated since (one request when nothing changed). Needs a token in GITHUB_TOKEN or
    GH_TOKEN, or a `gh auth login`. With --import, the issues come from a JSON file (the shape
    is in goalkeeper.forge.dump), e.g. the bundled example's month of updates. With --probe, it
    only asks GitHub what a first real run needs to know (docs/github.md).
    """
    program = load_program(root, None)
    _check_milestone(program, milestone)
    if probe:
        from ..forge.probe import probe as run_probe
        from ..season.scope import tracker_repo

        with make_client(program) as client:
            for what, said in run_probe(client, tracker_repo(program)):
                click.echo(f"{what}: {said}")
        return
    if import_file is not None:
        from ..forge.dump import read_dump
        from ..season.proposals import read_pull_dump, save_pulls

        issues = read_dump(import_file)
        pulls = read_pull_dump(import_file)
        with Store.open(Store.default_path(program.root)) as store:
            store.save_batch(issues)
            if pulls:
                save_pulls(store, pulls)
        comments = sum(len(i.comments) for i in issues)
        click.echo(f"imported {len(issues)} issues and {comments} comments from {import_file}"
                   + (f", and {len(pulls)} pull requests" if pulls else ""))
        return
    with (
        Store.open(Store.default_path(program.root)) as store,
        make_client(program) as client,
        _events() as on_event,
    ):
        report = sync(program, client, store, milestone=milestone, full=full, on_event=on_event)
        from ..season.proposals import sync_proposals, sync_watched

        changed = sync_proposals(program, client, store, report.repo, full=full)
        watched = sync_watched(program, client, store)
    click.echo(_report(report))
    if changed:
        click.echo(f"pull requests of {report.repo}: {changed} changed since the last sync")
    if watched:
        click.echo(f"watched issues and pull requests of [[report.initiatives]]: {watched} read")
    _warn(report)


def _warn(report: SyncReport) -> None:
    """What the sync could not read or found moved, each said once, on stderr."""
    for ref in report.missing:
        click.echo(f"warning: tracking issue {ref} does not exist (or the token cannot see it)", err=True)
    for what, why in report.unavailable:
        click.echo(f"warning: {what} is unavailable: {why}", err=True)
    for old, new in report.renamed:
        click.echo(f"note: GitHub now calls {old} {new}; the documents name the old repository",
                   err=True)


STYLES = {"+": "green", "-": "red", "~": "yellow", "@": "cyan"}


def _style(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith(("+++", "---")):
        return "bold"
    return STYLES.get(stripped[:1], "bold" if line and not line.startswith(" ") else "")


@main.command("issues")
@click.argument("milestone")
@ROOT_ARG
@click.option("--commit", is_flag=True, help="Apply the plan (without it: print it and change nothing).")
@click.option("--write-back", "write_back_", is_flag=True,
              help="With --commit: put new issue links into the goals' `Tracking issue` rows.")
@click.option("--lock", is_flag=True, help="With --commit: lock new issues to collaborators.")
def issues_command(root: Path, milestone: str, commit: bool, write_back_: bool, lock: bool) -> None:
    """Plan (and with --commit, create or update) MILESTONE's tracking issues.

    For each accepted goal: title, body from the goal document, labels (C-tracking-issue,
    Roadmap Goal, T-<team>), the forge milestone, a first comment; continuing goals reuse their
    issue. It syncs the tracker first (a GitHub token is needed; the cache is updated). Without
    --commit it prints the plan as a diff and changes nothing on the forge or in the documents.
    Rerunning is safe: it does only what is left.
    """
    program = load_program(root, None)
    _check_milestone(program, milestone)
    out = console()
    with Store.open(Store.default_path(program.root)) as store, make_client(program) as client:
        with _events() as on_event:
            _warn(sync(program, client, store, on_event=on_event))
        plan = plan_issues(program, milestone, store)
        for line in format_plan(plan):
            out.print(Text(line, style=_style(line)), soft_wrap=True)
        click.echo(summary(plan))
        if not commit:
            if plan.changes_forge:
                click.echo("dry run: nothing was changed; run again with --commit to apply")
            return
        applied = Applied()
        try:
            apply_plan(plan, client, lock=lock, on_step=lambda m: click.echo(m), applied=applied)
        except ForgeError:
            _write_back(program, plan.issues, applied, write_back_)
            raise
        _write_back(program, plan.issues, applied, write_back_)
        with _events() as on_event:
            sync(program, client, store, on_event=on_event)


def _write_back(
    program: Program, plans: tuple[IssuePlan, ...], applied: Applied, enabled: bool
) -> None:
    wanted = {p.goal for p in plans if p.write_back}
    links = {k: v for k, v in applied.issues.items() if k in wanted}
    if not links:
        return
    if not enabled:
        for goal, ref in sorted(links.items()):
            click.echo(f"note: {goal} has tracking issue {ref}; add it to its document "
                       "(or rerun with --write-back)")
        return
    for wb in write_back(program, links):
        if wb.problem:
            click.echo(f"warning: {wb.path}: {wb.problem}", err=True)
        elif wb.written:
            click.echo(f"wrote {wb.ref} into {wb.path}")
