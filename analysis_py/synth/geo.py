"""Synthetic geography: a NetMob-style 100 m tile grid per city and commune polygons.

The grid is aligned to EPSG:27572 (as NetMob's is); ``tile_id = row * n_cols + col``
with row 0 at the south edge. The city keeps the ``n_tiles`` cells nearest its centre.
Communes are the Voronoi cells of jittered seed points, clipped to the inner part of
the city, so the outer ring of tiles lies in no commune (the pipeline must count those
tiles, not lose them). Which commune holds each tile centroid is known by construction
(nearest seed); seeds are nudged until no centroid lies within ``MARGIN_M`` of a
commune edge, so the pipeline's geometric test cannot disagree with the truth through
rounding.

All transforms go 27572 -> 4326 (tiles and communes alike), and communes are densified
before transforming, so the pipeline's 4326 -> 2154 step treats both identically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis_py.synth.reference import City

TILE_M = 100.0
MARGIN_M = 0.5  # minimal distance of a tile centroid from a commune edge
DENSIFY_M = 10.0  # max segment length before reprojection
INNER_SHARE = 0.93  # share of the city's tiles that lie inside a commune


@dataclass
class CityGrid:
    city: City
    n_rows: int
    n_cols: int
    x0: float  # EPSG:27572 easting of the grid's south-west corner
    y0: float
    tile_ids: np.ndarray  # sorted
    rows: np.ndarray
    cols: np.ndarray
    inner: np.ndarray  # bool: centroid inside the communes' territory
    territory: list[tuple[float, float]] = field(default_factory=list)  # 27572 ring

    @property
    def centroids(self) -> np.ndarray:
        return np.column_stack(
            [self.x0 + (self.cols + 0.5) * TILE_M, self.y0 + (self.rows + 0.5) * TILE_M]
        )


def transform_points(con, xy: np.ndarray, source: str, target: str) -> np.ndarray:
    """Reproject an (n, 2) array of x/y (lon/lat order for geographic CRSs)."""
    if len(xy) == 0:
        return xy.reshape(0, 2)
    frame = pd.DataFrame({"i": np.arange(len(xy)), "x": xy[:, 0], "y": xy[:, 1]})
    con.register("_pts_frame", frame)
    out = con.execute(
        f"""
        select st_x(p) as x, st_y(p) as y from (
            select i, st_transform(st_point(x, y), '{source}', '{target}', always_xy := true) as p
            from _pts_frame
        ) order by i
        """
    ).fetchnumpy()
    con.unregister("_pts_frame")
    return np.column_stack([out["x"], out["y"]])


def build_grid(con, city: City, n_tiles: int, rng: np.random.Generator) -> CityGrid:
    """The ``n_tiles`` cells nearest the (slightly off-centre) city centre."""
    side = int(np.ceil(np.sqrt(n_tiles * 4 / np.pi) * 1.1)) + 4
    n_rows = side + int(rng.integers(0, 5))
    n_cols = side + int(rng.integers(0, 5))
    cx, cy = transform_points(con, np.array([[city.lon, city.lat]]), "EPSG:4326", "EPSG:27572")[0]
    x0 = np.floor(cx / TILE_M) * TILE_M - (n_cols // 2) * TILE_M
    y0 = np.floor(cy / TILE_M) * TILE_M - (n_rows // 2) * TILE_M
    rr, cc = np.meshgrid(np.arange(n_rows), np.arange(n_cols), indexing="ij")
    rr, cc = rr.ravel(), cc.ravel()
    # an off-grid centre breaks distance ties
    centre = np.array([n_cols / 2 + 0.3719, n_rows / 2 + 0.2113])
    dist = np.hypot(cc + 0.5 - centre[0], rr + 0.5 - centre[1])
    order = np.argsort(dist, kind="stable")
    keep = np.sort(order[:n_tiles])
    n_inner = max(1, int(round(INNER_SHARE * n_tiles)))
    inner_cut = 0.5 * (dist[order[n_inner - 1]] + dist[order[min(n_inner, n_tiles - 1)]])
    rows, cols = rr[keep], cc[keep]
    tile_ids = rows * n_cols + cols
    inner = dist[keep] < inner_cut
    grid = CityGrid(city, n_rows, n_cols, x0, y0, tile_ids, rows, cols, inner)
    grid.territory = _staircase_ring(grid)
    return grid


def _staircase_ring(grid: CityGrid) -> list[tuple[float, float]]:
    """Outline (27572) of the union of inner cells: one contiguous run per row."""
    rows = grid.rows[grid.inner]
    cols = grid.cols[grid.inner]
    right, left = [], []
    for r in np.unique(rows):
        c = cols[rows == r]
        if c.max() - c.min() + 1 != c.size:
            raise AssertionError("inner cells of a row must be contiguous")
        y_lo, y_hi = grid.y0 + r * TILE_M, grid.y0 + (r + 1) * TILE_M
        x_lo, x_hi = grid.x0 + c.min() * TILE_M, grid.x0 + (c.max() + 1) * TILE_M
        right += [(x_hi, y_lo), (x_hi, y_hi)]
        left += [(x_lo, y_lo), (x_lo, y_hi)]
    ring = right + left[::-1]
    ring.append(ring[0])
    return ring


def place_seeds(grid: CityGrid, n_communes: int, rng: np.random.Generator) -> np.ndarray:
    """Seed points (27572) of the commune Voronoi cells, at least 3 cells apart."""
    centroids = grid.centroids
    inner_idx = np.flatnonzero(grid.inner)
    if n_communes > inner_idx.size:
        raise ValueError(
            f"{grid.city.name}: {n_communes} communes need at least as many inner tiles "
            f"(have {inner_idx.size}); raise --tiles-per-city"
        )
    chosen: list[int] = []
    for idx in rng.permutation(inner_idx):
        if all(np.hypot(*(centroids[idx] - centroids[j])) >= 3 * TILE_M for j in chosen):
            chosen.append(int(idx))
        if len(chosen) == n_communes:
            break
    for idx in rng.permutation(inner_idx):  # fall back to tighter spacing if needed
        if len(chosen) == n_communes:
            break
        if idx not in chosen:
            chosen.append(int(idx))
    seeds = centroids[chosen] + rng.uniform(-30.0, 30.0, size=(len(chosen), 2))
    # nudge seeds until every inner centroid is clearly on one side of each edge
    inner_xy = centroids[grid.inner]
    for _ in range(10_000):
        nearest, second, margin = _voronoi_margin(inner_xy, seeds)
        bad = margin < MARGIN_M
        if not bad.any():
            return seeds
        movers = np.unique(np.concatenate([nearest[bad], second[bad]]))
        seeds[movers] += rng.uniform(-1.0, 1.0, size=(movers.size, 2))
    raise RuntimeError("could not place commune seeds away from tile centroids")


def _voronoi_margin(points: np.ndarray, seeds: np.ndarray):
    """Nearest seed, second nearest, and the distance of each point to their bisector."""
    d2 = ((points[:, None, :] - seeds[None, :, :]) ** 2).sum(axis=2)
    order = np.argsort(d2, axis=1)[:, :2]
    a, b = order[:, 0], order[:, 1]
    rows = np.arange(len(points))
    gap = np.hypot(*(seeds[a] - seeds[b]).T)
    margin = (d2[rows, b] - d2[rows, a]) / (2.0 * gap)
    return a, b, margin


def assign_tiles(grid: CityGrid, seeds: np.ndarray) -> np.ndarray:
    """Commune index of every tile (nearest seed), -1 for tiles outside the territory."""
    if len(seeds) == 1:
        nearest = np.zeros(len(grid.tile_ids), dtype=int)
    else:
        nearest, _, _ = _voronoi_margin(grid.centroids, seeds)
    return np.where(grid.inner, nearest, -1)


def commune_polygons(con, grid: CityGrid, seeds: np.ndarray) -> list[str]:
    """WKT (27572) of each seed's Voronoi cell clipped to the city territory."""
    territory = "POLYGON((" + ", ".join(f"{x} {y}" for x, y in grid.territory) + "))"
    if len(seeds) == 1:
        return [territory]
    # four far-away helper seeds bound every real cell by bisectors of real seeds
    cx, cy = seeds.mean(axis=0)
    far = 500_000.0
    helpers = np.array(
        [[cx - far, cy - far], [cx + far, cy - far], [cx + far, cy + far], [cx - far, cy + far]]
    )
    points = ", ".join(f"{x!r} {y!r}" for x, y in np.concatenate([seeds, helpers]).tolist())
    rows = con.execute(
        f"""
        with cells as (
            select unnest(st_dump(st_voronoidiagram(
                st_geomfromtext('MULTIPOINT({points})')
            ))).geom as cell
        ),
        seeds as (
            select i, st_point(x, y) as seed
            from (select unnest(range({len(seeds)})) as i,
                         unnest(?::double[]) as x, unnest(?::double[]) as y)
        )
        select s.i, st_astext(st_intersection(c.cell, st_geomfromtext('{territory}')))
        from seeds s join cells c on st_contains(c.cell, s.seed)
        order by s.i
        """,
        [seeds[:, 0].tolist(), seeds[:, 1].tolist()],
    ).fetchall()
    if [r[0] for r in rows] != list(range(len(seeds))):
        raise AssertionError("every seed must fall in exactly one Voronoi cell")
    return [r[1] for r in rows]


def _densify(ring: np.ndarray, max_len: float) -> np.ndarray:
    out = [ring[:1]]
    for a, b in zip(ring[:-1], ring[1:], strict=True):
        n = max(1, int(np.ceil(np.hypot(*(b - a)) / max_len)))
        t = np.arange(1, n + 1)[:, None] / n
        out.append(a + (b - a) * t)
    return np.concatenate(out)


def reproject_polygon_wkt(con, wkt: str, source: str, target: str) -> str:
    """Densify a (multi)polygon and reproject it vertex by vertex; returns WKT."""
    geojson = json.loads(
        con.execute("select st_asgeojson(st_geomfromtext(?))", [wkt]).fetchone()[0]
    )
    if geojson["type"] == "Polygon":
        polygons = [geojson["coordinates"]]
    elif geojson["type"] == "MultiPolygon":
        polygons = geojson["coordinates"]
    else:
        raise ValueError(f"unexpected geometry type {geojson['type']}")
    rings = [_densify(np.asarray(r, dtype=float), DENSIFY_M) for poly in polygons for r in poly]
    moved = transform_points(con, np.concatenate(rings), source, target)
    parts, start = [], 0
    ring_iter = iter(rings)
    for poly in polygons:
        ring_texts = []
        for _ in poly:
            ring = next(ring_iter)
            xy = moved[start : start + len(ring)]
            start += len(ring)
            ring_texts.append("(" + ", ".join(f"{x!r} {y!r}" for x, y in xy.tolist()) + ")")
        parts.append("(" + ", ".join(ring_texts) + ")")
    if len(parts) == 1:
        return "POLYGON " + parts[0]
    return "MULTIPOLYGON (" + ", ".join(parts) + ")"


def tile_corners_lonlat(con, grid: CityGrid) -> np.ndarray:
    """(n_tiles, 5, 2) closed rings of each tile in WGS84 lon/lat (counter-clockwise)."""
    x = grid.x0 + grid.cols * TILE_M
    y = grid.y0 + grid.rows * TILE_M
    corners = np.stack(
        [
            np.column_stack([x, y]),
            np.column_stack([x + TILE_M, y]),
            np.column_stack([x + TILE_M, y + TILE_M]),
            np.column_stack([x, y + TILE_M]),
        ],
        axis=1,
    )
    moved = transform_points(con, corners.reshape(-1, 2), "EPSG:27572", "EPSG:4326")
    moved = moved.reshape(-1, 4, 2)
    return np.concatenate([moved, moved[:, :1, :]], axis=1)


def tiles_geojson(grid: CityGrid, rings: np.ndarray) -> bytes:
    """NetMob-style tile GeoJSON: one Polygon feature per tile, property tile_id."""
    parts = [b'{"type": "FeatureCollection", "features": [\n']
    features = []
    for tile_id, ring in zip(grid.tile_ids.tolist(), rings, strict=True):
        coords = ", ".join(f"[{lon:.9f}, {lat:.9f}]" for lon, lat in ring.tolist())
        features.append(
            f'{{"type": "Feature", "properties": {{"tile_id": {tile_id}}}, '
            f'"geometry": {{"type": "Polygon", "coordinates": [[{coords}]]}}}}'
        )
    parts.append(",\n".join(features).encode())
    parts.append(b"\n]}\n")
    return b"".join(parts)
