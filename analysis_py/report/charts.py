"""The report's charts: matplotlib figures written as inline SVG.

Deterministic: each figure's SVG ids come from a fixed salt (``svg.hashsalt``, one per
figure so that ids never clash on the page), no date is written, text stays text
(``svg.fonttype: none``). Every heatmap and map has its colour scale: the colour-bar
axes carry the SVG id ``colour-scale-<figure>-<k>``, which the browser test looks for.
The SVG root loses its fixed size so that the page can scale it (readable from 600 px).
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import re
from collections.abc import Callable, Iterator, Sequence

import matplotlib

matplotlib.use("svg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CMAP = "viridis"  # sequential, colour-blind safe
BAR_POSITIVE, BAR_NEGATIVE = "#3b528b", "#5ec962"
SUPPRESSED_FILL, NO_VALUE_FILL = "#eeeeee", "#dddddd"
STYLE = {
    "svg.fonttype": "none",
    "font.size": 10,
    "font.family": "sans-serif",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
}


# the data's origin, written into every figure's own image (a figure copied out of the
# report still says where its data come from): set by the report for its figures
_BANNER: contextvars.ContextVar[str | None] = contextvars.ContextVar("banner", default=None)
BANNER_COLOUR = "#b2182b"
# the smallest text of a figure, in points: at the figure's full width it reads at
# 4/3 of this in CSS pixels; the widest figures (about 6.6 in with their labels) keep it
# at 9 px or more on a 600 px screen (the browser test measures every text)
MIN_FONT_PT = 9


@contextlib.contextmanager
def origin_banner(text: str | None) -> Iterator[None]:
    """Write ``text`` at the top of every figure made inside the block."""
    token = _BANNER.set(text)
    try:
        yield
    finally:
        _BANNER.reset(token)


def to_svg(fig, salt: str, label: str) -> str:
    """The figure as an inline <svg> element (no XML prolog, no fixed size), with the
    data's origin (``origin_banner``) written above it, in the image itself."""
    banner = _BANNER.get()
    if banner:
        fig.text(
            0.0,
            1.0,
            banner,
            ha="left",
            va="bottom",
            fontsize=MIN_FONT_PT,
            fontweight="bold",
            color=BANNER_COLOUR,
            gid=f"{salt}-origin-banner",
            transform=fig.transFigure,
        )
    buffer = io.StringIO()
    with matplotlib.rc_context({**STYLE, "svg.hashsalt": f"cpc-tor-{salt}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    text = _unique_ids(text[text.index("<svg") :], salt)
    # the root's fixed width/height (points) becomes a maximum width in CSS pixels: the
    # page shrinks the chart on a narrow screen (the viewBox stays), never enlarges it
    head, rest = text.split(">", 1)
    width_pt = float(re.search(r'\swidth="([0-9.]+)pt"', head).group(1))
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    head = head.replace(
        "<svg",
        f'<svg role="img" aria-label="{_attr(label)}" class="chart" '
        f'style="max-width:{width_pt * 4 / 3:.0f}px"',
        1,
    )
    return head + ">" + rest


def _unique_ids(svg: str, salt: str) -> str:
    """Prefix matplotlib's own element ids (axes_1, patch_2, clip paths...) with the
    figure's salt, references included: several figures share one HTML page."""
    own = {
        i
        for i in re.findall(r'\sid="([^"]+)"', svg)
        if not i.startswith((f"{salt}-", "colour-scale-"))
    }
    if not own:
        return svg
    svg = re.sub(
        r'(\sid="|#)([^"\s)]+)',
        lambda m: m.group(1) + (f"{salt}-{m.group(2)}" if m.group(2) in own else m.group(2)),
        svg,
    )
    return svg


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def figure(width: float, height: float):
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(width, height))
    return fig


def colour_bar(fig, mappable, ax, salt: str, k: int, label: str, **kwargs):
    bar = fig.colorbar(mappable, ax=ax, **kwargs)
    bar.set_label(label)
    # large values as 3.5 M rather than an offset "1e6" above the bar
    if max(abs(v) for v in bar.ax.get_ylim()) >= 1e4:
        bar.formatter = matplotlib.ticker.EngFormatter(sep=" ")
        bar.update_ticks()
    bar.ax.set_gid(f"colour-scale-{salt}-{k}")
    return bar


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    salt: str,
    xlabel: str,
    title: str = "",
    value_format: Callable[[float], str] | None = None,
    intervals: Sequence[tuple[float, float] | None] | None = None,
) -> str:
    """Horizontal bars, negative values left of the zero line, the value at each bar
    (``value_format``, e.g. with its unit); ``intervals`` (low, high) per bar, or None
    for a bar without one, drawn as error bars."""
    value_format = value_format or number
    with plt.rc_context(STYLE):
        fig = figure(6.4, 0.9 + 0.28 * len(values))
        ax = fig.add_subplot()
        y = np.arange(len(values))[::-1]
        ax.barh(
            y,
            values,
            color=[BAR_POSITIVE if v >= 0 else BAR_NEGATIVE for v in values],
            height=0.7,
        )
        for yi, v, interval in zip(y, values, intervals or [None] * len(values), strict=True):
            if interval is not None:
                low, high = interval
                bars = ax.errorbar(
                    v,
                    yi,
                    xerr=[[v - low], [high - v]],
                    fmt="none",
                    ecolor="#222222",
                    elinewidth=1,
                    capsize=3,
                )
                bars.lines[2][0].set_gid(f"{salt}-interval-{len(values) - 1 - int(yi)}")
        ax.set_yticks(y, labels)
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlabel(xlabel)
        if title:
            ax.set_title(title, loc="left")
        span = max((abs(v) for v in values), default=1.0) or 1.0
        ends = [
            (iv[1] if v >= 0 else iv[0]) if iv is not None else v
            for v, iv in zip(values, intervals or [None] * len(values), strict=True)
        ]
        for yi, v, end in zip(y, values, ends, strict=True):
            ax.text(
                end + (0.01 * span if v >= 0 else -0.01 * span),
                yi,
                value_format(v),
                va="center",
                ha="left" if v >= 0 else "right",
                fontsize=MIN_FONT_PT,
            )
        ax.margins(x=0.18)
        return to_svg(fig, salt, title or xlabel)


def number(v: float) -> str:
    if v == 0 or 1e-3 <= abs(v) < 1e5:
        return f"{v:,.3g}"
    return f"{v:.3g}"


def heatmap(frame: pd.DataFrame, value: str, title: str, unit: str, salt: str) -> str | None:
    """Day-of-week x hour heatmap (rows Monday..Sunday, columns 0..23) with its colour
    scale; None when every value is suppressed."""
    grid = np.full((7, 24), np.nan)
    for r in frame.itertuples(index=False):
        v = getattr(r, value)
        if v is not None and not pd.isna(v):
            grid[DAYS.index(r.day_of_week), int(r.hour_of_day)] = float(v)
    if np.isnan(grid).all():
        return None
    with plt.rc_context(STYLE):
        fig = figure(5.2, 2.3)
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps[CMAP].with_extremes(bad=NO_VALUE_FILL)
        image = ax.imshow(np.ma.masked_invalid(grid), aspect="auto", cmap=cmap)
        ax.set_yticks(range(7), [d[:3] for d in DAYS])
        ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
        ax.set_xlabel("hour of day (local time)")
        ax.set_title(title, loc="left")
        for spine in ax.spines.values():
            spine.set_visible(False)
        colour_bar(fig, image, ax, salt, 0, unit, fraction=0.05, pad=0.02)
        return to_svg(fig, salt, f"{title} by day of week and hour")


def line_chart(times: Sequence, values: Sequence[float], title: str, ylabel: str, salt: str):
    """A time series with dated x axis and labelled y axis; None when all suppressed."""
    series = pd.Series(
        [np.nan if v is None else float(v) for v in values], index=pd.to_datetime(times)
    )
    if series.isna().all():
        return None
    with plt.rc_context(STYLE):
        fig = figure(8.0, 2.6)
        ax = fig.add_subplot()
        ax.plot(series.index, series.to_numpy(), color=BAR_POSITIVE, linewidth=0.7)
        ax.set_ylim(bottom=0)
        ax.set_ylabel(ylabel)
        ax.set_xlabel("hour (local time)")
        ax.set_title(title, loc="left")
        locator = matplotlib.dates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
        return to_svg(fig, salt, title)


def funnel_chart(
    population: np.ndarray,
    rates: np.ndarray,
    outside: np.ndarray,
    limits: Callable[[np.ndarray, float], tuple[np.ndarray, np.ndarray]],
    target: float,
    levels: Sequence[float],
    unit: str,
    salt: str,
) -> str:
    """A funnel plot: each area's rate against its population (log scale), the target
    line and the control limits at each of ``levels``; areas outside the widest limits
    in a colour of their own (SVG ids <salt>-area-<k>-inside/outside)."""
    with plt.rc_context(STYLE):
        fig = figure(6.4, 4.0)
        ax = fig.add_subplot()
        grid = np.geomspace(population.min(), population.max(), 200)
        ax.axhline(target, color="#333333", linewidth=1, label=f"overall rate {number(target)}")
        for level, style in zip(levels, ["--", "-"], strict=False):
            low, high = limits(grid, level)
            ax.plot(grid, high, style, color="#3b528b", linewidth=1, label=f"{level:.1%} limits")
            ax.plot(grid, np.maximum(low, 0), style, color="#3b528b", linewidth=1)
        for k, (n, v, out) in enumerate(zip(population, rates, outside, strict=True)):
            ax.plot(
                n,
                v,
                "o",
                markersize=3.5,
                color=BANNER_COLOUR if out else "#7f7f7f",
                alpha=0.9,
                gid=f"{salt}-area-{k}-{'outside' if out else 'inside'}",
            )
        ax.set_xscale("log")
        ax.set_xlabel("population (inhabitants, log scale)")
        ax.set_ylabel(unit)
        ax.set_ylim(bottom=0)
        ax.legend(frameon=False, fontsize=MIN_FONT_PT + 1, loc="upper right")
        return to_svg(fig, salt, f"Funnel plot of {unit} against population")
