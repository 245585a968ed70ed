"""The monthly update's Stats: the month's per-team mean, the scribe rule, names, spellings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from click.testing import CliRunner

from goalkeeper.cli.group import main
from goalkeeper.model import Meeting
from goalkeeper.sources.minutes.stats import month_stats, short_number, spellings, written_by

from .conftest import _shared, write_tree
from .test_minutes import REAL_CONFIG, _independent_selection, wc_words

D = dt.date


def _stats(text: str) -> dict[str, str]:
    """`* Name: figure` rows of a draft's Stats section."""
    part = text.split("## Stats", 1)[1]
    return dict(re.findall(r"^\* (.+?): (\S+)$", part, re.M))


def test_per_team_mean_is_the_months_wc_mean_on_the_real_minutes(tmp_path: Path) -> None:
    minutes = _shared("minutes")
    teams = _shared("rust-lang-team")
    write_tree(tmp_path, {
        "goalkeeper.toml": REAL_CONFIG.format(d=minutes.as_posix())
        + '\n[report.stats]\nnames = { libs-api = "Libs-API" }\n',
        "src/2026/README.md": "# 2026\n",
    })
    chosen = _independent_selection(minutes)
    files = [(team, p, body) for team, bodies in chosen.items() for p, body in bodies.items()]
    counts = wc_words(*(body for _, _, body in files))
    names = {"leadership-council": "Leadership council", "libs-api": "Libs-API",
             "libs": "Library team", "compiler": "Compiler team"}  # team data, and the override
    checked = 0
    for month in ("2025-10", "2025-12", "2026-02", "2026-03", "2026-06"):
        per: dict[str, list[int]] = {}
        for (team, path, _), words in zip(files, counts, strict=True):
            date = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", path.name)
            assert date
            if words >= 50 and f"{int(date[1]):04d}-{int(date[2]):02d}" == month:
                per.setdefault(team, []).append(words)
        r = CliRunner().invoke(main, ["report", str(tmp_path), "--month", month,
                                      "--teams", str(teams), "--offline"])
        assert r.exit_code == 0, r.output
        got = _stats(r.stdout)
        want = {names[t]: short_number(sum(w) / len(w)) for t, w in per.items()}
        assert got == want, month
        month_total = sum(sum(w) for w in per.values())
        assert f"({dt.date(int(month[:4]), int(month[5:]), 1):%B}): {short_number(month_total)}" in r.stdout
        checked += len(want)
    assert checked >= 10


def test_scribe_rule_counts_only_the_program_managers_minutes() -> None:
    def m(day: int, team: str, author: str = "", attendees: tuple[str, ...] = (), words: int = 100
          ) -> Meeting:
        return Meeting(team, D(2026, 2, day), f"{team} {day}", f"{team}/{day}.md", attendees,
                       author, words)

    meetings = [
        m(3, "libs-api", attendees=("Josh", "Tomas Sedovic"), words=5000),  # unsigned, attended
        m(5, "libs-api", attendees=("Josh",), words=7000),  # unsigned, not attended
        m(13, "leadership-council", "Tomáš Šedovič", ("Mark",), 3000),  # signed, accents
        m(20, "leadership-council", "James Munns", ("Tomas",), 9000),  # someone else's
        m(27, "leadership-council", "Nurzhan, Tomas", (), 2000),  # two scribes
        m(28, "compiler", "", ("Tomas",), 1000),  # a team not counted
        m(2, "libs-api", "Tomas", (), 4000),  # another spelling, before the month: total only
    ]
    meetings[-1] = Meeting("libs-api", D(2026, 1, 20), "x", "x.md", (), "Tomas", 4000)
    who = spellings(["Tomas Sedovic"], [("Tomas Sedovic", "Tomas")])
    assert written_by(meetings[0], who) and not written_by(meetings[1], who)
    assert not written_by(meetings[1], who, "skip") and written_by(meetings[1], who, "count")
    st = month_stats(meetings, D(2026, 2, 1), D(2026, 3, 1), person=who, scribes=who,
                     teams=("libs-api", "leadership-council"),
                     names={"libs-api": "Libs-API", "leadership-council": "Leadership Council"}.get)
    assert st is not None
    assert (st.month_meetings, st.month_words) == (3, 10000)
    assert (st.total_meetings, st.total_words, st.since) == (4, 14000, D(2026, 1, 1))
    assert [(t.name, t.meetings, t.mean) for t in st.teams] == [
        ("Libs-API", 1, 5000.0), ("Leadership Council", 2, 2500.0)]
    assert st.attended == 5  # every team's meetings, minutes by someone else included
    nobody = month_stats(meetings, D(2026, 2, 1), D(2026, 3, 1), scribes=("Nobody",), person=who)
    assert nobody is not None and (nobody.month_words, nobody.teams, nobody.attended) == (0, (), 5)
    assert month_stats([], D(2026, 2, 1), D(2026, 3, 1)) is None
    everyone = month_stats(meetings, D(2026, 2, 1), D(2026, 3, 1))
    assert everyone is not None and everyone.month_meetings == 6 and everyone.attended is None


def test_spellings_join_groups_transitively() -> None:
    groups = [("Ana Kovač", "ana-k"), ("Ana K.", "Ana Kovac", "Ana")]
    assert spellings(["ana-k"], groups) == ("ana-k", "Ana Kovač", "Ana K.", "Ana")
    assert spellings(["Borislav"], groups) == ("Borislav",)


def test_person_option_uses_configured_spellings(tmp_path: Path) -> None:
    filler = " ".join(f"w{i}" for i in range(60))
    write_tree(tmp_path, {
        "goalkeeper.toml": """
            [people.tsedovic]
            name = "Tomas Sedovic"

            [minutes.people]
            "Tomas Sedovic" = ["Tomas", "TS"]
        """,
        "minutes/lang/2026-02-03.md": f"# Lang 2026-02-03\n\nAttendees: Tomas, Josh\n\n## A\n\n{filler}\n",
        "minutes/lang/2026-02-10.md":
            f"# Lang 2026-02-10\n\nAttendees: Josh\n\nMinutes: TS\n\n## A\n\n{filler}\n",
        "minutes/lang/2026-02-17.md": f"# Lang 2026-02-17\n\nAttendees: @tsedovic\n\n## A\n\n{filler}\n",
        "minutes/lang/2026-02-24.md": f"# Lang 2026-02-24\n\nAttendees: Josh\n\n## A\n\n{filler}\n",
    })
    for name in ("Tomas Sedovic", "tsedovic", "TS"):
        r = CliRunner().invoke(main, ["minutes", "stats", str(tmp_path), "--person", name])
        assert r.exit_code == 0, r.output
        assert "Meetings attended by " + name + ": 3" in r.stdout
        assert "3 meetings" in r.stdout


def test_report_stats_use_the_months_figures_and_display_names(tmp_path: Path) -> None:
    filler = " ".join(f"w{i}" for i in range(100))
    write_tree(tmp_path, {
        "goalkeeper.toml": """
            [teams.lang]
            name = "Language team"

            [report]
            person = ["Ana"]
            stats_since = "2026-01"

            [report.stats]
            scribes = ["Ana"]
            names = { kernel = "Kernel sync" }
        """,
        "src/2026/README.md": "# 2026\n",
        "minutes/lang/2026-01-05.md": f"# Lang 2026-01-05\n\nAttendees: Ana\n\n## A\n\n{filler}\n",
        "minutes/lang/2026-02-02.md": f"# Lang 2026-02-02\n\nAttendees: Ana\n\n## A\n\n{filler} {filler}\n",
        "minutes/kernel/2026-02-09.md": f"# Kernel 2026-02-09\n\nAttendees: Ana\n\n## A\n\n{filler}\n",
        "minutes/kernel/2026-02-16.md":
            f"# Kernel 2026-02-16\n\nAttendees: Bo\n\nMinutes: Bo\n\n## A\n\n{filler}\n",
    })
    r = CliRunner().invoke(main, ["report", str(tmp_path), "--month", "2026-02"])
    assert r.exit_code == 0, r.output
    stats = r.stdout.split("## Stats", 1)[1]
    assert "Meetings attended: 2\n" in stats  # Ana was not at the 16 February kernel sync
    assert "Total words of meeting minutes written (February): 314\n" in stats
    assert "Total words of meeting minutes written: 421 (January 2026–February 2026)" in stats
    assert _stats(r.stdout) == {"Kernel sync": "107", "Language team": "207"}
    r = CliRunner().invoke(main, ["report", str(tmp_path), "--month", "2026-02", "--person", "Bo"])
    assert r.exit_code == 0, r.output
    assert "Meetings attended: 1\n" in r.stdout  # --person instead of [report] person
