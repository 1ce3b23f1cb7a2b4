"""Overture Maps places (GeoParquet)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis_py.synth import geo
from analysis_py.synth.common import (
    PURPOSE,
    CityState,
    Options,
    rng_for,
)
from analysis_py.synth.reference import (
    POI_OTHER_CATEGORIES,
    POI_PAPER_CATEGORIES,
)


def write_places(con, opts: Options, out: Path, states: list[CityState]) -> None:
    """Overture Places, release 2023-07-26-alpha.0 schema, as GeoParquet."""
    rng = rng_for(opts.seed, 99, PURPOSE["places"])
    folder = out / "overture"
    folder.mkdir(parents=True, exist_ok=True)
    cats = POI_PAPER_CATEGORIES + POI_OTHER_CATEGORIES
    weights = np.array([3.0] * len(POI_PAPER_CATEGORIES) + [1.0] * len(POI_OTHER_CATEGORIES))
    weights /= weights.sum()
    frames = []
    for st in states:
        g = st.grid
        n = rng.poisson(0.9, size=len(g.tile_ids))
        idx = np.repeat(np.arange(len(g.tile_ids)), n)
        x = g.x0 + (g.cols[idx] + rng.uniform(0.02, 0.98, idx.size)) * geo.TILE_M
        y = g.y0 + (g.rows[idx] + rng.uniform(0.02, 0.98, idx.size)) * geo.TILE_M
        lonlat = geo.transform_points(con, np.column_stack([x, y]), "EPSG:27572", "EPSG:4326")
        frames.append(
            pd.DataFrame(
                {
                    "lon": lonlat[:, 0],
                    "lat": lonlat[:, 1],
                    "main": rng.choice(cats, size=idx.size, p=weights),
                    "confidence": np.round(rng.uniform(0.3, 1.0, idx.size), 4),
                }
            )
        )
    places = pd.concat(frames, ignore_index=True)
    places["id"] = [f"tmp_{int(v):016X}" for v in rng.integers(0, 2**63, size=len(places))]
    places["name"] = [f"Lieu {i}" for i in range(len(places))]
    places["alternate"] = [
        [str(a)] if i % 3 == 0 else [] for i, a in enumerate(rng.choice(cats, size=len(places)))
    ]
    con.register("_places", places)
    con.execute(
        f"""
        copy (
            select id,
                '2023-07-01T00:00:00.000' as updatetime,
                0 as version,
                {{'common': [{{'value': name, 'language': 'local'}}]}} as names,
                {{'main': main, 'alternate': alternate}} as categories,
                confidence,
                {{'minX': lon, 'maxX': lon, 'minY': lat, 'maxY': lat}} as bbox,
                st_point(lon, lat) as geometry
            from _places order by id
        ) to '{folder / "places.parquet"}' (format parquet, compression zstd)
        """
    )
    con.unregister("_places")
