#!/usr/bin/env python3
"""Time the website: `goalkeeper build` as a whole process, and `goalkeeper serve`'s save-to-reload.

    .venv/bin/python bench/bench_site.py [--runs N]

1. `goalkeeper build ROOT --out DIR` into a fresh folder, whole process (interpreter, imports,
   loading, rendering, charts, search index, writing), on the bundled example and on the public
   rust-lang goals repository in ../shared/data, the latter beside mdBook building the same
   documents (see common.py), interleaved. Target: no slower than mdBook.
2. Save to reload: a preview server on a copy of the rust-lang repository; an event-stream
   client waits for the reload event while a goal document is saved, then fetches the page and
   checks the edit is in it. The time runs from the write to the page's last byte. Target:
   under 100 ms.

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


def time_reload(root: Path, runs: int) -> list[float]:
    from goalkeeper.site.serve import Preview

    work = Path(tempfile.mkdtemp(prefix="gk-serve-"))
    try:
        copy = work / "repo"
        shutil.copytree(root, copy)
        doc = next(p for p in sorted((copy / "src").glob("*/*.md")) if "roadmap-" not in p.name
                   and p.name not in ("README.md", "goals.md"))
        url = "/" + doc.relative_to(copy / "src").with_suffix(".html").as_posix()
        original = doc.read_text()
        times: list[float] = []
        with Preview(copy, port=0) as preview:
            preview.start()
            host, port = preview.address.removeprefix("http://").rstrip("/").rsplit(":", 1)
            for i in range(runs):
                since = preview.state.token
                done: dict[str, object] = {}

                def listen(since: str = since, i: int = i, done: dict[str, object] = done) -> None:
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
                    page.request("GET", url)
                    body = page.getresponse().read()
                    done["at"] = time.perf_counter()
                    done["ok"] = f"bench edit {i}".encode() in body

                t = threading.Thread(target=listen)
                t.start()
                time.sleep(0.3)  # the listener is connected and the watcher idle
                t0 = time.perf_counter()
                doc.write_text(original.replace("\n## ", f"\nbench edit {i}\n\n## ", 1))
                t.join(timeout=10)
                if not done.get("ok"):
                    sys.exit("the page did not reload with the edit")
                times.append(float(done["at"]) - t0)  # type: ignore[arg-type]
    finally:
        shutil.rmtree(work)
    return times


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
        }, opts.runs)
        pages = sum(1 for _ in gk_out.rglob("*.html"))
        md_pages = sum(1 for _ in md_out.rglob("*.html"))
    finally:
        shutil.rmtree(work)
    print(ratio_line("build rust-project-goals", m["build"], m["mdbook"], "mdBook 0.5.4", 1))
    print(f"  ({pages} HTML files from goalkeeper, {md_pages} from mdBook)")
    times = time_reload(real, max(opts.runs, 5))
    med = statistics.median(times)
    print(f"  {'serve: save to reloaded page':<40} {med * 1e3:7.0f} ms  (min {min(times) * 1e3:.0f},"
          f" max {max(times) * 1e3:.0f})   target < 100 ms: {'ok' if med < 0.1 else 'MISSED'}")


if __name__ == "__main__":
    main()
