"""Dashboard charts: horizontal stacked bar charts drawn by matplotlib (Agg, SVG output).

The SVG is made deterministic (fixed hash salt, no date), its ids are prefixed so several charts
can sit inline in one page, and its text and axes use `currentColor`, so the page's light or
dark theme colours them.
"""

from __future__ import annotations

import html
import io
import re
import threading
from functools import lru_cache
from typing import Any

# A colour no chart uses otherwise; replaced by `currentColor` in the SVG.
_INK = "#010203"
_LOCK = threading.Lock()  # matplotlib's state is global; one chart at a time

#: Segment colours, readable on light and dark backgrounds (Okabe–Ito palette).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")


@lru_cache(maxsize=64)
def stacked_bars(
    title: str,
    labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[int, ...]], ...],
    *,
    ident: str,
    colors: tuple[tuple[str, str], ...] = (),
) -> str:
    """An inline SVG: one horizontal bar per label, stacked by series (name, value per label).

    `title` is the chart's accessible name (the page shows it as a heading); `ident` prefixes
    the SVG's ids; `colors` fixes a series' colour by name. Drawing takes tens of
    milliseconds, so results are cached by their (hashable) inputs.
    """
    fixed = dict(colors)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rc: dict[str, Any] = {
        "svg.hashsalt": "goalkeeper",
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": 10,
        "text.color": _INK,
        "axes.labelcolor": _INK,
        "axes.edgecolor": _INK,
        "xtick.color": _INK,
        "ytick.color": _INK,
        "legend.frameon": False,
    }
    with _LOCK, matplotlib.rc_context(rc):  # type: ignore[arg-type]  # keys are checked at run time
        height = 1.2 + 0.34 * max(1, len(labels))
        fig = Figure(figsize=(7.5, height))
        ax = fig.add_subplot()
        y = list(range(len(labels)))
        left = [0] * len(labels)
        for i, (name, values) in enumerate(series):
            if not any(values):
                continue
            color = fixed.get(name, PALETTE[i % len(PALETTE)])
            ax.barh(y, values, left=left, label=name, color=color, height=0.62)
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(y, labels=list(labels))
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_facecolor("none")
        fig.patch.set_alpha(0)
        if any(any(v) for _, v in series):
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), borderaxespad=0.4,
                      ncols=min(4, len(series)), fontsize=9)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "goalkeeper"})
    return _inline(buf.getvalue(), ident, title)


def _inline(svg: str, ident: str, title: str) -> str:
    # `ident` and `title` hold names from the repository (milestones, teams): an id keeps
    # only safe characters, and the title is escaped for an attribute, quotes included
    ident = re.sub(r"[^A-Za-z0-9_-]+", "-", ident).strip("-") or "chart"
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)  # it would style the page
    svg = svg.replace(_INK, "currentColor")
    for old in sorted(set(re.findall(r'id="([^"]+)"', svg)), key=len, reverse=True):
        new = f"{ident}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"#{old})", f"#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    svg = re.sub(r'\s(width|height)="[^"]*pt"', "", svg, count=2)
    safe_title = html.escape(title, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{safe_title}" class="chart" ', 1)
