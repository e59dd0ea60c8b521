"""Charts drawn as inline SVG in Python: no script, no font, no library fetched by the page.

Two shapes cover the report: ranked horizontal bars (a label and a count per row) and
columns over time (one stacked column per month, an optional marker such as today).
Every drawn datum is a ``<rect class="mark">`` with a ``<title>`` (the browser shows it
on hover), and the ``<svg>`` carries ``data-chart`` and ``data-marks`` so a test or a
scraper can tell what was drawn. Colours come from the page's CSS classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

WIDTH = 880
FONT = 12
CHAR = 6.6  # average advance of a 12 px sans-serif character, to cut labels that would not fit


def cut(text: str, chars: int) -> str:
    """``text`` in at most ``chars`` characters, ``…`` marking a cut."""
    return text if len(text) <= chars else text[: max(1, chars - 1)] + "…"


def _svg(name: str, width: float, height: float, marks: int, body: list[str], label: str) -> str:
    return (
        f'<svg class="chart" data-chart="{escape(name)}" data-marks="{marks}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-label="{escape(label)}">' + "".join(body) + "</svg>"
    )


@dataclass
class Bar:
    label: str
    value: int
    css: str = ""  # extra class: a second colour for a kind of bar
    title: str = ""  # hover text, default "label: value"


def hbars(name: str, bars: list[Bar], label: str, label_width: int = 300, row: int = 22) -> str:
    """Ranked horizontal bars, longest first as given, the count printed at each bar's end."""
    top = max((b.value for b in bars), default=0) or 1
    plot = WIDTH - label_width - 60
    body = []
    for i, b in enumerate(bars):
        y = i * row
        w = max(1.0, plot * b.value / top) if b.value else 0.0
        title = escape(b.title or f"{b.label}: {b.value}")
        body.append(
            f'<text class="label" x="{label_width - 8}" y="{y + row * 0.68:.1f}" text-anchor="end">'
            f"{escape(cut(b.label, int(label_width / CHAR)))}<title>{title}</title></text>"
            f'<rect class="mark {b.css}" x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row - 6}">'
            f"<title>{title}</title></rect>"
            f'<text class="value" x="{label_width + w + 6:.1f}" y="{y + row * 0.68:.1f}">{b.value:,}</text>'
        )
    return _svg(name, WIDTH, max(row, row * len(bars)), sum(1 for b in bars if b.value), body, label)


@dataclass
class Column:
    """One column of a time chart: its label (``2024-05``) and stacked parts ``(value, css class, title)``."""

    label: str
    parts: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(v for v, _, _ in self.parts)


def columns(name: str, cols: list[Column], label: str, ticks: dict[int, str], marker: tuple[float, str] | None = None) -> str:
    """Stacked columns side by side (one per period), tick labels under the given columns, an optional vertical marker.

    ``marker`` is ``(position in columns, text)``: 3.5 is the middle of the fourth column.
    """
    height, left, bottom, top_pad = 220, 44, 28, 18
    plot_w, plot_h = WIDTH - left - 10, height - bottom - top_pad
    top = max((c.total for c in cols), default=0) or 1
    step = plot_w / max(1, len(cols))
    gap = min(2.0, step * 0.2)
    body = [
        f'<line class="axis" x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" y2="{top_pad + plot_h}"/>',
        f'<text class="value" x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{top:,}</text>',
        f'<line class="grid" x1="{left}" y1="{top_pad}" x2="{left + plot_w}" y2="{top_pad}"/>',
        f'<text class="value" x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end">0</text>',
    ]
    marks = 0
    for i, c in enumerate(cols):
        x = left + i * step + gap / 2
        y = top_pad + plot_h
        for value, css, title in c.parts:
            if not value:
                continue
            h = max(1.0, plot_h * value / top)
            y -= h
            marks += 1
            body.append(
                f'<rect class="mark {css}" x="{x:.1f}" y="{y:.1f}" width="{max(1.0, step - gap):.1f}" height="{h:.1f}">'
                f"<title>{escape(c.label)}: {escape(title or str(value))}</title></rect>"
            )
    for i, text in ticks.items():
        x = left + i * step
        body.append(
            f'<line class="tick" x1="{x:.1f}" y1="{top_pad + plot_h}" x2="{x:.1f}" y2="{top_pad + plot_h + 4}"/>'
            f'<text class="label" x="{x + 2:.1f}" y="{height - 8}">{escape(text)}</text>'
        )
    if marker is not None:
        pos, text = marker
        x = left + min(max(pos, 0.0), len(cols)) * step
        anchor = "end" if x > left + plot_w * 0.8 else "start"
        dx = -4 if anchor == "end" else 4
        body.append(
            f'<line class="marker" x1="{x:.1f}" y1="{top_pad - 6}" x2="{x:.1f}" y2="{top_pad + plot_h}"/>'
            f'<text class="marker-label" x="{x + dx:.1f}" y="{top_pad - 6}" text-anchor="{anchor}">{escape(text)}</text>'
        )
    return _svg(name, WIDTH, height, marks, body, label)
