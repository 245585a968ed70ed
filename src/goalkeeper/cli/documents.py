"""Commands that print or write program documents: rfc, fcp, cfp, funding, help-wanted.

Each command imports what it uses when it runs (rich only to print a table). Written without
click, as `views.py` is: their click commands are in `view_commands.py`.
"""

from __future__ import annotations

from pathlib import Path

from . import UsageProblem, console, echo, load_program, md_cell, setup_milestone


def rfc_cmd(milestone: str, root: Path, teams: Path | None) -> None:
    """Print the RFC text for MILESTONE: its README with directives expanded, links absolute."""
    from ..render.rfc import rfc_notes, rfc_text

    program, m = setup_milestone(root, teams, milestone)
    if not (program.root / m.path / "README.md").is_file():
        raise UsageProblem(f"{m.path}/README.md not found: the RFC text is the milestone README")
    text = rfc_text(program, m)
    echo(text, nl=False)
    for line in rfc_notes(program, text):  # people shown by login, labels left undefined
        echo(line, err=True)


def fcp_cmd(milestone: str, root: Path, teams: Path | None) -> None:
    """Print the comment that starts the final comment period: per team asked, its leads
    (required, @-mentioned) and other members (optional, not pinged)."""
    from ..render.fcp import fcp_comment

    program, m = setup_milestone(root, teams, milestone)
    fcp = fcp_comment(program, m)
    echo(fcp.text, nl=False)
    for hint in fcp.hints:
        echo(f"hint: {hint}", err=True)


def cfp_cmd(milestone: str, root: Path, dry_run: bool, force: bool) -> None:
    """Open a proposal period: create MILESTONE's folder, pages and goal template, and add it to
    SUMMARY.md and the top README. Never overwrites a page that differs without --force."""
    from ..scaffold import ScaffoldError, open_milestone

    program = load_program(root, None)
    try:
        actions = open_milestone(program.root, program.config.source, program.config.project_name,
                                 milestone, dry_run=dry_run, force=force)
    except ScaffoldError as e:
        raise UsageProblem(str(e)) from e
    for path, action in actions:
        verb = {"create": "would create", "update": "would update"}.get(action, action) if dry_run \
            else {"create": "created", "update": "updated"}.get(action, action)
        echo(f"{verb:>13} {path}")


def funding_cmd(root: Path, teams: Path | None, milestone: str | None, as_json: bool) -> None:
    """Goals seeking funding, by application area and roadmap, with costs and sponsors."""
    from ..views.needs import funding, unfunded_total

    program, m = setup_milestone(root, teams, milestone)
    needs = funding(program, m)
    if as_json:
        import json

        echo(json.dumps([{
            "slug": n.goal.slug, "title": n.goal.title, "status": n.status, "total": n.total,
            "seeking_funding": n.status != "Funded",
            "known_dollars": str(n.dollars), "sponsors": n.sponsors, "contact": n.contact,
            "roadmaps": list(n.roadmaps), "application_areas": list(n.areas),
            "rows": [{"purpose": f.purpose, "cost": f.cost, "funded": f.funded, "sponsors": f.sponsors}
                     for f in n.goal.funding],
        } for n in needs], indent=2, ensure_ascii=False))
        return
    from .tables import Printer, Table

    out = Printer(console)
    table = Table(title=f"Goals seeking funding, {m.name}")
    for col in ("Area / roadmap", "Goal", "Status", "Cost", "Sponsors", "Contact"):
        table.add_column(col)
    seeking = [n for n in needs if n.status != "Funded"]
    for n in sorted(seeking, key=lambda n: (n.areas or ("~",), n.roadmaps or ("~",), n.goal.title.lower())):
        where = " / ".join(filter(None, [", ".join(n.areas), ", ".join(n.roadmaps)])) or "(no roadmap)"
        table.add_row(md_cell(where), md_cell(n.goal.title), n.status, md_cell(n.total),
                      md_cell(n.sponsors, urls=False), md_cell(n.contact, urls=False))
    out.table(table)
    out.text(f"{len(seeking)} goal{'s' * (len(seeking) != 1)} seeking funding; known amounts not "
             f"yet funded: ${unfunded_total(needs):,.0f} (plus TBD/Ask rows)")
    funded = sorted((n for n in needs if n.status == "Funded"), key=lambda n: n.goal.title.lower())
    if funded:
        out.text(f"Fully funded ({len(funded)}): " + "; ".join(
            f"{md_cell(n.goal.title)[0]} ({md_cell(n.sponsors, urls=False)[0] or 'no sponsor named'})"
            for n in funded), markup=False)


def help_wanted_cmd(root: Path, teams: Path | None, milestone: str | None, as_json: bool) -> None:
    """Goals and tasks looking for contributors."""
    from ..views.needs import help_wanted

    program, m = setup_milestone(root, teams, milestone)
    items = help_wanted(program, m)
    if as_json:
        import json

        echo(json.dumps([{"slug": i.goal.slug, "goal": i.goal.title, "task": i.task,
                                "experience": i.experience, "time": i.time, "source": i.source,
                                "point_of_contact": i.goal.point_of_contact} for i in items],
                              indent=2, ensure_ascii=False))
        return
    from .tables import Printer, Table

    out = Printer(console)
    table = Table(title=f"Help wanted, {m.name}")
    for col in ("Goal", "Task", "Experience", "Time", "Contact"):
        table.add_column(col)
    for i in items:
        table.add_row(md_cell(i.goal.title), md_cell(i.task), md_cell(i.experience), md_cell(i.time),
                      md_cell(f"@{i.goal.point_of_contact}" if i.goal.point_of_contact else ""))
    out.table(table)
