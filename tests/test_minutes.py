"""Meeting minutes: word counts against `wc -w`, the real minutes, malformed files, views, CLI."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalkeeper.cli.group import main
from goalkeeper.diagnostics import Diagnostics
from goalkeeper.errors import ConfigError
from goalkeeper.model import Meeting
from goalkeeper.sources.minutes.config import MinutesFolder, Series, parse_minutes_config
from goalkeeper.sources.minutes.folders import load_minutes
from goalkeeper.sources.minutes.reader import parse_minutes
from goalkeeper.sources.minutes.stats import (
    filter_meetings,
    overdue_series,
    per_month,
    per_team,
    person_key,
    series_status,
    short_number,
    stats_record,
    total_words,
)
from goalkeeper.sources.minutes.words import count_words, split_front_matter

from .conftest import _shared, write_tree

D = datetime.date


# -------------------------------------------------------------------------------------------
# Word count: GNU `wc -w` in the C locale


def wc_words(*chunks: bytes) -> list[int]:
    """`LC_ALL=C wc -w` of each chunk, computed by the real wc in one process."""
    if shutil.which("wc") is None:
        if os.environ.get("CI"):
            pytest.fail("wc is missing, and CI is set: the word-count tests must run in CI")
        pytest.skip("wc is not installed: cannot compare word counts with `wc -w`")
    script = 'for f in "$@"; do wc -w < "$f"; done'
    paths = []
    with tempfile.TemporaryDirectory() as d:
        for i, c in enumerate(chunks):
            p = Path(d) / f"{i}.txt"
            p.write_bytes(c)
            paths.append(str(p))
        out = subprocess.run(["sh", "-c", script, "sh", *paths], capture_output=True, check=True,
                             env={"LC_ALL": "C", "PATH": os.environ.get("PATH", "")}).stdout
    return [int(x) for x in out.split()]


TRICKY = [
    b"",
    b"one",
    b"  two words  ",
    b"tab\tnewline\nvtab\vformfeed\fcr\rend",
    "non\u00a0breaking space".encode(),  # U+00A0 joins words in the C locale
    "em\u2003space".encode(),
    "ideographic\u3000space".encode(),
    "та за шо".encode(),  # no printable ASCII byte: no words at all
    "a — dash, na\u00efve, emoji \U0001f389 alone".encode(),
    b"ctrl\x01inside \x01 alone \x7f del \x1c fs \x85 nel",
    b"latin1 caf\xe9 \xff\xfe bytes",
    b"\xef\xbb\xbfbom then words\r\n",
    b"# heading\n\n- item one\n- item two\n\n```\ncode block\n```\n",
]


def test_count_words_equals_wc_in_the_c_locale() -> None:
    assert [count_words(c) for c in TRICKY] == wc_words(*TRICKY)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([b"a", b"Z", b"1", b" ", b"\t", b"\n", b"\v", b"\f", b"\r", b"\x00",
                                 b"\x01", b"\x7f", b"\x80", b"\xa0", b"\xc2\xa0", b"\xe2\x80\x83",
                                 b"\xff", b"-", b"~"]), max_size=40))
def test_count_words_matches_wc_on_random_bytes(parts: list[bytes]) -> None:
    data = b"".join(parts)
    assert count_words(data) == wc_words(data)[0]


def test_split_front_matter() -> None:
    assert split_front_matter(b"---\ndate: 2026-01-01\n---\n# T\nbody\n") == (
        b"date: 2026-01-01\n", b"# T\nbody\n", 3)
    assert split_front_matter(b"# no front matter\n---\n") == (b"", b"# no front matter\n---\n", 0)
    assert split_front_matter(b"---\nunclosed: yes\n# T\n") == (b"", b"---\nunclosed: yes\n# T\n", 0)
    assert split_front_matter(b"---\r\na: 1\r\n...\r\nbody") == (b"a: 1\r\n", b"body", 3)


# -------------------------------------------------------------------------------------------
# The real minutes in ../shared/data/minutes


@pytest.fixture
def real_minutes() -> Path:
    """Leadership Council, compiler-team and libs-team minutes (see ../shared/data/README.md)."""
    return _shared("minutes")


REAL_CONFIG = """
    [[minutes.folders]]
    path = "{d}/leadership-council"
    team = "leadership-council"

    [[minutes.folders]]
    path = "{d}/compiler-team"
    team = "compiler"

    [[minutes.folders]]
    path = "{d}/libs-team"
    team_from = "heading"
    rules = [
        {{ pattern = "^Libs-API\\\\b", team = "libs-api" }},
        {{ pattern = "^Libs\\\\b", team = "libs" }},
    ]
"""


def _independent_selection(data_dir: Path) -> dict[str, dict[Path, bytes]]:
    """Which files are meetings, decided here without goalkeeper: team -> {file: body}."""
    out: dict[str, dict[Path, bytes]] = {}
    for path in sorted(data_dir.rglob("*.md")):
        raw = path.read_bytes()
        m = re.match(rb"---\r?\n.*?\n---\r?\n", raw, re.S)
        body = raw[m.end():] if m else raw
        folder = path.relative_to(data_dir).parts[0]
        if folder == "leadership-council":
            team = "leadership-council"
        elif folder == "compiler-team":
            team = "compiler"
            if not re.search(r"\d{4}-\d{1,2}-\d{1,2}", path.name):
                continue  # the undated P-high reviews
        else:
            team = "libs-api" if re.search(rb"^# Libs-API ", body, re.M) else "libs"
            if re.search(rb"^\*\*Attendees\*\*:\s*(\.\.\.)?\s*$", body, re.M):
                continue  # agenda only
        out.setdefault(team, {})[path] = body
    return out


def test_real_minutes_match_an_independent_wc_count(real_minutes: Path, tmp_path: Path) -> None:
    write_tree(tmp_path, {"goalkeeper.toml": REAL_CONFIG.format(d=real_minutes.as_posix())})
    result = load_minutes(tmp_path)

    chosen = _independent_selection(real_minutes)
    files = [(team, p, body) for team, bodies in chosen.items() for p, body in bodies.items()]
    counts = wc_words(*(body for _, _, body in files))
    expected: dict[str, dict[str, int]] = {}
    for (team, path, _), words in zip(files, counts, strict=True):
        if words >= 50:  # shorter files are the compiler team's agenda stubs
            expected.setdefault(team, {})[path.as_posix()] = words
    got: dict[str, dict[str, int]] = {}
    for m in result.meetings:
        got.setdefault(m.team, {})[m.path] = m.words
    assert got == expected  # same files, same words, per team
    totals = {t: (len(v), sum(v.values())) for t, v in got.items()}
    assert {t: n for t, (n, _) in totals.items()} == {
        "leadership-council": 31, "compiler": 65, "libs-api": 26, "libs": 13}
    assert sum(w for _, w in totals.values()) == total_words(result.meetings)
    assert result.files == 153 and result.skipped == 18
    assert sorted(d.code for d in result.diagnostics) == (
        ["minutes-agenda-only"] * 13 + ["minutes-no-date"] * 3 + ["minutes-stub"] * 2)


def test_real_minutes_fields(real_minutes: Path, tmp_path: Path) -> None:
    write_tree(tmp_path, {"goalkeeper.toml": REAL_CONFIG.format(d=real_minutes.as_posix())})
    by_name = {Path(m.path).name: m for m in load_minutes(tmp_path).meetings}
    lc = by_name["2025-08-08.md"]
    assert lc.title == "Council meeting 2025-08-08" and lc.author == "Tomas Sedovic"
    assert "Nadrieril" in lc.attendees and "Pete LeVasseur" in lc.attendees
    assert "Oli" not in by_name["2026-02-27.md"].attendees  # listed under Regrets
    assert by_name["2026-07-17.md"].date == D(2026, 7, 17)  # "- Meeting date:" line agrees
    assert by_name["T-compiler Meeting Agenda 2026-04-2.md"].date == D(2026, 4, 2)
    libs = by_name["2026-02-10.md"]  # front matter date and heading agree
    assert (libs.team, libs.date, libs.attendees[:2]) == ("libs-api", D(2026, 2, 10), ("The 8472", "David"))
    assert by_name["2026-08-11.md"].team == "libs"


# -------------------------------------------------------------------------------------------
# Malformed minutes: every case in one folder, one ordered list of (path, line, code)

GOOD = """
    # Lang triage {date}

    ## Attendees

    - alice
    - Bob (she/her)
    - Regrets: carol

    ## Meeting roles

    - Minutes: dave

    ## Notes

    {filler}
"""
FILLER = " ".join(f"word{i}" for i in range(60))


def malformed_tree(root: Path) -> Path:
    write_tree(root, {
        "goalkeeper.toml": "[minutes]\nmin_words = 50\n",
        "minutes/lang/2026-01-05.md": GOOD.format(date="2026-01-05", filler=FILLER),
        "minutes/lang/copy of lang triage.md": GOOD.format(date="2026-01-05", filler=FILLER),
        "minutes/lang/notes.md": f"# Lang triage\n\n{FILLER}\n",
        "minutes/lang/2026-01-12.md": f"# Lang triage 2026-01-13\n\n{FILLER}\n",
        "minutes/lang/2026-01-19.md": "",
        "minutes/lang/2026-02-02.md": f"# Lang triage\n\n## Attendees\n\nAlice and Bob came, Carol "
                                      f"sent her notes.\n\n## Notes\n\n{FILLER}\n",
        "minutes/lang/2026-02-09.md": "# Lang triage\n\nCancelled this week.\n",
        "minutes/lang/2026-02-16.md": f"---\ndate: 2026-02-17\n---\n# Lang triage\n\n{FILLER}\n",
        "minutes/lang/2026-02-23.md": f"# Lang triage\n\n**Attendees**: ...\n\n## Agenda\n\n{FILLER}\n",
        "minutes/lang/2026-02-30.md": f"# Lang triage\n\n{FILLER}\n",
        "minutes/stray-2026-03-02.md": f"# Lang triage\n\n{FILLER}\n",
    })
    (root / "minutes/lang/2026-01-26.md").write_bytes(b"# Lang triage\n\nok\ncaf\xe9 " + FILLER.encode())
    (root / "minutes/lang/2026-03-09.md").write_bytes(b"# Lang triage\n\x00\n")
    return root


def test_malformed_minutes_are_reported_once_and_skipped(tmp_path: Path) -> None:
    result = load_minutes(malformed_tree(tmp_path))
    assert [(d.span.path, d.span.line, d.code) for d in result.diagnostics] == [
        ("minutes/lang/2026-01-12.md", 1, "minutes-conflicting-dates"),
        ("minutes/lang/2026-01-19.md", 1, "minutes-empty"),
        ("minutes/lang/2026-01-26.md", 4, "not-utf8"),
        ("minutes/lang/2026-02-02.md", 5, "minutes-attendees-paragraph"),
        ("minutes/lang/2026-02-09.md", 1, "minutes-stub"),
        ("minutes/lang/2026-02-16.md", 2, "minutes-conflicting-dates"),
        ("minutes/lang/2026-02-23.md", 3, "minutes-agenda-only"),
        ("minutes/lang/2026-02-30.md", 1, "minutes-invalid-date"),
        ("minutes/lang/2026-03-09.md", 2, "binary-file"),
        ("minutes/lang/copy of lang triage.md", 1, "minutes-duplicate"),
        ("minutes/lang/notes.md", 1, "minutes-no-date"),
        ("minutes/stray-2026-03-02.md", 1, "minutes-no-team"),
    ]
    assert [(m.path, m.date) for m in result.meetings] == [
        ("minutes/lang/2026-01-05.md", D(2026, 1, 5)),
        ("minutes/lang/2026-02-02.md", D(2026, 2, 2)),  # kept, without attendees
    ]
    good, paragraph = result.meetings
    assert good.attendees == ("alice", "Bob") and good.author == "dave"
    assert paragraph.attendees == ()
    assert result.files == 13 and result.skipped == 11 and len(result.errors) == 7
    assert total_words(result.meetings) == good.words + paragraph.words


def test_diagnostics_can_be_switched_off(tmp_path: Path) -> None:
    malformed_tree(tmp_path)
    (tmp_path / "goalkeeper.toml").write_text('[diagnostics]\nminutes-stub = "off"\n')
    codes = [d.code for d in load_minutes(tmp_path).diagnostics]
    assert "minutes-stub" not in codes and "minutes-agenda-only" in codes


def test_team_from_heading_and_field(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "goalkeeper.toml": """
            [[minutes.folders]]
            path = "shared"
            team_from = "heading"
            rules = [{ pattern = "^Cargo", team = "cargo" }]

            [[minutes.folders]]
            path = "notes"
            team_from = "field"
            team = "misc"
        """,
        "shared/a.md": f"# Cargo sync 2026-01-07\n\n{FILLER}\n",
        "shared/b.md": f"# Other sync 2026-01-08\n\n{FILLER}\n",
        "notes/c.md": f"---\nteam: infra\ndate: 2026-01-09\n---\n\n# Sync\n\n{FILLER}\n",
        "notes/d.md": f"---\ndate: 2026-01-10\n---\n\n# Sync\n\n{FILLER}\n",
        "minutes/lang/2026-01-11.md": f"# Sync\n\n{FILLER}\n",  # the implicit folder
    })
    result = load_minutes(tmp_path)
    assert [(m.team, m.date.day) for m in result.meetings] == [
        ("cargo", 7), ("infra", 9), ("misc", 10), ("lang", 11)]
    assert [(d.span.path, d.code) for d in result.diagnostics] == [("shared/b.md", "minutes-no-team")]


def test_overlapping_folders_read_each_file_once(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "goalkeeper.toml": '[[minutes.folders]]\npath = "minutes/lang"\nteam = "lang-team"\n',
        "minutes/lang/2026-01-05.md": f"# Sync\n\n{FILLER}\n",
    })
    result = load_minutes(tmp_path)
    assert [m.team for m in result.meetings] == ["lang-team"] and result.files == 1


@pytest.mark.parametrize(("text", "attendees", "author", "codes"), [
    ("**Attendees:** Alice, Bob & Carol; Dan\n**Minutes by:** Eve\n", ("Alice", "Bob", "Carol", "Dan"),
     "Eve", []),
    ("### Present\n\n1. [Alice](https://example.org) (chair)\n2. @bob\n   more about bob\n",
     ("Alice", "bob"), "", []),
    ("## Attendance\n\n- Members: Ana, Ben\n- Regrets: Cy\n- Observers:\n\n## Roles\n\n- Scribe: Ana\n",
     ("Ana", "Ben"), "Ana", []),
    ("```\n## Attendees\n\n- not a list\n```\n", (), "", []),
    ("Attendees: everyone from the lang team came along today.\n", (), "", ["minutes-attendees-paragraph"]),
])
def test_attendee_and_author_forms(
    text: str, attendees: tuple[str, ...], author: str, codes: list[str]
) -> None:
    diags = Diagnostics()
    doc = f"# Sync 2026-01-01\n\n{text}\n## Notes\n\n{FILLER}\n"
    m = parse_minutes(doc.encode(), "x.md", "t", MinutesFolder("m"), 50, diags)
    assert m is not None and (m.attendees, m.author) == (attendees, author)
    assert [d.code for d in diags] == codes


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_parsing_never_raises(data: bytes) -> None:
    diags = Diagnostics()
    doc = b"---\ndate: 2026-01-01\n---\n# Sync\n" + data
    for blob in (data, doc):
        m = parse_minutes(blob, "x.md", "t", MinutesFolder("m"), 0, diags)
        assert m is None or m.team == "t"


def test_config_errors_are_readable() -> None:
    root = Path(".")
    with pytest.raises(ConfigError, match="did you mean `team_from`"):
        parse_minutes_config({"minutes": {"folders": [{"path": "x", "teamfrom": "heading"}]}}, root)
    with pytest.raises(ConfigError, match="needs `rules`"):
        parse_minutes_config({"minutes": {"folders": [{"path": "x", "team_from": "heading"}]}}, root)
    with pytest.raises(ConfigError, match="not a valid regex"):
        parse_minutes_config({"minutes": {"folders": [
            {"path": "x", "team_from": "heading", "rules": [{"pattern": "(", "team": "t"}]}]}}, root)
    with pytest.raises(ConfigError, match="cadence_days"):
        parse_minutes_config({"minutes": {"series": [{"name": "s", "team": "t", "cadence_days": 0}]}}, root)
    cfg = parse_minutes_config({"minutes": {"series": [
        {"name": "RfL sync", "team": "rfl", "cadence_days": 14, "match": "Linux"}]}}, root)
    assert cfg.series[0].includes(meeting("rfl", D(2026, 1, 1), title="Rust for Linux"))
    assert not cfg.series[0].includes(meeting("rfl", D(2026, 1, 1), title="Other"))


# -------------------------------------------------------------------------------------------
# Views, on meetings built here


def meeting(team: str, date: datetime.date, words: int = 100, *, title: str = "Sync",
            attendees: tuple[str, ...] = (), author: str = "") -> Meeting:
    return Meeting(team, date, title, f"minutes/{team}/{date}.md", attendees, author, words)


MEETINGS = [
    meeting("lang", D(2025, 11, 3), 1000, attendees=("Tomáš Šedovič", "Ana")),
    meeting("lang", D(2025, 11, 17), 3000, attendees=("Ana",)),
    meeting("cargo", D(2026, 1, 5), 500, author="Tomas Sedovic"),
    meeting("cargo", D(2026, 1, 19), 700, attendees=("@tomas sedovic",)),
]


def test_filters_totals_and_months() -> None:
    assert total_words(MEETINGS) == 5200
    assert [(r.month, r.meetings, r.words, r.team_words) for r in per_month(MEETINGS)] == [
        ("2025-11", 2, 4000, (("lang", 4000),)),
        ("2025-12", 0, 0, ()),
        ("2026-01", 2, 1200, (("cargo", 1200),)),
    ]
    assert filter_meetings(MEETINGS, start=D(2025, 11, 17), end=D(2026, 1, 5)) == MEETINGS[1:3]
    assert filter_meetings(MEETINGS, teams=["CARGO"]) == MEETINGS[2:]
    assert filter_meetings(MEETINGS, person=["Tomas Sedovic"]) == [MEETINGS[0], *MEETINGS[2:]]
    assert filter_meetings(MEETINGS, person=["Ana", "nobody"]) == MEETINGS[:2]
    assert person_key(" @Tomáš  ŠEDOVIČ ") == "tomas sedovic"
    assert per_month([]) == []


def test_per_team_averages_and_record() -> None:
    rows = per_team(MEETINGS)
    assert [(r.team, r.meetings, r.words, r.average_words) for r in rows] == [
        ("cargo", 2, 1200, 600.0), ("lang", 2, 4000, 2000.0)]
    record = stats_record(MEETINGS)
    assert (record["meetings"], record["words"], record["first"], record["last"]) == (
        4, 5200, "2025-11-03", "2026-01-19")
    assert record["teams"] == [
        {"team": "cargo", "meetings": 2, "words": 1200, "average_words": 600.0},
        {"team": "lang", "meetings": 2, "words": 4000, "average_words": 2000.0}]
    assert [short_number(n) for n in (950, 6912, 323_456)] == ["950", "6.9k", "323k"]


def test_series_older_than_twice_their_cadence_are_overdue() -> None:
    series = [Series("lang sync", "lang", 14), Series("cargo sync", "cargo", 7),
              Series("rfl sync", "rfl", 14)]
    today = D(2025, 12, 15)  # 28 days after the last lang meeting: not yet overdue
    rows = series_status(series, MEETINGS[:2], today)
    assert [(r.name, r.meetings, r.last, r.days_since, r.overdue) for r in rows] == [
        ("lang sync", 2, D(2025, 11, 17), 28, False),
        ("cargo sync", 0, None, None, True),
        ("rfl sync", 0, None, None, True),
    ]
    assert [r.name for r in overdue_series(series[:1], MEETINGS[:2], D(2025, 12, 16))] == ["lang sync"]


# -------------------------------------------------------------------------------------------
# Command line


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def good_tree(root: Path) -> Path:
    return write_tree(root, {
        "goalkeeper.toml": '[[minutes.series]]\nname = "Lang triage"\nteam = "lang"\ncadence_days = 7\n',
        "minutes/lang/2026-01-05.md": GOOD.format(date="2026-01-05", filler=FILLER),
        "minutes/lang/2026-02-02.md": GOOD.format(date="2026-02-02", filler=FILLER),
        "minutes/cargo/2026-02-03.md": GOOD.format(date="2026-02-03", filler=FILLER + " extra"),
    })


def test_stats_json_and_table(tmp_path: Path) -> None:
    good_tree(tmp_path)
    code, out, err = run("minutes", "stats", str(tmp_path), "--json")
    assert code == 0, err
    data = json.loads(out)
    words = count_words(GOOD.format(date="2026-01-05", filler=FILLER).encode())
    assert (data["meetings"], data["words"]) == (3, 3 * words + 1)
    assert [m["month"] for m in data["months"]] == ["2026-01", "2026-02"]
    assert data["series"][0]["name"] == "Lang triage" and data["series"][0]["overdue"] is True
    assert "read 3 minutes files: 3 meetings, 0 skipped (0 errors, 0 warnings)" in err

    code, out, _ = run("minutes", "stats", str(tmp_path), "--from", "2026-02", "--team", "lang",
                       "--person", "ALICE")
    assert code == 0
    assert "Meetings attended by ALICE: 1" in out and "2026-02-02" in out and "2026-01-05" not in out

    code, _, err = run("minutes", "stats", str(tmp_path), "--to", "2026-13")
    assert code == 2 and "use YYYY-MM-DD or YYYY-MM" in err


def test_stats_exits_1_when_files_are_skipped_with_errors(tmp_path: Path) -> None:
    code, out, err = run("minutes", "stats", str(malformed_tree(tmp_path)), "--json", "-q")
    assert code == 1
    assert json.loads(out)["meetings"] == 2
    assert "error[minutes-no-date]" in err and "warning[" not in err


def test_stats_charts_png_and_svg(tmp_path: Path) -> None:
    good_tree(tmp_path)
    png, svg = tmp_path / "out/minutes.png", tmp_path / "out/minutes.svg"
    assert run("minutes", "stats", str(tmp_path), "--chart", str(png))[0] == 0
    assert run("minutes", "stats", str(tmp_path), "--chart", str(svg))[0] == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    first = svg.read_bytes()
    assert first.startswith(b"<?xml") and b"<svg" in first
    run("minutes", "stats", str(tmp_path), "--chart", str(svg))
    assert svg.read_bytes() == first  # deterministic
    code, _, err = run("minutes", "stats", str(tmp_path), "--chart", str(tmp_path / "c.pdf"))
    assert code == 2 and ".png or .svg" in err


def test_import_normalises_copies_and_never_overwrites(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "src", {
        "Lang Triage 2026-1-5.md": GOOD.format(date="2026-1-5", filler=FILLER),
        "sub/2026-02-02.md": GOOD.format(date="2026-02-02", filler=FILLER),
        "undated.md": f"# Lang triage\n\n{FILLER}\n",
    })
    (src / "crlf 2026-03-02.md").write_bytes(
        ("\ufeff" + dedent(GOOD.format(date="2026-03-02", filler=FILLER))).replace("\n", "\r\n").encode())
    root = tmp_path / "program"
    root.mkdir()
    code, out, err = run("minutes", "import", str(src), "--team", "lang", str(root))
    assert code == 1  # the undated file was skipped with an error
    assert out.splitlines() == [
        "created   minutes/lang/2026-01-05-lang-triage.md",
        "created   minutes/lang/2026-02-02-lang-triage.md",
        "created   minutes/lang/2026-03-02-lang-triage.md",
    ]
    assert "undated.md:1: error[minutes-no-date]" in err
    assert "3 created, 0 unchanged, 0 conflicts; 1 skipped" in err
    written = (root / "minutes/lang/2026-03-02-lang-triage.md").read_bytes()
    assert b"\r" not in written and not written.startswith(b"\xef\xbb\xbf")

    imported = load_minutes(root)
    source_words = sorted(m.words for m in load_minutes_of(src))
    assert sorted(m.words for m in imported.meetings) == source_words
    assert imported.diagnostics == ()

    (src / "undated.md").unlink()
    code, out, err = run("minutes", "import", str(src), "--team", "lang", str(root))
    assert code == 0 and out.count("unchanged") == 3

    target = root / "minutes/lang/2026-02-02-lang-triage.md"
    target.write_text(target.read_text() + "\nlocal edit\n")
    code, out, err = run("minutes", "import", str(src), "--team", "lang", str(root))
    assert code == 1 and "conflict  minutes/lang/2026-02-02-lang-triage.md" in err
    assert target.read_text().endswith("local edit\n")

    code, _, err = run("minutes", "import", str(src), "--team", "../etc", str(root))
    assert code == 2 and "plain folder name" in err


def load_minutes_of(folder: Path) -> tuple[Meeting, ...]:
    """The meetings of a bare folder of minutes (team: the folder's name)."""
    write_tree(folder.parent / "reader", {
        "goalkeeper.toml": f'[[minutes.folders]]\npath = "{folder.as_posix()}"\nteam = "lang"\n'})
    return load_minutes(folder.parent / "reader").meetings


def test_add_creates_from_the_template_and_never_overwrites(tmp_path: Path) -> None:
    args = ["minutes", "add", str(tmp_path), "--team", "lang", "--date", "2026-03-05",
            "--title", "Lang triage", "--author", "dave", "--attendee", "alice", "--attendee", "bob"]
    code, out, _ = run(*args)
    assert code == 0 and out.strip().endswith("minutes/lang/2026-03-05-lang-triage.md")
    path = tmp_path / "minutes/lang/2026-03-05-lang-triage.md"
    text = path.read_text()
    assert text.startswith("# Lang triage\n\n- Date: 2026-03-05\n- Minutes: dave\n")
    path.write_text(text + FILLER + "\n")
    (m,) = load_minutes(tmp_path).meetings
    assert (m.team, m.date, m.title, m.attendees, m.author) == (
        "lang", D(2026, 3, 5), "Lang triage", ("alice", "bob"), "dave")

    code, _, err = run(*args)
    assert code == 2 and "already exists" in err
    code, _, err = run("minutes", "add", str(tmp_path), "--team", "lang", "--date", "2026-03-06",
                       "--title", "Triage 2026-03-07")
    assert code == 2 and "is not the meeting's date" in err
    code, _, err = run("minutes", "add", str(tmp_path), "--team", "lang", "--date", "2026-03",
                       "--title", "x")
    assert code == 2 and "use YYYY-MM-DD" in err


def test_a_new_file_is_a_stub_until_written(tmp_path: Path) -> None:
    assert run("minutes", "add", str(tmp_path), "--team", "lang", "--date", "2026-03-05",
               "--title", "Lang triage")[0] == 0
    result = load_minutes(tmp_path)
    assert [d.code for d in result.diagnostics] == ["minutes-stub"] and result.meetings == ()
