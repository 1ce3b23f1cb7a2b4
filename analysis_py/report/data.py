"""The report's data: a publication's Parquet files and record, and number formatting.
The report reads nothing else (no build database, no dbt_project.yml)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

TILE_LEVEL = "needs the tile-level NetMob traffic"
SPATIAL_NEED = "needs the study communes' polygons of a NetMob build"


@dataclass
class Publication:
    folder: Path
    record: dict
    tables: dict[str, pd.DataFrame]

    def get(self, name: str) -> pd.DataFrame | None:
        return self.tables.get(name)

    @property
    def settings(self) -> dict:
        return self.record.get("settings", {})

    @property
    def origin(self) -> dict:
        return self.record.get("data_origin", {})


def load(folder: Path) -> Publication:
    """Read every Parquet file of a publication folder (``current`` or a version)."""
    folder = folder.resolve()
    record_path = folder / "publication.json"
    if not record_path.exists():
        raise FileNotFoundError(
            f"{record_path}: not a publication (run `make publish` or `cpc-tor publish` first)"
        )
    record = json.loads(record_path.read_text())
    tables = {}
    with duckdb.connect() as con:
        for name in sorted(record["tables"]):
            path = folder / f"{name}.parquet"
            tables[name] = con.execute(f"select * from read_parquet('{path}')").df()
    return Publication(folder, record, tables)


def missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fmt(value, digits: int = 3) -> str:
    """A number for reading: thousands separators, ``digits`` decimals, scientific
    notation only for very small or very large values; '–' for none."""
    if missing(value):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    value = float(value)
    if value != 0 and (abs(value) < 10 ** (-digits) or abs(value) >= 1e6):
        return f"{value:.{digits}e}"
    return f"{value:,.{digits}f}"


def interval(low, high, digits: int = 3) -> str:
    """'[low, high]' for reading, '–' when there is no interval."""
    if missing(low) or missing(high):
        return "–"
    return f"[{fmt(float(low), digits)}, {fmt(float(high), digits)}]"


def interval_pct(row, name: str) -> str:
    low, high = row.get(f"{name}_ci_low"), row.get(f"{name}_ci_high")
    if missing(low):
        return ""
    return "[" + fmt(100 * float(low), 3) + ", " + fmt(100 * float(high), 3) + "]"


def missing_reason(pub: Publication, mart: str, need: str = TILE_LEVEL) -> str:
    source = pub.settings.get("traffic_source", "netmob")
    if source == "published":
        return (
            f"{need}; this publication was built from the authors' published commune "
            f"totals (traffic_source: published), so {mart} does not exist"
        )
    return f"the mart {mart} is not in this publication"
