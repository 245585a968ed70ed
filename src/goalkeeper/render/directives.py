"""Expansion of `(((DIRECTIVE)))` markers in milestone pages.

Compatible with the Rust program's `mdbook-goals` preprocessor (same directives, columns and
filters; see docs/directives.md), with two deliberate differences: every occurrence of a
directive is replaced (the reference replaces some only once per page), and every ordering is
deterministic (the reference's team-ask rows follow the file system's directory order).

A directive sees the goals and roadmaps of the milestone its page sits in. Markers inside code
fences and inline code spans are left alone.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..constants import Format
from ..model import Goal, Milestone, Program, Roadmap, all_roadmaps
from ..sources import legacy, markdown
from ..sources.documents import DIRECTIVE_RE, is_known_directive
from ..sources.metadata import first_sentence
from . import legacy_tables
from .tables import md_table_raw

FOOTNOTE_LIMIT = 22  # notes longer than this become footnotes, as in the reference tool


@dataclass(frozen=True)
class Context:
    program: Program
    milestone: Milestone | None
    page_path: str  # relative to the program root
    absolute_links: bool

    @property
    def page_dir(self) -> str:
        return posixpath.dirname(self.page_path)

    def href(self, path: str, anchor: str = "") -> str:
        """Link to a document (by its source path) from this page."""
        if self.absolute_links:
            base = self.program.config.site_url or ""
            src = self.program.config.source.strip("/") + "/"
            rel = path[len(src):] if path.startswith(src) else path
            url = (base.rstrip("/") + "/" if base else "") + rel[:-3] + ".html"
        else:
            url = posixpath.relpath(path, self.page_dir or ".")
            if not url.startswith("."):
                url = "./" + url
        return url + (f"#{anchor}" if anchor else "")

    def goal_link(self, g: Goal, *, short: bool = False, anchor: str = "") -> str:
        return f"[{g.short_title if short else g.title}]({self.href(g.path, anchor)})"

    def roadmap_link(self, r: Roadmap) -> str:
        return f"[{r.title}]({self.href(r.path)})"

    def goals(self) -> list[Goal]:
        return list(self.milestone.goals) if self.milestone else []

    @property
    def current_format(self) -> bool:
        """Whether the milestone is in the 2026 format. Its tables follow the reference tool as
        it is now (rows by lowercased title, one champion row per goal); older milestones keep
        the layout their published RFCs have (rows by file, champions' goals in one cell)."""
        return any(g.format is Format.TEAM_ASKS for g in self.goals())

    @property
    def legacy_format(self) -> bool:
        """Whether the milestone predates champion rows (`| [team] champion | @x |`, 2025h2):
        its RFC came from the reference tool of 2025h1, whose goal tables differ (see
        `goal_table`; 2024's own layouts are in :mod:`.legacy_tables`)."""
        return self.era == "2025"

    @property
    def era(self) -> str:
        """"2024" or "2025" for milestones whose published pages had older table layouts."""
        return legacy_tables.era(self.goals())

    def order(self, goals: Iterable[Goal]) -> list[Goal]:
        if self.era:  # the reference tool of 2024 and 2025h1 sorted by title, case-sensitively
            return sorted(goals, key=lambda g: (g.title, g.path))
        if self.current_format:
            return sorted(goals, key=lambda g: (g.title.lower(), g.path))
        return sorted(goals, key=lambda g: g.path)

    def live(self) -> list[Goal]:
        """Non-rejected goals, in the order of the milestone's era (see `current_format`)."""
        return self.order(g for g in self.goals() if not g.rejected)


def expand(program: Program, page_path: str, text: str, *, absolute_links: bool = False) -> str:
    """Return `text` (the markdown of the page at `page_path`, relative to the program root)
    with every directive replaced by generated markdown. Links to goals point at the `.md`
    source files (relative), or with `absolute_links` at the published site (`site_url`)."""
    ctx = Context(program, _milestone_of(program, page_path), page_path, absolute_links)
    if "<!--" in text:  # directives written as HTML comments, before August 2025
        text = legacy.modernize(text, markdown.parse(text), is_known_directive)
    if "(((" not in text:
        return text
    doc = markdown.parse(text)
    lines = text.split("\n")
    out: list[str] = []
    for idx, line in enumerate(lines, start=1):
        if "(((" not in line or idx in doc.code_lines:
            out.append(line)
            continue
        stripped = line.strip()
        rows = ROW_DIRECTIVE_RE.match(stripped)
        if rows:
            out.append(_roadmap_rows(ctx, rows[1].strip()))
            continue
        out.append(_expand_line(ctx, line))
    return "\n".join(out)


ROW_DIRECTIVE_RE = re.compile(r"^\|\s*\(\(\(ROADMAP ROWS:\s*(.+?)\)\)\)\s*\|(?:\s*\|)*$")


def _milestone_of(program: Program, page_path: str) -> Milestone | None:
    parts = page_path.split("/")
    for p in reversed(parts[:-1]):
        m = program.milestone(p)
        if m is not None:
            return m
    return None


def _expand_line(ctx: Context, line: str) -> str:
    def replace(m: re.Match[str]) -> str:
        if line.count("`", 0, m.start()) % 2:
            return m[0]  # inside an inline code span
        name = m[1].strip()
        return render_directive(ctx, name) if known(name) else m[0]

    return DIRECTIVE_RE.sub(replace, line)


# --------------------------------------------------------------------------- dispatch


def known(name: str) -> bool:
    return _lookup(name) is not None


def render_directive(ctx: Context, name: str) -> str:
    found = _lookup(name)
    if found is None:
        return f"((({name})))"
    fn, arg = found
    return fn(ctx, arg).rstrip("\n")


Handler = Callable[[Context, str], str]


def _lookup(name: str) -> tuple[Handler, str] | None:
    for pattern, fn in (*_HANDLERS, *_LEGACY_HANDLERS):
        m = pattern.fullmatch(name)
        if m:
            return fn, (m.group(1) or "").strip() if m.groups() else ""
    return None


# --------------------------------------------------------------------------- goal tables


#: Statuses that meant "invited" (no owner yet) in the legacy format, and those that count as
#: still proposed there (the reference of 2025h1 left `Not accepted` goals in progress mode).
LEGACY_INVITED = ("invited", "proposed for mentorship")
LEGACY_PROPOSED = ("proposed", "proposed for flagship", "proposed for mentorship")


def help_wanted_poc(g: Goal, legacy: bool = False) -> str:
    """The point-of-contact cell: the Help Wanted badge for a goal looking for people (a
    `## Help wanted` section or `Needs | Contributor` since 2025h2, an invited status always),
    else `@poc`."""
    if legacy:
        wanted = g.status.strip().lower() in LEGACY_INVITED
        return "![Help Wanted][]" if wanted or not g.point_of_contact else \
            ", ".join(f"@{p}" for p in g.points_of_contact)
    wanted = g.is_help_wanted or g.status.strip().lower() in LEGACY_INVITED
    return "![Help Wanted][]" if wanted or not g.point_of_contact else f"@{g.point_of_contact}"


def teams_and_champions(g: Goal) -> str:
    parts = []
    for team in sorted(set(g.teams)):
        c = g.champion_for(team)
        parts.append(f"[{team}] ({c.value})" if c and c.logins else f"[{team}]")
    return ", ".join(parts)


def owners_and_champions(g: Goal) -> str:
    """Task owners not already the point of contact, then `@c ([team])` per champion."""
    poc = {p.lower() for p in g.points_of_contact}
    owners = [o for o in g.task_owners if o.lstrip("@").lower() not in poc]
    champs = [f"{c.value} ([{c.team}])" for c in sorted(g.champions, key=lambda c: c.team)
              if c.logins]
    return ", ".join([*owners, *champs])


def goal_table(ctx: Context, goals: list[Goal]) -> str:
    """The reference's goal table, in the layout of the milestone's era: progress mode once no
    goal is still proposed, else champion mode, whose third column is "Task Owners and
    Champions" (2026 format), "Team(s) and Champion(s)" (2025h2) or "Team" (before; a
    `Not accepted` goal did not switch those tables to champion mode)."""
    if ctx.era == "2024":
        return legacy_tables.goal_table_2024(ctx, goals)
    if not goals:
        return "*No goals in this category.*\n"
    legacy = ctx.legacy_format
    statuses = {g.status.strip().lower() for g in goals}
    if legacy:
        champion_mode = bool(statuses & set(LEGACY_PROPOSED))
    else:
        champion_mode = bool(statuses & {"proposed", "not accepted", "invited",
                                         "proposed for mentorship", "proposed for flagship"})
    if champion_mode and ctx.current_format:
        rows = [[ctx.goal_link(g), help_wanted_poc(g), owners_and_champions(g)] for g in goals]
        return md_table_raw(["Goal", "Point of contact", "Task Owners and Champions"], rows)
    if champion_mode and legacy:
        rows = [[ctx.goal_link(g), help_wanted_poc(g, True),
                 ", ".join(f"[{t}]" for t in sorted(set(g.teams)))] for g in goals]
        return md_table_raw(["Goal", "Point of contact", "Team"], rows)
    if champion_mode:
        rows = [[ctx.goal_link(g), help_wanted_poc(g), teams_and_champions(g)] for g in goals]
        return md_table_raw(["Goal", "Point of contact", "Team(s) and Champion(s)"], rows)
    rows = []
    for g in goals:
        t = g.tracking_issue
        if t is None:
            issue = "(no tracking issue)"
        elif legacy:  # the reference's placeholder that its script filled with a progress bar
            where = f"{ctx.milestone.name if ctx.milestone else ''}:{t.owner}:{t.repo}:{t.number}"
            issue = (f"<a href='{t.url}' alt='Tracking issue'><div class='tracking-issue-progress' "
                     f"id='{where}'></div></a>")
        else:
            issue = f"[{t}]({t.url})"
        rows.append([ctx.goal_link(g), help_wanted_poc(g, legacy), issue])
    return md_table_raw(["Goal", "Point of contact", "Progress"], rows)


def _goals(ctx: Context, _arg: str) -> str:
    return goal_table(ctx, ctx.live())


def _roadmap_goals(ctx: Context, theme: str) -> str:
    if theme:
        want = theme.strip().lower()
        goals = [g for g in ctx.live() if want in {t.strip().lower() for t in all_roadmaps(g)}]
    else:
        goals = [g for g in ctx.live() if all_roadmaps(g)]
    return goal_table(ctx, goals)


def _other_goals(ctx: Context, _arg: str) -> str:
    return goal_table(ctx, [g for g in ctx.live() if not all_roadmaps(g)])


def _not_accepted(ctx: Context, _arg: str) -> str:
    return goal_table(ctx, ctx.order(g for g in ctx.goals() if g.rejected))


def _count_goals(ctx: Context, _arg: str) -> str:
    return str(len(ctx.live()))


def _count_roadmap_goals(ctx: Context, _arg: str) -> str:
    return str(sum(1 for g in ctx.live() if all_roadmaps(g)))


def _sized(level: str) -> Handler:
    def render(ctx: Context, _arg: str) -> str:
        config = ctx.program.config
        order = [lvl.lower() for lvl in config.support_levels]
        rank = {lvl: i for i, lvl in enumerate(order)}
        goals = sorted(
            (g for g in ctx.live() if g.size(config.support_levels).lower() == level.lower()),
            key=lambda g: (g.title.lower(), g.path),
        )
        if not goals:
            return "*No goals in this category.*\n"
        rows: list[list[str]] = []
        needs = {lvl.lower() for lvl in config.champion_levels}
        for g in goals:
            asks = sorted({(a.team, g.level_for(a.team, config.support_levels)) for a in g.asks},
                          # by the `[team][]` text, as the reference: `[libs-api]` before `[libs]`
                          key=lambda ta: (-rank.get(ta[1].lower(), -1), f"[{ta[0]}][]"))
            for i, (team, lvl) in enumerate(asks):
                c = g.champion_for(team)
                if c and c.logins:
                    champ = c.value
                elif lvl.lower() in needs:
                    champ = "![TBD][]"
                else:
                    champ = "*n/a*"
                team_cell = f"**[{team}][]**" if lvl.lower() == "large" else f"[{team}][]"
                rows.append([ctx.goal_link(g, short=True) if i == 0 else "",
                             help_wanted_poc(g) if i == 0 else "", team_cell, champ])
        return md_table_raw(["Goal", "PoC", "Team", "Champion"], rows)

    return render


# --------------------------------------------------------------------------- champions, asks


def _champions(ctx: Context, _arg: str) -> str:
    """One row per champion: count and the goals, in the published RFC's layout."""
    by: dict[str, list[Goal]] = defaultdict(list)
    for g in ctx.goals():  # the reference lists champions of every goal, whatever its status
        for c in g.champions:
            for login in c.logins:
                if g not in by[f"@{login}"]:
                    by[f"@{login}"].append(g)
    if not by:
        return "No champions found.\n"
    rows = []
    for champ in sorted(by):
        links = sorted(ctx.goal_link(g) for g in by[champ])
        if ctx.current_format:  # one row per goal; champion and count on the first
            rows += [[champ if i == 0 else "", str(len(links)) if i == 0 else "", link]
                     for i, link in enumerate(links)]
        else:
            rows.append([champ, str(len(links)), "<br>".join(f"° {x}" for x in links)])
    return md_table_raw(["Champion", "#", "Goal" if ctx.current_format else "Goals"], rows)


class _Footnotes:
    def __init__(self) -> None:
        self.items: list[str] = []

    def cell(self, text: str, link: str) -> str:
        text = " ".join(text.split())
        if len(text) <= FOOTNOTE_LIMIT:
            return text.replace("|", "\\|")
        self.items.append(f"\\*{len(self.items) + 1}: {text} ([from here]({link}))")
        return f"\\*{len(self.items)}"

    def render(self) -> str:
        return "".join(f"\n\n{x}\n" for x in self.items)


def _team_asks(ctx: Context, _arg: str) -> str:
    grouped = legacy_tables.grouped_team_asks(ctx, ctx.goals(), ctx.era) if ctx.era else None
    if grouped is not None:
        return grouped
    live = sorted(ctx.live(), key=lambda g: (g.short_title, g.path))
    teams = sorted({a.team for g in live for a in g.asks})
    config = ctx.program.config
    rank = {lvl.lower(): i for i, lvl in enumerate(config.support_levels)}
    out: list[str] = []
    for team in teams:
        notes = _Footnotes()
        out.append(f"\n{'####' if ctx.current_format else '###'} {team} team\n")
        new_rows: list[list[str]] = []
        for g in sorted(live, key=lambda g: (-rank.get(g.level_for(team, config.support_levels).lower(), -1),
                                             g.short_title.lower(), g.path)):
            asks = [a for a in g.asks if a.team == team and a.level]
            for i, a in enumerate(asks):
                champ = g.champion_for(team)
                name = ctx.goal_link(g, short=True) if i == 0 else ""
                if a.subgoal:
                    name = (name + " " if name else "") + f"↳ {a.subgoal}"
                new_rows.append([name, a.level,
                                 champ.value if champ and champ.logins else "",
                                 notes.cell(a.notes, ctx.href(g.path))])
        old = [g for g in live if any(a.team == team and a.ask_type for a in g.asks)]
        if old:
            kinds = [k for k, t in config.ask_types.items()
                     if not t.elide and any(a.team == team and a.ask_type == k for g in old for a in g.asks)]
            unknown = sorted({a.ask_type for g in old for a in g.asks
                              if a.team == team and a.ask_type and a.ask_type not in config.ask_types})
            kinds += unknown
            headers = ["Goal", *[
                f"[{config.ask_types[k].short}][valid_team_asks]" if k in config.ask_types else k
                for k in kinds]]
            rows: list[list[str]] = []
            for g in old:
                mine = [a for a in g.asks if a.team == team and a.ask_type]
                subgoals = list(dict.fromkeys(a.subgoal for a in mine if a.subgoal))
                for sub in ["", *subgoals]:
                    cells = []
                    for k in kinds:
                        # two asks of one kind for one team: both notes, as the reference
                        hit = [a for a in mine if a.ask_type == k and a.subgoal == sub]
                        cells.append(" ".join(notes.cell(a.notes, ctx.href(g.path)) or "✅"
                                              for a in hit))
                    rows.append([ctx.goal_link(g, short=True) if not sub else f"↳ {sub}", *cells])
            out.append(md_table_raw(headers, rows))
        if new_rows:
            out.append(md_table_raw(["Goal", "Level", "Champion", "Notes"], new_rows))
        out.append(notes.render())
    return "".join(out) if out else "*No team asks.*\n"


def _valid_team_asks(ctx: Context, _arg: str) -> str:
    rows = [[f'"{k}"', t.short, t.about] for k, t in ctx.program.config.ask_types.items()]
    return md_table_raw(["Ask", "aka", "Description"], rows)


# --------------------------------------------------------------------------- roadmaps


def _roadmaps_sorted(ctx: Context) -> list[Roadmap]:
    return sorted(ctx.milestone.roadmaps if ctx.milestone else (), key=lambda r: r.short_title.lower())


def _roadmaps(ctx: Context, area: str) -> str:
    roadmaps = _roadmaps_sorted(ctx)
    if area:
        roadmaps = [r for r in roadmaps if area.lower() in {a.lower() for a in r.application_areas}]
    if not roadmaps:
        return "*No roadmaps.*\n"
    rows = [[ctx.roadmap_link(r), r.point_of_contact, r.what_and_why] for r in roadmaps]
    return md_table_raw(["Roadmap", "Point of contact", "What and why"], rows)


def _application_areas(ctx: Context, _arg: str) -> str:
    roadmaps = _roadmaps_sorted(ctx)
    areas = list(ctx.program.config.application_areas)
    areas += sorted({a for r in roadmaps for a in r.application_areas} - set(areas))
    out = []
    for area in areas:
        desc = ctx.program.config.application_areas.get(area, "")
        out.append(f"\n### {area}\n\n" + (f"{desc}\n\n" if desc else "") + _roadmaps(ctx, area))
    return "".join(out) if out else "*No application areas.*\n"


def _remove(_ctx: Context, _arg: str) -> str:
    return ""  # chapters become navigation entries in the site


def _subgoal_rows(g: Goal, theme: str | None) -> list[tuple[str, str, str, str]]:
    """(title, anchor, timespan, what-and-why) per matching child, or the goal itself."""
    if g.subgoals:
        kids = [s for s in g.subgoals
                if theme is None or theme.lower() in {t.lower() for t in (*g.roadmaps, *s.roadmaps)}]
        if kids:
            return [(s.title, s.anchor, s.timespan or g.timespan, s.what_and_why or g.what_and_why)
                    for s in kids]
    return [(g.title, "", g.timespan, g.what_and_why or first_sentence(g.summary))]


def _roadmap_rows(ctx: Context, theme: str) -> str:
    want = theme.lower()
    goals = sorted((g for g in ctx.live() if want in {t.lower() for t in all_roadmaps(g)}),
                   key=lambda g: (g.title.lower(), g.path))
    default_span = ctx.milestone.name if ctx.milestone else ""
    rows = []
    for g in goals:
        for title, anchor, span, why in _subgoal_rows(g, theme):
            link = f"[{title}]({ctx.href(g.path, anchor)})"
            rows.append(f"| {link} | {span or default_span} | {' '.join(why.split())} |")
    return "\n".join(rows)


# --------------------------------------------------------------------------- highlights


def _highlighted(ctx: Context, theme: str) -> list[Goal]:
    want = theme.strip().lower()
    return sorted((g for g in ctx.live() if want in {h.strip().lower() for h in g.highlights}),
                  key=lambda g: (g.title.lower(), g.path))


def _highlight_goals(ctx: Context, theme: str) -> str:
    out = []
    for g in _highlighted(ctx, theme):
        people = [f"@{g.point_of_contact} (point of contact)"] if g.point_of_contact else []
        people += [o for o in g.task_owners if o.lstrip("@").lower() != g.point_of_contact.lower()]
        people += [f"{c.value} ([{c.team}] champion)" for c in g.champions if c.logins]
        badge = " ![Help wanted][]" if g.is_help_wanted else ""
        out.append(f"### {ctx.goal_link(g)}{badge}\n\n*{', '.join(people)}*\n\n{g.summary}\n")
    return "\n".join(out) if out else "*No goals in this category.*\n"


def _highlight_table(ctx: Context, theme: str) -> str:
    rows = []
    for g in _highlighted(ctx, theme):
        for title, anchor, _span, why in _subgoal_rows(g, None):
            rows.append([f"[{title}]({ctx.href(g.path, anchor)})", why])
    if not rows:
        return "*No goals in this category.*\n"
    return md_table_raw(["Goal", "What and why"], rows)


def _highlight_credits(ctx: Context, theme: str) -> str:
    users: set[str] = set()
    for g in _highlighted(ctx, theme):
        users.update(f"@{u}" for u in g.points_of_contact)
        users.update(o for o in g.task_owners if o.startswith("@"))
        users.update(f"@{u}" for c in g.champions for u in c.logins)
    return ", ".join(sorted(users, key=str.lower))


# --------------------------------------------------------------------------- needs and funding


def parse_cost(text: str) -> Decimal | str:
    """`$25,000`, `$75K`, `$1.5M` → dollars; `Ask` → "Ask"; anything else → "TBD"."""
    t = text.strip().replace(",", "").replace("$", "").replace("USD", "").strip()
    if t.lower() == "ask":
        return "Ask"
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kKmM]?)", t)
    if not m:
        return "TBD"
    try:
        value = Decimal(m[1])
    except InvalidOperation:
        return "TBD"
    return value * {"": 1, "k": 1000, "m": 1_000_000}[m[2].lower()]


def funded_state(text: str) -> str:
    """`No`, `Partial`, `Partial by X`, `Full`, `By X`; anything else (even `Yes`) counts as No."""
    t = text.strip().lower()
    if t == "full" or t.startswith("by "):
        return "Funded"
    if t.startswith("partial"):
        return "Partial"
    return "No"


def goal_funding(g: Goal) -> tuple[str, str, str]:
    """(status emoji, cost total, sponsors) for a goal with a `## Funding` section."""
    states = [funded_state(f.funded) for f in g.funding]
    if states and all(s == "Funded" for s in states):
        emoji = "✅"
    elif any(s != "No" for s in states):
        emoji = "🟡"
    else:
        emoji = "🟥"
    costs = [parse_cost(f.cost) for f in g.funding]
    dollars = [c for c in costs if isinstance(c, Decimal)]
    if dollars:
        total = f"${sum(dollars, Decimal(0)):,.0f}"
    elif "TBD" in costs or not costs:
        total = "TBD"
    else:
        total = "Ask"
    sponsors = ", ".join(dict.fromkeys(f.sponsors for f in g.funding if f.sponsors.strip()))
    return emoji, total, sponsors


def _funding_row(ctx: Context, g: Goal) -> list[str]:
    emoji, total, sponsors = goal_funding(g)
    contact = g.funding_contact or ctx.program.config.funding_contact
    return [emoji, f"[{g.title}]({ctx.href(g.path, 'funding')})", total, contact,
            f"🙏 {sponsors}" if sponsors else ""]


FUNDING_HEADERS = ["", "Goal", "Cost", "Funding contact", "Sponsor(s)"]


def _funded_goals(ctx: Context, theme: str = "") -> list[Goal]:
    goals = [g for g in ctx.live() if g.funding]
    if theme:
        goals = [g for g in goals if theme.lower() in {t.lower() for t in all_roadmaps(g)}]
    return sorted(goals, key=lambda g: (g.title.lower(), g.path))


def _funding_table(ctx: Context, theme: str) -> str:
    goals = _funded_goals(ctx, theme)
    if not goals:
        return "*No goals are seeking funding.*\n"
    return md_table_raw(FUNDING_HEADERS, [_funding_row(ctx, g) for g in goals])


def _funding_grouped(ctx: Context, _arg: str) -> str:
    goals = _funded_goals(ctx)
    if not goals:
        return "*No goals are seeking funding.*\n"
    rows: list[list[str]] = []
    placed: set[str] = set()
    for r in _roadmaps_sorted(ctx):
        mine = [g for g in goals if r.short_title.lower() in {t.lower() for t in all_roadmaps(g)}]
        if mine:
            rows.append(["-", f"**{ctx.roadmap_link(r)}**", "--", "--", "--"])
            rows += [_funding_row(ctx, g) for g in mine]
            placed.update(g.key for g in mine)
    rest = [g for g in goals if g.key not in placed]
    if rest:
        rows.append(["-", "**Other goals**", "--", "--", "--"])
        rows += [_funding_row(ctx, g) for g in rest]
    return md_table_raw(FUNDING_HEADERS, rows)


def _funding_by_poc(ctx: Context, _arg: str) -> str:
    goals = _funded_goals(ctx)
    if not goals:
        return "*No goals are seeking funding.*\n"
    by: dict[str, list[Goal]] = defaultdict(list)
    for g in goals:
        by[g.funding_contact or ctx.program.config.funding_contact].append(g)
    rows: list[list[str]] = []
    for contact in sorted(by):
        rows.append(["-", f"**{contact}**", "--", "--", "--"])
        rows += [_funding_row(ctx, g) for g in by[contact]]
    return md_table_raw(FUNDING_HEADERS, rows)


def _funding_legend(_ctx: Context, _arg: str) -> str:
    return md_table_raw(["Legend", ""], [
        ["🟥", "Seeking funding"],
        ["🟡", "Partially funded, could use more support"],
        ["✅", "Good to go"],
    ])


def _goals_with_needs(ctx: Context, need: str) -> str:
    kind = need.strip().lower()
    if kind == "funding":
        goals = _funded_goals(ctx)
    elif kind == "contributor":
        goals = sorted((g for g in ctx.live() if g.is_help_wanted), key=lambda g: (g.title.lower(), g.path))
    else:
        goals = sorted((g for g in ctx.live() if kind in {n.lower() for n in g.needs}),
                       key=lambda g: (g.title.lower(), g.path))
    out = []
    for g in goals:
        part = [f"### {ctx.goal_link(g)}\n", f"*@{g.point_of_contact} (point of contact)*\n"
                if g.point_of_contact else "", f"{g.summary}\n"]
        if kind == "funding":
            part.append(f"**Contact:** {g.funding_contact or ctx.program.config.funding_contact}\n")
            part.append(md_table_raw(["Purpose", "Cost", "Funded"],
                                     [[f.purpose, f.cost, f.funded] for f in g.funding]))
        elif kind == "contributor" and g.help_wanted:
            part.append(md_table_raw(["Task", "Experience level", "Time investment"],
                                     [[h.task, h.experience, h.time] for h in g.help_wanted]))
        out.append("\n".join(p for p in part if p))
    return "\n".join(out) if out else "*No goals in this category.*\n"


def _reports(_ctx: Context, _arg: str) -> str:
    # what to run when nothing is synced is said in the site's page source, not to its readers
    return ("This section contains automatically generated reports based on the comments left in "
            "the goal tracking issues.")


_HANDLERS: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"#GOALS"), _count_goals),
    (re.compile(r"#(?:ROADMAP|FLAGSHIP) GOALS"), _count_roadmap_goals),
    (re.compile(r"GOALS"), _goals),
    (re.compile(r"(?:ROADMAP|FLAGSHIP) GOALS(?::\s*(.+))?"), _roadmap_goals),
    (re.compile(r"OTHER GOALS"), _other_goals),
    (re.compile(r"GOALS NOT ACCEPTED"), _not_accepted),
    (re.compile(r"LARGE GOALS"), _sized("Large")),
    (re.compile(r"MEDIUM GOALS"), _sized("Medium")),
    (re.compile(r"SMALL GOALS"), _sized("Small")),
    (re.compile(r"TEAM ASKS"), _team_asks),
    (re.compile(r"VALID TEAM ASKS"), _valid_team_asks),
    (re.compile(r"CHAMPIONS"), _champions),
    (re.compile(r"ROADMAPS(?::\s*(.+))?"), _roadmaps),
    (re.compile(r"APPLICATION AREAS"), _application_areas),
    (re.compile(r"ROADMAP CHAPTERS|GOAL CHAPTERS"), _remove),
    (re.compile(r"ROADMAP ROWS:\s*(.+)"), _roadmap_rows),
    (re.compile(r"HIGHLIGHT GOALS:\s*(.+)"), _highlight_goals),
    (re.compile(r"HIGHLIGHT TABLE:\s*(.+)"), _highlight_table),
    (re.compile(r"HIGHLIGHT CREDITS:\s*(.+)"), _highlight_credits),
    (re.compile(r"GOALS WITH NEEDS:\s*(.+)"), _goals_with_needs),
    (re.compile(r"FUNDING TABLE(?::\s*(.+))?"), _funding_table),
    (re.compile(r"FUNDING TABLE GROUPED(?: BY GOAL)?"), _funding_grouped),
    (re.compile(r"FUNDING TABLE GROUPED BY POC"), _funding_by_poc),
    (re.compile(r"FUNDING LEGEND"), _funding_legend),
    (re.compile(r"REPORTS(?::\s*(.+))?"), _reports),
]


def _goals_with_status(ctx: Context, statuses: str) -> str:
    """2024's `<!-- GOALS 'Accepted,Orphaned' -->`: the goals with one of the statuses."""
    want = {s.strip().lower() for s in statuses.split(",")}
    return goal_table(ctx, ctx.order(g for g in ctx.goals() if g.status.strip().lower() in want))


_LEGACY_HANDLERS: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"GOALS WITH STATUS:\s*(.+)"), _goals_with_status),
    (re.compile(r"TEAMS WITH ASKS"), legacy_tables.teams_with_asks),
    (re.compile(r"TASK OWNERS"), legacy_tables.task_owners),
]


def inject_metadata_rows(g: Goal, text: str) -> str:
    """Add the `Teams` and `Task owners` rows after the goal's metadata table (as the reference
    plugin does), unless the document already has them."""
    doc = markdown.parse(text)
    from ..sources.metadata import metadata_table

    table, _where = metadata_table(doc)
    if table is None:
        return text
    have = {r.text(0).strip().lower() for r in table.rows}
    extra = []
    if "teams" not in have:
        extra.append(f"| Teams | {', '.join(f'[{t}][]' for t in sorted(set(g.teams))) or '(none)'} |")
    if "task owners" not in have:
        extra.append(f"| Task owners | {', '.join(g.task_owners) or '(none)'} |")
    lines = text.split("\n")
    end = table.rows[-1].line if table.rows else table.header.line + 1
    return "\n".join(lines[:end] + extra + lines[end:])
