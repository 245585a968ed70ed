#!/usr/bin/env python3
"""Time the website: `goalkeeper build` as a whole process, and `goalkeeper serve`'s save-to-reload.

    .venv/bin/python bench/bench_site.py [--runs N]

1. `goalkeeper build ROOT --out DIR` into a fresh folder, whole process (interpreter, imports,
   loading, rendering, charts, search index, writing), on the bundled example and on the public
   rust-lang goals repository in ../shared/data, the latter beside mdBook building the same
   documents (see common.py), interleaved. Target: no slower than mdBook. The build makes its
   documents' pages in as many processes as it may use cores (goalkeeper.parallel); the same
   build in one process (GOALKEEPER_JOBS=1) is timed beside it.
2. Save to reload: a preview server on a copy of the rust-lang repository; an event-stream
   client waits for the reload event while a goal document is saved, then fetches the page and
   checks the edit is in it. The time runs from the write to the page's last byte. Target:
   under 100 ms. Once for an edit of the goal's body, once for an edit of its title, with a
   second client on the milestone's goals page (whose directive lists the goal) at the same time.

Medians of N runs are printed.
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import GOALKEEPER, REAL, ROOT, mdbook_cmd, medians, prepare_mdbook, ratio_line, timed

from goalkeeper.parallel import jobs_wanted

EXAMPLE = ROOT / "examples" / "ferrite"


def time_build(root: Path, runs: int) -> tuple[float, str]:
    times = []
    summary = ""
    for _ in range(runs):
        out = Path(tempfile.mkdtemp(prefix="gk-site-"))
        try:
            t0 = time.perf_counter()
            proc = subprocess.run([*GOALKEEPER, "build", str(root), "--out", str(out)],
                                  capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                sys.exit(f"goalkeeper build failed: {proc.stderr}")
            summary = proc.stdout.splitlines()[0].split(" in ")[0]
        finally:
            shutil.rmtree(out)
    return statistics.median(times), summary


def time_reload(root: Path, runs: int, *, title: bool = False) -> tuple[list[float], list[float]]:
    """Save to reloaded page: a paragraph added to a goal's body, or (`title`) its title
    changed. With `title`, a second page open at the same time is timed too: a page of the
    goal's milestone whose directive lists the goal by its title (the milestone's goals page).
    Returns the times of the saved page and of the listing page (empty without `title`)."""
    from goalkeeper.site.serve import Preview

    work = Path(tempfile.mkdtemp(prefix="gk-serve-"))
    try:
        copy = work / "repo"
        shutil.copytree(root, copy)
        doc = next(p for p in sorted((copy / "src").glob("*/*.md")) if "roadmap-" not in p.name
                   and p.name not in ("README.md", "goals.md"))
        url = "/" + doc.relative_to(copy / "src").with_suffix(".html").as_posix()
        original = doc.read_text()
        heading = next(line for line in original.splitlines() if line.startswith("# "))
        times: list[float] = []
        listing_times: list[float] = []
        with Preview(copy, port=0) as preview:
            preview.start()
            host, port = preview.address.removeprefix("http://").rstrip("/").rsplit(":", 1)
            listing = ""
            if title:
                site = preview.state.site
                assert site is not None
                listing = next("/" + u for u in sorted(site.sources) if u.endswith("/goals.html")
                               and "/" + u.split("/")[0] + "/" in url
                               and heading[2:].encode() in site.files[u])
            for i in range(runs):
                since = preview.state.token
                mark = f"bench edit {i}"

                def listen(page_url: str, done: dict[str, object], since: str = since,
                           mark: str = mark) -> None:
                    conn = http.client.HTTPConnection(host, int(port), timeout=10)
                    conn.request("GET", f"/__goalkeeper/events?since={since}")
                    r = conn.getresponse()
                    buf = b""
                    while b"event: reload" not in buf:
                        line = r.fp.readline()
                        if not line:
                            return
                        buf += line
                    conn.close()
                    page = http.client.HTTPConnection(host, int(port), timeout=10)
                    page.request("GET", page_url)
                    body = page.getresponse().read()
                    done["at"] = time.perf_counter()
                    done["ok"] = mark.encode() in body

                jobs = [(url, times), *([(listing, listing_times)] if title else [])]
                done: list[dict[str, object]] = [{} for _ in jobs]
                threads = [threading.Thread(target=listen, args=(u, d))
                           for (u, _), d in zip(jobs, done, strict=True)]
                for t in threads:
                    t.start()
                time.sleep(0.3)  # the listeners are connected and the watcher idle
                t0 = time.perf_counter()
                doc.write_text(original.replace(heading, f"# {mark}", 1) if title else
                               original.replace("\n## ", f"\n{mark}\n\n## ", 1))
                for t in threads:
                    t.join(timeout=10)
                for (u, out), d in zip(jobs, done, strict=True):
                    if not d.get("ok"):
                        sys.exit(f"{u} did not reload with the edit")
                    out.append(float(d["at"]) - t0)  # type: ignore[arg-type]
    finally:
        shutil.rmtree(work)
    return times, listing_times


def reload_line(label: str, times: list[float]) -> str:
    med = statistics.median(times)
    return (f"  {label:<40} {med * 1e3:7.0f} ms  (min {min(times) * 1e3:.0f}, max "
            f"{max(times) * 1e3:.0f})   target < 100 ms: {'ok' if med < 0.1 else 'MISSED'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    print(f"goalkeeper build and serve, median of {opts.runs} runs (Python {sys.version.split()[0]})")
    t, summary = time_build(EXAMPLE, opts.runs)
    print(f"  {'build examples/ferrite':<40} {t:7.3f} s   ({summary})")
    real = REAL
    if not real.is_dir():
        print(f"  ({real} absent: real-repository figures skipped)")
        return
    work = Path(tempfile.mkdtemp(prefix="gk-mdbook-"))
    try:
        book = prepare_mdbook(real, work)
        gk_out, md_out = work / "gk-site", work / "mdbook-site"
        m = medians({
            "mdbook": timed(mdbook_cmd(book, md_out), before=lambda: shutil.rmtree(md_out, True)),
            "build": timed([*GOALKEEPER, "build", real, "--out", gk_out],
                           before=lambda: shutil.rmtree(gk_out, True)),
            "one": timed(["env", "GOALKEEPER_JOBS=1", *GOALKEEPER, "build", real, "--out", gk_out],
                         before=lambda: shutil.rmtree(gk_out, True)),
        }, opts.runs)
        pages = sum(1 for _ in gk_out.rglob("*.html"))
        md_pages = sum(1 for _ in md_out.rglob("*.html"))
    finally:
        shutil.rmtree(work)
    print(ratio_line("build rust-project-goals", m["build"], m["mdbook"], "mdBook 0.5.4", 1))
    print(f"  (build in one process per idle CPU, {jobs_wanted()} now; mdBook uses one. With"
          f" GOALKEEPER_JOBS=1: {m['one']:.3f} s, x{m['one'] / m['mdbook']:.2f})")
    print(f"  ({pages} HTML files from goalkeeper, {md_pages} from mdBook)")
    runs = max(opts.runs, 5)
    print(reload_line("serve: save to reloaded page", time_reload(real, runs)[0]))
    saved, listing = time_reload(real, runs, title=True)
    print(reload_line("serve: title edit, the goal's page", saved))
    print(reload_line("  and its milestone's goals page", listing))


if __name__ == "__main__":
    main()
