"""The report's commune maps, per metro area: the published boundaries (GeoJSON text of
dim_commune_boundaries, WGS84) read by geopandas and projected to Lambert-93
(EPSG:2154, metres: true shapes), each commune drawn by shapely's plotting helper with
an SVG id of its own, ``<figure>-commune-<code_com>-<class>``, that the browser test
reads; class breaks from mapclassify. Suppressed communes are hatched, never given a
value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.patches import Patch

from analysis_py.report.charts import (
    CMAP,
    MIN_FONT_PT,
    NO_VALUE_FILL,
    STYLE,
    SUPPRESSED_FILL,
    colour_bar,
    figure,
    number,
    to_svg,
)

MAP_CLASSES = 5
HATCH = "////"
# three panels a row: 6.6 in wide at most, so that no label of a map is under 9 px on a
# 600 px screen (the page shrinks a wider figure, and its text with it)
MAP_COLUMNS = 3


def quantile_breaks(values: pd.Series, k: int = MAP_CLASSES) -> list[float]:
    """The k - 1 inner breaks of quantile classes of ``values`` (mapclassify's
    Quantiles; NULLs left out)."""
    import mapclassify

    data = values.dropna().to_numpy(dtype=float)
    return [float(b) for b in mapclassify.Quantiles(data, k=k).bins[:-1]]


def _projected(communes: pd.DataFrame):
    """The communes as a GeoDataFrame in Lambert-93 (geometry from the GeoJSON text)."""
    import geopandas
    import shapely

    geometry = shapely.from_geojson(communes["commune_boundary_geojson"].to_numpy())
    frame = geopandas.GeoDataFrame(communes, geometry=geometry, crs="EPSG:4326")
    return frame.to_crs("EPSG:2154")


def _grid(n: int, columns: int, panel: float, extra: float):
    rows = math.ceil(n / columns)
    fig = figure(columns * panel + extra, rows * panel * 0.95 + 0.4)
    with matplotlib.rc_context(STYLE):
        axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes


def _draw_area(ax, communes, style_of: Callable, title: str, id_prefix: str):
    """One metro area's communes on ``ax``; ``style_of(row)`` -> (face colour, hatched,
    id suffix). Each commune's patch has the SVG id <prefix>-<code_com>-<suffix>."""
    from shapely.plotting import plot_polygon

    for r in communes.itertuples():
        if r.geometry is None or r.geometry.is_empty:
            continue
        face, hatched, suffix = style_of(r)
        patch = plot_polygon(
            r.geometry,
            ax=ax,
            add_points=False,
            facecolor=face,
            edgecolor="#999999" if hatched else "#ffffff",
            linewidth=0.3,
            hatch=HATCH if hatched else None,
        )
        patch.set_gid(f"{id_prefix}-{r.code_com}-{suffix}")
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title, fontsize=MIN_FONT_PT, loc="left")


def class_maps(
    communes: pd.DataFrame, value: str, breaks: Sequence[float], unit: str, salt: str
) -> str:
    """Commune maps of every metro area, filled by class of ``value`` (classes cut at
    ``breaks``), one shared colour scale; suppressed communes hatched."""
    projected = _projected(communes)
    cities = sorted(projected["city"].unique())
    fig, axes = _grid(len(cities), MAP_COLUMNS, 1.95, 0.75)
    n_classes = len(breaks) + 1
    cmap = mcolors.ListedColormap(matplotlib.colormaps[CMAP](np.linspace(0, 1, n_classes)))
    bounds = [float(projected[value].min(skipna=True))] + list(breaks)
    bounds.append(float(projected[value].max(skipna=True)))
    bounds = sorted(set(bounds)) if len(set(bounds)) < len(bounds) else bounds
    norm = mcolors.BoundaryNorm(bounds, cmap.N) if len(bounds) > 1 else None

    def style_of(r):
        v = getattr(r, value)
        if v is None or pd.isna(v):
            return SUPPRESSED_FILL, True, "suppressed"
        cls = int(sum(v > b for b in breaks))
        return cmap(cls), False, f"class{cls}"

    for ax, city in zip(axes, cities, strict=False):
        part = projected[projected["city"] == city].sort_values("code_com")
        _draw_area(ax, part, style_of, city, f"{salt}-commune")
    mappable = matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = colour_bar(
        fig, mappable, list(axes), salt, 0, unit, fraction=0.02, pad=0.01, spacing="uniform"
    )
    bar.set_ticks(bounds, labels=[number(b) for b in bounds])
    fig.legend(
        handles=[Patch(facecolor=SUPPRESSED_FILL, hatch=HATCH, edgecolor="#999999")],
        labels=["suppressed (small population or few tiles)"],
        loc="lower left",
        frameon=False,
    )
    return to_svg(fig, salt, f"Commune maps of {unit}")


def category_maps(
    communes: pd.DataFrame,
    style_of: Callable,
    legend: dict[str, tuple[str, bool]],
    salt: str,
    title: str,
) -> str:
    """Commune maps of every metro area, one colour per category (``style_of(row)`` ->
    (colour, hatched, category)); the legend is the figure's colour scale."""
    projected = _projected(communes)
    cities = sorted(projected["city"].dropna().unique())
    fig, axes = _grid(len(cities), MAP_COLUMNS, 2.1, 0.2)
    for ax, city in zip(axes, cities, strict=False):
        part = projected[projected["city"] == city].sort_values("code_com")
        _draw_area(ax, part, style_of, city, f"{salt}-commune")
    handles = [
        Patch(facecolor=c, hatch=HATCH if h else None, edgecolor="#999999" if h else c)
        for c, h in legend.values()
    ]
    key = fig.legend(
        handles=handles,
        labels=list(legend),
        loc="upper center",
        ncol=min(len(legend), MAP_COLUMNS),
        frameon=False,
        bbox_to_anchor=(0.5, 1.02),
    )
    key.set_gid(f"colour-scale-{salt}-0")
    return to_svg(fig, salt, title)


__all__ = ["MAP_CLASSES", "NO_VALUE_FILL", "category_maps", "class_maps", "quantile_breaks"]
