"""The tracker's conventions, in one place: labels, milestone names and the tool's own comments.

These match what the Rust program's tooling (`cargo rpg issues`) writes, so a program can switch
tools without relabelling anything. One difference on purpose: that tool looks milestones up as
`<milestone>-goals` but creates them as `<milestone>`; here :func:`forge_milestone` is the only
place a forge milestone is named, for lookups and for creation alike.
"""

from __future__ import annotations

LABEL_TRACKING = "C-tracking-issue"
LABEL_ROADMAP = "Roadmap Goal"
#: Earlier names of the roadmap label; issues carrying them still count as roadmap goals.
LEGACY_ROADMAP_LABELS = ("Flagship Goal",)
TEAM_LABEL_PREFIX = "T-"

LABEL_COLORS = {LABEL_TRACKING: "f5f1fd", LABEL_ROADMAP: "5319E7"}
TEAM_LABEL_COLOR = "bfd4f2"

#: The first comment on a new tracking issue (exactly the Rust tool's text).
LOCK_TEXT = (
    "This issue is intended for status updates only.\n\n"
    "For general questions or comments, please contact the owner(s) directly."
)
#: Comments that start with this mark where a continuing goal's new period begins.
CONTINUING_PREFIX = (
    "This is a continuing project goal, and the updates below this comment will be for the new period"
)
#: Reminder comments posted by `goalkeeper attention --commit` start with this marker.
REMINDER_PREFIX = "<!-- goalkeeper-reminder "
#: The summary line of the collapsed block that keeps a continuing goal's earlier body.
EARLIER_BODY_SUMMARY = "Earlier body of this issue"


def forge_milestone(milestone: str) -> str:
    """The forge milestone that holds a program milestone's tracking issues (`2026` → `2026`)."""
    return milestone


def team_label(team: str) -> str:
    return f"{TEAM_LABEL_PREFIX}{team}"


def label_color(label: str) -> str:
    if label.startswith(TEAM_LABEL_PREFIX):
        return TEAM_LABEL_COLOR
    return LABEL_COLORS.get(label, "ededed")


def is_roadmap_label(label: str) -> bool:
    """Label names compare without case, as GitHub compares them."""
    return label.lower() in {x.lower() for x in (LABEL_ROADMAP, *LEGACY_ROADMAP_LABELS)}


def continuing_text(milestone: str) -> str:
    """The comment posted on a reused tracking issue when its goal continues into `milestone`."""
    return f"{CONTINUING_PREFIX} {milestone}."


def continuing_milestone(body: str) -> str | None:
    """The milestone named by a continuing-goal comment, or None if `body` is not one."""
    if not body.startswith(CONTINUING_PREFIX):
        return None
    rest = body[len(CONTINUING_PREFIX):].strip().rstrip(".").strip()
    return rest.split()[0] if rest else ""


def is_tool_comment(body: str) -> bool:
    """Comments the tool writes itself; they are never progress updates."""
    return (body.strip() == LOCK_TEXT or body.startswith(CONTINUING_PREFIX)
            or body.startswith(REMINDER_PREFIX))
