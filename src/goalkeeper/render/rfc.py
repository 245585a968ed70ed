"""The RFC text of a milestone and the comment that starts its final comment period."""

from __future__ import annotations

import posixpath
import re

from ..model import USER_RE, Milestone, Program
from ..sources import markdown
from .directives import Context, expand

# `[text](target)` and `[label]: target` with a relative target
INLINE_LINK_RE = re.compile(r"(\]\()(?!https?:|mailto:|#|/)([^)\s]+)(\))")
REF_DEF_RE = re.compile(r"^(\s*\[[^\]]+\]:\s*)(?!https?:|mailto:|#|/)(\S+)(.*)$")


def rfc_text(program: Program, m: Milestone) -> str:
    """The milestone's README with every directive expanded and every link absolute."""
    readme = program.root / m.path / "README.md"
    text = readme.read_text(encoding="utf-8")
    page = f"{m.path}/README.md"
    expanded = expand(program, page, text, absolute_links=True)
    ctx = Context(program, m, page, absolute_links=True)
    expanded = absolutize(ctx, expanded)
    return link_users(program, expanded)


def absolutize(ctx: Context, text: str) -> str:
    doc = markdown.parse(text)

    def target(rel: str) -> str:
        path, _, anchor = rel.partition("#")
        if not path.endswith(".md"):
            return rel
        full = posixpath.normpath(posixpath.join(ctx.page_dir, path))
        return ctx.href(full, anchor)

    out = []
    for idx, line in enumerate(text.split("\n"), start=1):
        if idx in doc.code_lines:
            out.append(line)
            continue
        line = INLINE_LINK_RE.sub(lambda m: m[1] + target(m[2]) + m[3], line)
        line = REF_DEF_RE.sub(lambda m: m[1] + target(m[2]) + m[3], line)
        out.append(line)
    return "\n".join(out)


def link_users(program: Program, text: str) -> str:
    """`@login` → `[Display Name][]` with a reference definition, where the name is known
    (from `[people]` or team data); unknown users, code and e-mail addresses are left alone."""
    doc = markdown.parse(text)
    used: dict[str, str] = {}

    def repl(m: re.Match[str]) -> str:
        line = m.string
        if m.start() > 0 and (line[m.start() - 1].isalnum() or line[m.start() - 1] in "._-"):
            return m[0]  # e-mail address or `foo.@bar`
        if line.count("`", 0, m.start()) % 2:
            return m[0]
        person = program.people.get(m[1].lower())
        if person is None or not person.name:
            return m[0]
        used[person.name] = person.login
        return f"[{person.name}][]"

    lines = []
    for idx, line in enumerate(text.split("\n"), start=1):
        lines.append(line if idx in doc.code_lines else USER_RE.sub(repl, line))
    out = "\n".join(lines).rstrip("\n") + "\n"
    if used:
        out += "\n" + "".join(
            f"[{name}]: https://github.com/{login}\n" for name, login in sorted(used.items())
        )
    return out


def fcp_text(program: Program, m: Milestone) -> str:
    """The comment that starts the FCP: one checkbox per lead of every team with an ask."""
    live = [g for g in m.goals if not g.rejected]
    teams = sorted({a.team for g in live for a in g.asks})
    lines = [
        "@rfcbot fcp merge",
        "",
        f"This RFC proposes the {m.name} slate of {len(live)} project goals for "
        f"{program.config.project_name}. Each team below is asked for support by at least one "
        "goal; by checking your box you confirm that your team has reviewed its asks and that the "
        "listed champions have agreed to serve.",
        "",
        "Team leads (required):",
        "",
    ]
    members: list[str] = []
    for team in teams:
        t = program.teams.get(team)
        n = sum(1 for g in live if team in g.teams)
        leads = list(t.leads) if t else []
        who = " ".join(f"@{x}" for x in leads) if leads else "(no lead in the team data)"
        lines.append(f"* [ ] [{team}] ({n} goal{'s' * (n != 1)}): {who}")
        if t:
            members += [f"@{x}" for x in t.members if x not in leads]
    if members:
        lines += ["", "Team members may check in too (optional): "
                  + " ".join(sorted(set(members), key=str.lower))]
    return "\n".join(lines) + "\n"
