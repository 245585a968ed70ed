"""Minutes charts as PNG or SVG files, drawn by matplotlib (Agg): `minutes stats --chart`.

Two panels: words of minutes per month, stacked by team; and average words per meeting per
team, labelled with the number of meetings. Output is deterministic for the same meetings (no
date in the metadata, a fixed SVG hash salt), so re-writing an unchanged chart changes no byte.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence

from ...model import Meeting
from .stats import per_month, per_team, short_number, total_words

FORMATS = ("png", "svg")
#: Okabe–Ito palette: distinguishable with colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
_LOCK = threading.Lock()  # matplotlib's rc state is global: one chart at a time


def minutes_chart(meetings: Sequence[Meeting], fmt: str, title: str = "Meeting minutes") -> bytes:
    """The chart of `meetings` as PNG or SVG bytes (`fmt` is "png" or "svg")."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    months = per_month(meetings)
    teams = per_team(meetings)
    names = [t.team for t in teams]
    colors = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}
    with _LOCK, matplotlib.rc_context(
        {"svg.hashsalt": "goalkeeper", "svg.fonttype": "path", "font.size": 9}
    ):
        fig = Figure(figsize=(9, 4.2 + 0.3 * len(names)), layout="constrained")
        top, bottom = fig.subplots(2, 1, height_ratios=(3, max(1, len(names)) * 0.5 + 0.6))
        x = list(range(len(months)))
        base = [0] * len(months)
        for name in names:
            values = [dict(r.team_words).get(name, 0) for r in months]
            top.bar(x, values, bottom=base, color=colors[name], label=name, width=0.8)
            base = [a + b for a, b in zip(base, values, strict=True)]
        top.set_xticks(x, labels=[r.month for r in months], rotation=45, ha="right")
        top.set_ylabel("words")
        top.set_title(
            f"{title}: {len(meetings)} meetings, {short_number(total_words(meetings))} words",
            loc="left",
        )
        if names:
            top.legend(ncols=min(4, len(names)), fontsize=8, frameon=False)
        y = list(range(len(teams)))
        averages = [t.average_words for t in teams]
        bottom.barh(y, averages, color=[colors[n] for n in names], height=0.6)
        bottom.set_yticks(y, labels=names)
        bottom.invert_yaxis()
        bottom.set_xlabel("average words per meeting")
        for i, t in enumerate(teams):
            bottom.annotate(f" {short_number(t.average_words)} ({t.meetings} meetings)",
                            (averages[i], i), va="center", fontsize=8)
        for ax in (top, bottom):
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        buf = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": "goalkeeper"}
        fig.savefig(buf, format=fmt, dpi=120, metadata=metadata)
    return buf.getvalue()
