"""`goalkeeper issues MILESTONE`: plan each accepted goal's tracking issue, then apply the plan.

Planning is a pure function of the program and the synced store (run a sync first): it never
touches the forge. For every accepted goal of the milestone it decides

- a new issue (title, body from the goal, labels, the forge milestone, then the first comment
  :data:`~goalkeeper.forge.names.LOCK_TEXT`), when the goal names none and no issue in the
  tracker already carries its `Goal document` row (so a rerun after a crash finds what it made);
- for an existing issue: the title when the goal was renamed, missing labels (labels added by
  hand are kept), the forge milestone, and for a goal that continues an earlier milestone's issue
  a continuing-goal comment. The body is written when its `Goal document` row does not name this
  goal (a continuing goal, an issue opened by hand), keeping the earlier body in a collapsed
  block; a body already written for this goal is left alone, since its owners edit it (they tick
  its checkboxes).

Applying creates the milestone and labels first, then works goal by goal. Every step is checked
against the forge's state when planning, so running again after a failure half-way plans only
what is left, and a second run on a finished milestone plans nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..errors import ProgramNotFound
from ..forge.github import GitHubClient
from ..forge.names import (
    LABEL_ROADMAP,
    LABEL_TRACKING,
    LOCK_TEXT,
    continuing_milestone,
    continuing_text,
    forge_milestone,
    label_color,
    team_label,
)
from ..forge.records import RemoteIssue, RemoteLabel
from ..model import Goal, IssueRef, Program, all_roadmaps
from .issue_body import earlier_block, goal_document_key, render_body
from .scope import canonical, tracker_repo
from .store import Store


@dataclass(frozen=True, slots=True)
class IssuePlan:
    """What to do to one goal's tracking issue."""

    goal: str  # milestone/slug
    path: str  # the goal document
    title: str
    issue: IssueRef | None  # None: create it
    labels: tuple[str, ...] = ()  # the labels a new issue gets
    current_title: str = ""
    body: str | None = None  # the new body; None leaves it as it is
    current_body: str = ""
    add_labels: tuple[str, ...] = ()
    milestone: str | None = None  # the forge milestone to set; None leaves it
    current_milestone: str = ""
    reopen: bool = False
    comments: tuple[str, ...] = ()
    continuing_from: str = ""
    write_back: bool = False  # the document does not name the issue yet

    @property
    def create(self) -> bool:
        return self.issue is None

    @property
    def rename(self) -> bool:
        return not self.create and self.title != self.current_title

    @property
    def changes_forge(self) -> bool:
        return (
            self.create or self.rename or self.body is not None or bool(self.add_labels)
            or self.milestone is not None or self.reopen or bool(self.comments)
        )


@dataclass(frozen=True, slots=True)
class Plan:
    repo: str
    milestone: str  # the program milestone
    forge_milestone: str
    milestone_number: int  # 0: the forge milestone must be created
    create_labels: tuple[RemoteLabel, ...] = ()
    issues: tuple[IssuePlan, ...] = ()
    notes: tuple[str, ...] = ()  # goals skipped, and why
    unchanged: int = 0  # goals whose issue needs nothing

    @property
    def create_milestone(self) -> bool:
        return self.milestone_number == 0 and any(
            i.create or i.milestone is not None for i in self.issues
        )

    @property
    def changes_forge(self) -> bool:
        return self.create_milestone or bool(self.create_labels) or any(
            i.changes_forge for i in self.issues
        )

    @property
    def empty(self) -> bool:
        return not self.changes_forge and not any(i.write_back for i in self.issues)


def issue_ref(repo: str, number: int) -> IssueRef:
    owner, _, name = repo.partition("/")
    return IssueRef(owner, name, number)


def desired_labels(goal: Goal) -> tuple[str, ...]:
    labels = [LABEL_TRACKING]
    if all_roadmaps(goal):
        labels.append(LABEL_ROADMAP)
    labels += [team_label(t) for t in goal.teams]
    return tuple(dict.fromkeys(labels))


def accepted_goals(program: Program, milestone: str) -> list[Goal]:
    m = program.milestone(milestone)
    if m is None:
        names = ", ".join(x.name for x in program.milestones) or "none"
        raise ProgramNotFound(f"no milestone {milestone!r} in {program.root}; milestones: {names}")
    return [g for g in m.goals if g.accepted]


def plan_issues(program: Program, milestone: str, store: Store) -> Plan:
    """The plan for `milestone`'s tracking issues, from the program and the synced store."""
    goals = accepted_goals(program, milestone)
    repo = tracker_repo(program)
    fm = forge_milestone(milestone)
    numbers = {m.title: m.number for m in store.milestones(repo)}
    have_labels = {lb.name.lower() for lb in store.labels(repo)}  # GitHub ignores case
    names = [m.name for m in program.milestones]
    here = names.index(milestone)

    # Which milestones' goals name each issue: earlier ones make a goal continuing.
    named_by: dict[tuple[str, int], list[str]] = {}
    for m in program.milestones:
        for g in m.goals:
            if g.tracking_issue is not None and not g.rejected:
                ref = canonical(g.tracking_issue, program, repo)
                named_by.setdefault((ref.repository.lower(), ref.number), []).append(m.name)

    by_document: dict[str, RemoteIssue] = {}
    for issue in store.issues(repo):
        key = goal_document_key(issue.body)
        if key and key not in by_document:
            by_document[key] = issue

    plans: list[IssuePlan] = []
    notes: list[str] = []
    unchanged = 0
    for goal in goals:
        labels = desired_labels(goal)
        if goal.tracking_issue is None:
            found = by_document.get(goal.key)
            if found is None:
                plans.append(IssuePlan(
                    goal=goal.key, path=goal.path, title=goal.title, issue=None, labels=labels,
                    body=render_body(goal, program), milestone=fm, comments=(LOCK_TEXT,),
                    write_back=True,
                ))
                continue
            ref = issue_ref(found.repo, found.number)
            write_back = True
        else:
            ref = canonical(goal.tracking_issue, program, repo)
            write_back = False
        if ref.repository.lower() != repo.lower():
            notes.append(f"{goal.key}: tracking issue {ref} is not in the tracker {repo}; skipped")
            continue
        stored = store.issue(ref.repository, ref.number)
        if stored is None:
            notes.append(f"{goal.key}: {ref} is not in the cache; run `goalkeeper sync`, and check "
                         "that the issue exists")
            continue
        by = named_by.get((ref.repository.lower(), ref.number), [])
        later = [n for n in by if n in names and names.index(n) > here]
        if later:
            notes.append(f"{goal.key}: {ref} continues in {later[-1]}; left as it is")
            continue
        earlier = [n for n in by if n in names and names.index(n) < here]
        continuing = earlier[-1] if earlier else (
            stored.milestone if stored.milestone and stored.milestone != fm else ""
        )
        plan = _plan_existing(goal, program, stored, ref, labels, fm, continuing, write_back)
        if plan.changes_forge or plan.write_back:
            plans.append(plan)
        else:
            unchanged += 1

    wanted = dict.fromkeys(lb for p in plans for lb in (p.labels if p.create else p.add_labels))
    return Plan(
        repo=repo,
        milestone=milestone,
        forge_milestone=fm,
        milestone_number=numbers.get(fm, 0),
        create_labels=tuple(
            RemoteLabel(lb, label_color(lb)) for lb in wanted if lb.lower() not in have_labels
        ),
        issues=tuple(plans),
        notes=tuple(notes),
        unchanged=unchanged,
    )


def _plan_existing(
    goal: Goal, program: Program, issue: RemoteIssue, ref: IssueRef, labels: tuple[str, ...],
    fm: str, continuing: str, write_back: bool,
) -> IssuePlan:
    body: str | None = None
    comments: list[str] = []
    if not issue.comments:
        comments.append(LOCK_TEXT)
    if goal_document_key(issue.body) != goal.key:
        body = render_body(goal, program)
        if issue.body.strip():
            body += "\n" + earlier_block(issue.body, continuing)
    marked = any(continuing_milestone(c.body) == goal.milestone for c in issue.comments)
    if continuing and not marked:
        comments.append(continuing_text(goal.milestone))
    return IssuePlan(
        goal=goal.key,
        path=goal.path,
        title=goal.title,
        issue=ref,
        labels=labels,
        current_title=issue.title,
        body=body,
        current_body=issue.body,
        add_labels=tuple(lb for lb in labels if lb.lower() not in {x.lower() for x in issue.labels}),
        milestone=fm if issue.milestone != fm else None,
        current_milestone=issue.milestone,
        reopen=bool(continuing) and issue.is_closed,
        comments=tuple(comments),
        continuing_from=continuing,
        write_back=write_back,
    )


# -- showing the plan ------------------------------------------------------------------------


def format_plan(plan: Plan) -> Iterator[str]:
    """The plan as a diff: `+` adds, `-` removes, `~` changes; issue bodies as unified diffs."""
    if plan.create_milestone:
        yield f"+ milestone {plan.forge_milestone!r} in {plan.repo}"
    for new_label in plan.create_labels:
        yield f"+ label {new_label.name!r} (#{new_label.color}) in {plan.repo}"
    for p in plan.issues:
        yield ""
        if p.create:
            yield f"new issue in {plan.repo} for {p.goal} ({p.path})"
            yield f"  + title: {p.title}"
            yield f"  + labels: {', '.join(p.labels)}"
            yield f"  + milestone: {plan.forge_milestone}"
            yield "  + body:"
            yield from (f"  +   {line}".rstrip() for line in (p.body or "").splitlines())
        else:
            extra = f", continuing from {p.continuing_from}" if p.continuing_from else ""
            yield f"{p.issue} for {p.goal} ({p.path}{extra})"
            if p.rename:
                yield f"  - title: {p.current_title}"
                yield f"  + title: {p.title}"
            if p.reopen:
                yield "  ~ state: closed -> open"
            if p.milestone is not None:
                yield f"  ~ milestone: {p.current_milestone or '(none)'} -> {p.milestone}"
            for lb in p.add_labels:
                yield f"  + label: {lb}"
            if p.body is not None:
                yield "  ~ body:"
                diff = difflib.unified_diff(
                    p.current_body.splitlines(), p.body.splitlines(),
                    f"{p.issue} (now)", f"{p.issue} (planned)", lineterm="", n=2,
                )
                yield from (f"    {line}".rstrip() for line in diff)
        for c in p.comments:
            first, *rest = c.splitlines() or [""]
            yield f"  + comment: {first}"
            yield from (f"  +          {line}".rstrip() for line in rest)
        if p.write_back:
            what = "the new issue" if p.create else str(p.issue)
            yield f"  ~ {p.path}: `Tracking issue` row -> {what}"
    if plan.notes:
        yield ""
        yield from (f"note: {n}" for n in plan.notes)


def summary(plan: Plan) -> str:
    new = sum(p.create for p in plan.issues)
    upd = sum(not p.create and p.changes_forge for p in plan.issues)
    if not plan.changes_forge:
        docs = sum(p.write_back for p in plan.issues)
        return (f"{plan.repo}: nothing to change for {plan.milestone} "
                f"({plan.unchanged + docs} tracking issues up to date)"
                + (f"; {docs} goal document{'s' * (docs != 1)} to link with --commit --write-back"
                   if docs else ""))
    return (
        f"{plan.repo}: {new} issue{'s' * (new != 1)} to create, {upd} to update, "
        f"{len(plan.create_labels)} label{'s' * (len(plan.create_labels) != 1)} and "
        f"{int(plan.create_milestone)} milestone to create; {plan.unchanged} up to date"
    )


# -- applying it --------------------------------------------------------------------------


@dataclass
class Applied:
    created: dict[str, IssueRef] = field(default_factory=dict)  # goal key → new issue
    issues: dict[str, IssueRef] = field(default_factory=dict)  # goal key → its issue
    steps: int = 0


def apply_plan(
    plan: Plan,
    client: GitHubClient,
    *,
    lock: bool = False,
    on_step: Callable[[str], None] | None = None,
    applied: Applied | None = None,
) -> Applied:
    """Make the forge match the plan. Raises ForgeError on the first failure (rerun to resume).

    Pass `applied` to see what was done before a failure (issues created so far, for example).
    """
    done = applied if applied is not None else Applied()

    def step(message: str) -> None:
        done.steps += 1
        if on_step is not None:
            on_step(message)

    repo = plan.repo
    number = plan.milestone_number
    if plan.create_milestone:
        number = client.create_milestone(repo, plan.forge_milestone)
        step(f"created milestone {plan.forge_milestone!r}")
    for lb in plan.create_labels:
        client.create_label(repo, lb.name, lb.color)
        step(f"created label {lb.name!r}")
    for p in plan.issues:
        if p.issue is None:
            issue = client.create_issue(repo, title=p.title, body=p.body or "", labels=p.labels,
                                        milestone=number or None)
            ref = issue_ref(repo, issue.number)
            done.created[p.goal] = ref
            step(f"created {ref} for {p.goal}")
        else:
            ref = p.issue
            fields: dict[str, object] = {}
            if p.rename:
                fields["title"] = p.title
            if p.body is not None:
                fields["body"] = p.body
            if p.milestone is not None and number:
                fields["milestone"] = number
            if p.reopen:
                fields["state"] = "open"
            if fields:
                client.update_issue(repo, ref.number, **fields)
                step(f"updated {ref} ({', '.join(sorted(fields))})")
            if p.add_labels:
                client.add_labels(repo, ref.number, p.add_labels)
                step(f"labelled {ref} {', '.join(p.add_labels)}")
        done.issues[p.goal] = ref
        for c in p.comments:
            client.add_comment(repo, ref.number, c)
            step(f"commented on {ref}: {c.splitlines()[0][:60]}")
        if lock and p.create:
            client.lock_issue(repo, ref.number)
            step(f"locked {ref}")
    return done
