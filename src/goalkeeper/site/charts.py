"""Dashboard charts: horizontal stacked bar charts drawn in the browser by Chartist.

A chart costs the build next to nothing: the page carries the chart's numbers as JSON in a
`data-chart` attribute, and `static/site.js` loads the vendored Chartist
(`static/chartist.js`, 38 kB, only on pages with a chart) to draw an SVG from them. The numbers
are also in the tables beside each chart, so a reader without JavaScript loses nothing. Drawing
with matplotlib in the build cost more than every other page together (a third of a second to
import it, a seventh per chart).

Axes and labels use the page's text colour (see `style.css`), so the light and dark themes both
colour them; each series has a fixed colour, given as an SVG attribute by the script (no
inline styles or scripts in the page).
"""

from __future__ import annotations

import html
import json
from functools import lru_cache

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
    """The HTML of a chart: one horizontal bar per label, stacked by series (name, value per
    label), for `site.js` to draw with its legend (an empty element without JavaScript).

    `title` is the chart's accessible name (the page shows it as a heading); `ident` names the
    chart (a CSS class `chart-<ident>`); `colors` fixes a series' colour by name. Series whose
    values are all zero are left out, as they would draw nothing.
    """
    fixed = dict(colors)
    shown = [
        {"name": name, "color": fixed.get(name, PALETTE[i % len(PALETTE)]), "values": list(values)}
        for i, (name, values) in enumerate(series)
        if any(values)
    ]
    data = {"labels": list(labels), "series": shown}
    css = "".join(c if c.isalnum() or c in "-_" else "-" for c in ident)
    return (
        f'<div class="chart chart-{css}" data-title="{html.escape(title)}" '
        f'data-chart="{html.escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")))}">'
        "</div>"
    )
