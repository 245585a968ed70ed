"""The monthly update's sections: initiatives (meetings, topics, action items, watched items),
Worth a look since the previous update, placeholders, `report --json`, and odd input."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from goalkeeper.cli.group import main
from goalkeeper.forge.records import RemoteComment, RemoteIssue
from goalkeeper.render.report_data import parse_ref, watch_events
from goalkeeper.sources.minutes.topics import topics_and_actions
from goalkeeper.sources.posts import read_posts, update_window

from .conftest import EXAMPLE, _shared, write_tree

D = dt.date


def _synced(tmp_path: Path) -> Path:
    root = tmp_path / "ferrite"
    shutil.copytree(EXAMPLE, root)
    for dump in ("ferrite-lang-goals.json", "ferrite-lang-watched.json"):
        r = CliRunner().invoke(main, ["sync", str(root), "--import", str(root / "tracking" / dump)])
        assert r.exit_code == 0, r.output
    return root


# -- topics and action items ------------------------------------------------------------------


def test_topics_from_agenda_and_headings_procedural_ones_left_out() -> None:
    t = topics_and_actions(b"""---
title: x
---
# Council meeting 2026-02-13

## Attendance

- Ana

## Agenda

- Budget
- **Outreachy** [funds](https://x)

## Check-in

## Nominated issues

### "Update on the program" council#161

### Budget

```
## not a heading
- [ ] not an action
```

## Nominated issues not discussed this meeting

### "Later" council#245

## Check-out
""")
    assert t.topics == ("Budget", "Outreachy funds", '"Update on the program" council#161')
    assert t.actions == () and t.agenda


def test_action_items_and_their_owners() -> None:
    t = topics_and_actions(b"""# Sync 2026-11-11

## Notes

- [ ] AI(@rosa-m): write up the frame layout
- [x] done already
- [ ] Freya to publish the demo branch
- [ ] Collect the list
Action (Uma R.): list the symbols.
**AI**: ping the infra team (@olu-a)
Action item: review the draft (Kaveh)

## Next steps

- Schedule the design review
""")
    assert [(a.text, a.owner) for a in t.actions] == [
        ("write up the frame layout", "rosa-m"),
        ("Freya to publish the demo branch", "Freya"),
        ("Collect the list", ""),
        ("list the symbols.", "Uma R."),
        ("ping the infra team (@olu-a)", "olu-a"),
        ("review the draft (Kaveh)", "Kaveh"),
        ("Schedule the design review", ""),
    ]
    assert t.actions[0].line == 5


def test_odd_minutes_give_empty_fields_never_an_error() -> None:
    for data in (b"", b"\xff\xfe\x00garbage", b"no headings at all, just words\n",
                 b"# Only a title\n\n## Agenda\n\n- one\n- two\n", b"- [ ]\n- [ ] \n",
                 b"```\n# unclosed fence\n", b"#" * 10_000):
        t = topics_and_actions(data)
        assert isinstance(t.topics, tuple) and isinstance(t.actions, tuple)
    agenda_only = topics_and_actions(b"# Only a title\n\n## Agenda\n\n- one\n- two\n")
    assert agenda_only.topics == ("one", "two")
    assert topics_and_actions(b"words only\n").topics == ()


# -- watched items ----------------------------------------------------------------------------


def _issue(state: str = "OPEN", closed: str = "", comments: tuple[RemoteComment, ...] = (),
           labels: tuple[str, ...] = ()) -> RemoteIssue:
    return RemoteIssue("rust-lang/rfcs", 3502, "n", "RFC", "", state, "https://x/3502", "a",
                       "2026-01-20T10:00:00Z", "2026-02-20T00:00:00Z", closed, labels, comments=comments)


def _bot(day: str, body: str, author: str = "rfcbot") -> RemoteComment:
    return RemoteComment("c" + day, 1, "", author, "Bot", body, f"{day}T10:00:00Z", f"{day}T10:00:00Z")


def test_watch_events_from_state_dates_and_rfcbot() -> None:
    comments = (
        _bot("2026-01-25", "Team member @tmandry has proposed to merge this. The next step is ..."),
        _bot("2026-02-03", "@rfcbot concern x", author="someone"),
        _bot("2026-02-04", ":bell: **This is now entering its final comment period**, as per the "
                           "[review above](https://x). :bell:"),
        _bot("2026-02-14", "The final comment period, with a disposition to **merge**, as per the "
                           "[review above](https://x), is now **complete**."),
    )
    issue = _issue("MERGED", "2026-02-20T12:00:00Z", comments, ("disposition-merge",))
    feb = watch_events(issue, D(2026, 2, 1), D(2026, 3, 1))
    assert [(e.date, e.what, e.disposition) for e in feb] == [
        ("2026-02-04", "FCP started", "merge"), ("2026-02-14", "FCP finished", "merge"),
        ("2026-02-20", "merged", "")]
    jan = watch_events(issue, D(2026, 1, 1), D(2026, 2, 1))
    assert [(e.what, e.disposition) for e in jan] == [("opened", ""), ("FCP proposed", "merge")]
    closed = _issue("CLOSED", "2026-02-02T00:00:00Z")
    assert [e.what for e in watch_events(closed, D(2026, 2, 1), D(2026, 3, 1))] == ["closed"]
    assert parse_ref("rust-lang/rfcs#3502") == ("rust-lang/rfcs", 3502)
    assert parse_ref("https://github.com/rust-lang/rust/pull/150652") == ("rust-lang/rust", 150652)
    assert parse_ref("https://github.com/rust-lang/rust/issues/2/") == ("rust-lang/rust", 2)
    assert parse_ref("rfcs 3502") is None


# -- Worth a look: since the previous update ---------------------------------------------------


def test_update_window_runs_from_the_previous_update_to_this_ones_date(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "end.md": '+++\npath = "inside-rust/2025/12/19/pmu--end-of-2025"\n'
                  'title = "Program management update — End of 2025"\n+++\n',
        "jan.md": '+++\npath = "inside-rust/2026/02/11/pmu-2026-01"\n'
                  'title = "Program management update — January 2026"\n+++\n',
        "feb.md": '---\ndate: 2026-03-27\ntitle: "Program management update — February 2026"\n---\n',
        "undated.md": "# no date\n",
    })
    posts = read_posts(tmp_path)
    assert [(p.date, p.month) for p in posts] == [
        (D(2025, 12, 19), "2025-12"), (D(2026, 2, 11), "2026-01"), (D(2026, 3, 27), "2026-02")]
    today = D(2026, 4, 20)
    assert update_window(posts, "2026-01", today, D(2026, 1, 1), D(2026, 2, 1)) == (
        D(2025, 12, 19), D(2026, 2, 11))
    assert update_window(posts, "2026-02", today, D(2026, 2, 1), D(2026, 3, 1)) == (
        D(2026, 2, 11), D(2026, 3, 27))
    assert update_window(posts, "2026-03", today, D(2026, 3, 1), D(2026, 4, 1)) == (
        D(2026, 3, 27), today)  # not published yet: up to the day it is drafted
    assert update_window([], "2026-03", today, D(2026, 3, 1), D(2026, 4, 1)) == (
        D(2026, 3, 1), D(2026, 4, 1))


def test_the_real_updates_give_their_own_dates() -> None:
    posts = read_posts(_shared("blog") / "program-management-updates")
    by_month = {p.month: p.date for p in posts}
    assert by_month["2026-02"] == D(2026, 3, 27) and by_month["2025-12"] == D(2025, 12, 19)
    assert len(posts) >= 10


def test_worth_a_look_lists_posts_since_the_previous_update_oldest_first(tmp_path: Path) -> None:
    root = tmp_path / "f"
    shutil.copytree(EXAMPLE, root)
    (root / "feeds" / "ferrite-blog.xml").write_text("""<?xml version="1.0"?>
<rss version="2.0"><channel><title>x</title>
<item><title>Late</title><link>https://x/late</link><pubDate>Wed, 02 Dec 2026 10:00:00 GMT</pubDate></item>
<item><title>Mid</title><link>https://x/mid</link><pubDate>Tue, 10 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>Before</title><link>https://x/b</link><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>First</title><link>https://x/first</link><pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>No date</title><link>https://x/nodate</link></item>
</channel></rss>""")
    r = CliRunner().invoke(main, ["report", str(root), "--month", "2026-11", "--until", "2026-12-05"])
    assert r.exit_code == 0, r.output
    part = r.stdout.split("### Ferrite blog", 1)[1].split("###", 1)[0]
    assert [line.split("]")[0][3:] for line in part.split("\n") if line.startswith("* ")] == [
        "First", "Mid", "Late"]  # from 3 November, the October update's date
    assert "1 entry has no publication date" in r.stdout  # a note in the draft
    assert "1 entry has no publication date" in r.stderr


# -- placeholders, JSON, odd input ------------------------------------------------------------


def test_json_carries_the_same_facts_as_the_draft(tmp_path: Path) -> None:
    root = _synced(tmp_path)
    r = CliRunner().invoke(main, ["report", str(root), "--month", "2026-11", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    md = CliRunner().invoke(main, ["report", str(root), "--month", "2026-11"]).stdout
    assert [i["name"] for i in data["initiatives"]] == [
        "Ferrite for Kernels", "Ferrite in CPython", "Single-file smelt scripts", "Registry mirroring"]
    kernels = data["initiatives"][0]
    assert kernels["meetings_per_series"] == [["Ferrite for Kernels sync", 1]]
    assert kernels["meetings"][0]["topics"] == ["Interrupt ABI", "Fallible allocation status"]
    assert kernels["meetings"][0]["actions"][0] == {
        "text": "write up the frame layout questions for the December lang design meeting",
        "owner": "rosa-m", "line": 23}
    smelt = data["initiatives"][2]
    assert [(w["ref"], [e["what"] for e in w["events"]]) for w in smelt["watched"]] == [
        ("ferrite-lang/ferrite#4410", ["opened", "merged"]),
        ("ferrite-lang/rfcs#3502", ["FCP proposed", "FCP started", "FCP finished"])]
    assert data["sections"] == ["Hiring", "Announcements"]
    assert data["worth_since"] == "2026-11-03"
    for team in data["stats"]["teams"]:
        assert f"* {team['name']}: " in md
    assert [g["title"] for g in data["worth"]] == ["Ferrite blog", "Ferrite Foundation"]
    for group in data["worth"]:
        for item in group["items"]:
            assert f"[{item['title']}]({item['url']})" in md


def test_odd_minutes_and_feeds_give_notes_and_the_draft_is_still_written(tmp_path: Path) -> None:
    filler = " ".join(f"w{i}" for i in range(80))
    write_tree(tmp_path, {
        "goalkeeper.toml": """
            [[minutes.series]]
            name = "Sync"
            team = "sync"
            cadence_days = 14

            [report]
            sections = ["Hiring"]

            [[report.feeds]]
            name = "Undated"
            path = "undated.xml"

            [[report.initiatives]]
            name = "Odd"
            series = ["Sync", "Nope"]
            goals = ["no-such-goal"]
            watch = ["not a ref", "org/repo#5"]
        """,
        "src/2026/README.md": "# 2026\n",
        "undated.xml": "<rss version='2.0'><channel><title>u</title><item><title>A</title>"
                       "<link>https://x/a</link></item></channel></rss>",
        "minutes/sync/2026-02-03.md": f"# Sync 2026-02-03\n\nAttendees: A, B\n\n{filler}\n",
        "minutes/sync/2026-02-10.md": f"# Sync 2026-02-10\n\nAttendees: A\n\n## Agenda\n\n- One\n\n"
                                      f"- [ ] someone should do it\n\n{filler}\n",
    })
    for extra in ([], ["--json"]):
        r = CliRunner().invoke(main, ["report", str(tmp_path), "--month", "2026-02", *extra])
        assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["report", str(tmp_path), "--month", "2026-02"])
    out = r.stdout
    assert "## Odd" in out and "Meetings held: Sync: 2." in out
    assert "## Hiring\n\n<!-- write: Hiring -->" in out
    for note in ("2026-02-03.md: no section headings or agenda items",
                 "action item without an owner: someone should do it",
                 "no [[minutes.series]] named 'Nope'", "no goal 'no-such-goal'",
                 "cannot read watched item 'not a ref'", "org/repo#5 is not synced yet",
                 "no publication date"):
        assert note in out, note
    assert "Topics: One" in out


def test_real_minutes_meetings_per_series_and_topics(tmp_path: Path) -> None:
    """The Leadership Council's sync meetings of each month, counted as the files of the month."""
    minutes = _shared("minutes")
    write_tree(tmp_path, {
        "goalkeeper.toml": f"""
            [[minutes.folders]]
            path = "{minutes.as_posix()}/leadership-council"
            team = "leadership-council"

            [[minutes.series]]
            name = "Council sync"
            team = "leadership-council"
            cadence_days = 14

            [report]
            minutes_url = "https://github.com/rust-lang/leadership-council/blob/main/minutes/sync-meeting/{{name}}"

            [[report.initiatives]]
            name = "Leadership Council"
            series = ["Council sync"]
        """,
        "src/2026/README.md": "# 2026\n",
    })
    files = sorted((minutes / "leadership-council" / "sync-meeting").glob("20??-??-??.md"))
    for month in ("2025-10", "2025-11", "2026-02", "2026-05"):
        r = CliRunner().invoke(main, ["report", str(tmp_path), "--month", month, "--json"])
        assert r.exit_code == 0, r.output
        sec = json.loads(r.stdout)["initiatives"][0]
        want = sum(1 for f in files if f.name.startswith(month))
        assert sec["meetings_per_series"] == [["Council sync", want]], month
        assert all(m["topics"] for m in sec["meetings"])  # every council meeting has sections
        for m in sec["meetings"]:
            assert m["url"] == ("https://github.com/rust-lang/leadership-council/blob/main/minutes/"
                                f"sync-meeting/{m['date']}.md")


def test_initiative_lists_its_goals_created_or_accepted_in_the_month(tmp_path: Path) -> None:
    import os
    import subprocess

    root = tmp_path / "f"
    shutil.copytree(EXAMPLE, root)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}

    def commit(day: str) -> None:
        when = {"GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00"}
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env={**env, **when})
        subprocess.run(["git", "-C", str(root), "commit", "-qm", day], check=True, env={**env, **when})

    fallible = root / "src" / "2026" / "fallible-alloc.md"
    accepted = fallible.read_text()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    proposed = accepted.replace("| Status           | Accepted ", "| Status           | Proposed ", 1)
    fallible.write_text(proposed)
    commit("2026-10-15")
    fallible.write_text(accepted)
    new = accepted.replace("# Fallible allocation for collections", "# Kernel-safe formatting", 1)
    (root / "src" / "2026" / "kernel-fmt.md").write_text(
        new.replace("| Status           | Accepted ", "| Status           | Proposed ", 1)
        .replace("[ferrite-lang/goals#206]", "TBD                     "))
    commit("2026-11-10")
    r = CliRunner().invoke(main, ["report", str(root), "--month", "2026-11"])
    assert r.exit_code == 0, r.output
    section = r.stdout.split("## Ferrite for Kernels", 1)[1].split("\n## ", 1)[0]
    assert "Goals:\n\n- Fallible allocation for collections: accepted\n" \
           "- Kernel-safe formatting: created (Proposed)\n" in section


def test_worth_a_look_from_blog_folders_reproduces_the_published_links(tmp_path: Path) -> None:
    """Folders of the real blog posts as feeds: every post of theirs that a published update's
    Worth a look links to is in the draft of that month, whose window runs from the previous
    update's date to its own."""
    import re

    blog = _shared("blog")
    feeds = "".join(f'\n[[report.feeds]]\nname = "{name}"\npath = "{(blog / name).as_posix()}"\n'
                    f'base_url = "https://blog.rust-lang.org/"\n'
                    for name in ("project-goals-updates", "goals-calls-and-announcements"))
    write_tree(tmp_path, {"src/2026/README.md": "# 2026\n"})
    (tmp_path / "goalkeeper.toml").write_text(
        f'[report]\nposts = "{(blog / "program-management-updates").as_posix()}"\n' + feeds)
    known = {p.url_path for name in ("project-goals-updates", "goals-calls-and-announcements")
             for p in read_posts(blog / name)}
    checked = 0
    for post in read_posts(blog / "program-management-updates"):
        text = Path(post.path).read_text()
        if "## Worth a look" not in text or not post.month:
            continue
        worth = text.split("## Worth a look", 1)[1].split("\n## ", 1)[0]
        linked = {m.strip("/") for m in re.findall(r"https://blog\.rust-lang\.org/([^)\s>]+)", worth)}
        wanted = linked & known
        r = CliRunner().invoke(main, ["report", str(tmp_path), "--month", post.month])
        assert r.exit_code == 0, r.output
        ours = r.stdout.split("## Worth a look", 1)[1] if "## Worth a look" in r.stdout else ""
        for path in wanted:
            assert f"https://blog.rust-lang.org/{path}/" in ours, (post.month, path)
        checked += len(wanted)
    assert checked >= 1  # May 2026 links the April goals update of 18 May


def test_unknown_report_keys_are_warnings_naming_the_closest(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "goalkeeper.toml": '[report]\nposst = "x"\n\n[report.stats]\nscribe = ["a"]\n\n'
                           '[[report.initiatives]]\nname = "x"\nserie = ["y"]\n',
        "src/2026/README.md": "# 2026\n",
    })
    r = CliRunner().invoke(main, ["report", str(tmp_path), "--month", "2026-01"])
    assert r.exit_code == 0, r.output
    # goalkeeper.toml is checked in one place (config_schema): each unknown key is warned once
    for key, close in (("report.posst", "report.posts"), ("report.stats.scribe", "report.stats.scribes")):
        assert r.stderr.count(f"unknown key `{key}` is ignored; did you mean `{close}`?") == 1, r.stderr
    assert r.stderr.count("`serie`") + r.stderr.count(".serie`") == 1, r.stderr
