"""What every section shares: the :class:`Section` the page template lays out, a
section that is unavailable with its reason, the data table and the number formats of
the tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

import pandas as pd
from markupsafe import Markup

from analysis_py.report.data import fmt, missing

LISA_COLOURS = {"HH": "#b2182b", "LL": "#2166ac", "HL": "#f4a582", "LH": "#92c5de"}
TRAFFIC_UNIT = "download traffic (operator-normalised, no unit)"


@dataclass
class Section:
    element_id: str
    kind: str  # figure or table
    title: str
    body: Markup = Markup("")
    caption: Markup = Markup("")
    status: str = "available"
    reason: str = ""
    subsections: list[str] = field(default_factory=list)


def unavailable(kind: str, element_id: str, title: str, reason: str) -> Section:
    return Section(element_id, kind, title, status="unavailable", reason=reason)


def html_table(
    frame: pd.DataFrame,
    table_id: str,
    caption: str,
    digits: int = 3,
    formats: dict[str, Callable] | None = None,
) -> Markup:
    """A data table: text left, numbers right-aligned and formatted for reading
    (``formats`` per column, else :func:`fmt` with ``digits``), in a scrolling box so
    that a narrow screen scrolls the table, not the page."""
    formats = formats or {}
    head = "".join(f"<th scope='col'>{escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            if column in formats:
                cells.append(f"<td class='num'>{escape(formats[column](value))}</td>")
            elif isinstance(value, str):
                cells.append(f"<td>{escape(value)}</td>")
            else:
                cells.append(f"<td class='num'>{escape(fmt(value, digits))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return Markup(
        f"<div class='scroll'><table id='{table_id}' class='data'><caption>{escape(caption)}"
        f"</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def pct(digits: int = 3) -> Callable:
    return lambda v: "–" if missing(v) else f"{100 * float(v):,.{digits}f} %"


def suppressed_note(title: str) -> str:
    return (
        f"<p class='suppressed'>{escape(title)}: suppressed by the publication's small-area "
        "rule.</p>"
    )


def svg_or_suppressed(svg: str | None, title: str) -> str:
    return svg if svg is not None else suppressed_note(title)


def pct_interval(low, high) -> str:
    if missing(low) or missing(high):
        return "–"
    return f"[{100 * float(low):,.3f}, {100 * float(high):,.3f}] %"
