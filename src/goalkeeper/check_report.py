"""What `goalkeeper check` prints: the diagnostics in one of its formats and, as text, the
acceptance notes and a summary line. Kept apart from the command so that `goalkeeper check`
prints the same lines whether click runs it (goalkeeper.cli.program) or not (goalkeeper.entry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .acceptance import acceptance_notes
from .diagnostics import format_github, format_json, format_text

if TYPE_CHECKING:
    from .model import Program

#: `--format`: text for people, json for scripts, github for workflow annotations.
FORMATS = ("text", "json", "github")


def check_lines(program: Program, fmt: str, quiet: bool) -> list[str]:
    """The lines `check` prints (each without its newline); `quiet` leaves warnings out."""
    shown = [d for d in program.diagnostics if not (quiet and d.severity == "warning")]
    if fmt == "json":
        return [format_json(shown)]
    if fmt == "github":
        return [format_github(d) for d in shown]
    out = [format_text(d) for d in shown]
    if not quiet:
        out.extend(acceptance_notes(program))
    goals = len(program.goals)
    ms = len(program.milestones)
    out.append(
        f"checked {goals} goal{'s' * (goals != 1)} and {len(program.roadmaps)} "
        f"roadmap{'s' * (len(program.roadmaps) != 1)} in "
        f"{ms} milestone{'s' * (ms != 1)}: {len(program.errors)} error"
        f"{'s' * (len(program.errors) != 1)}, {len(program.warnings)} warning"
        f"{'s' * (len(program.warnings) != 1)}"
    )
    return out
