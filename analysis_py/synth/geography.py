"""Commune and tile geography of each city (the study communes, Paris/Lyon/Marseille
parents, extra communes of the departments)."""

from __future__ import annotations

import math

import numpy as np

from analysis_py.synth import geo
from analysis_py.synth.common import (
    PURPOSE,
    RHO_MEAN,
    RHO_SD,
    CityState,
    Codes,
    Commune,
    Options,
    commune_name,
    rng_for,
    synthetic_name,
)
from analysis_py.synth.reference import (
    City,
)

# ---------------------------------------------------------------- geography


def build_city(con, opts: Options, city: City, index: int, codes: Codes) -> CityState:
    rng = rng_for(opts.seed, index, PURPOSE["grid"])
    grid = geo.build_grid(con, city, opts.tiles_per_city, rng)
    k = opts.communes_per_city
    seeds = geo.place_seeds(grid, k, rng)
    group = geo.assign_tiles(grid, seeds)
    group = np.where(group < 0, k, group)
    polygons = geo.commune_polygons(con, grid, seeds)

    crng = rng_for(opts.seed, index, PURPOSE["communes"])
    communes: list[Commune] = []
    n_arr = 0
    if city.plm_parent:
        n_arr = {"75056": min(k // 2, 20), "69123": min(k // 3, 9), "13055": min(k // 2, 16)}[
            city.plm_parent
        ]
        n_arr = max(n_arr, 1)
    main_dep = city.departments[0]
    epci_core = f"24{main_dep}0{index:02d}01"
    epci_outer = f"24{main_dep}0{index:02d}02"
    for j in range(k):
        if j < n_arr:
            code = codes.take(f"{city.plm_prefix}{j + 1:0{5 - len(city.plm_prefix)}d}")
            name = synthetic_name(code)
            kind, parent, dep = "arrondissement", city.plm_parent, main_dep
        else:
            deps = city.departments
            dep = deps[(j - n_arr) % len(deps)] if len(deps) > 1 else main_dep
            if dep == "01" and "01009" not in codes.used:
                code = codes.take("01009")
            else:
                code = codes.new(dep, crng)
            name, kind, parent = commune_name(crng, code), "commune", None
        epci = epci_core if j < max(n_arr, k // 2) else epci_outer
        communes.append(Commune(code, name, dep, epci, kind, city.name, parent))
    for j, wkt in enumerate(polygons):
        communes[j].wkt_4326 = geo.reproject_polygon_wkt(con, wkt, "EPSG:27572", "EPSG:4326")
        communes[j].area_km2 = float(
            con.execute("select st_area(st_geomfromtext(?))", [wkt]).fetchone()[0] / 1e6
        )
        communes[j].n_tiles = int((group == j).sum())

    # populations, activity and planted correlations
    for c in communes:
        if c.kind == "arrondissement":
            c.pop = int(
                np.clip(round(math.exp(crng.normal(math.log(60_000), 0.4))), 5_000, 240_000)
            )
        else:
            c.pop = int(np.clip(round(math.exp(crng.normal(math.log(9_000), 1.1))), 80, 480_000))
    pops = np.array([c.pop for c in communes], dtype=float)
    n_tiles = np.array([max(c.n_tiles, 1) for c in communes], dtype=float)
    activity = (pops / 1000.0) ** 0.7 * n_tiles**0.3 * np.exp(crng.normal(0, 0.4, size=k))
    n_out = int((group == k).sum())
    activity = np.append(activity, 0.5 * max(n_out, 1) ** 0.5)
    rho = np.clip(crng.normal(RHO_MEAN, RHO_SD, size=k), -0.3, 0.6)
    return CityState(city, index, grid, group, communes, rho, activity)


def plm_parents(con, states: list[CityState]) -> list[Commune]:
    parents = []
    for st in states:
        if not st.city.plm_parent:
            continue
        arr = [c for c in st.communes if c.kind == "arrondissement"]
        union = con.execute(
            "select st_astext(st_union_agg(st_geomfromtext(w))) from (select unnest(?) as w)",
            [[c.wkt_4326 for c in arr]],
        ).fetchone()[0]
        parents.append(
            Commune(
                code=st.city.plm_parent,
                name=synthetic_name(st.city.plm_parent),
                dep=arr[0].dep,
                epci=arr[0].epci,
                kind="parent",
                city=st.city.name,
                pop=sum(c.pop for c in arr),
                area_km2=sum(c.area_km2 for c in arr),
                wkt_4326=union,
            )
        )
    return parents


def extra_communes(con, opts: Options, states: list[CityState], codes: Codes) -> list[Commune]:
    """Communes outside the study area: two per city department, and Corsica."""
    rng = rng_for(opts.seed, 99, PURPOSE["extras"])
    extras: list[tuple[str, float, float, str | None]] = [("2A", 8.7369, 41.9192, "2A004")]
    for st in states:
        for i in range(2):
            extras.append(
                (st.city.departments[0], st.city.lon + 0.35 + 0.1 * i, st.city.lat - 0.3, None)
            )
    out = []
    for n, (dep, lon, lat, fixed) in enumerate(extras):
        code = codes.take(fixed) if fixed else codes.new(dep, rng)
        x, y = geo.transform_points(con, np.array([[lon, lat]]), "EPSG:4326", "EPSG:27572")[0]
        half = 1500.0
        wkt = (
            f"POLYGON(({x - half} {y - half}, {x + half} {y - half}, {x + half} {y + half}, "
            f"{x - half} {y + half}, {x - half} {y - half}))"
        )
        name = synthetic_name(code) if fixed else commune_name(rng, code)
        epci = "242010056" if dep == "2A" else f"24{dep}9{n:02d}01"
        c = Commune(code, name, dep, epci, "commune", None)
        c.wkt_4326 = geo.reproject_polygon_wkt(con, wkt, "EPSG:27572", "EPSG:4326")
        c.area_km2 = (2 * half) ** 2 / 1e6
        c.pop = int(np.clip(round(math.exp(rng.normal(math.log(2500), 1.0))), 90, 70_000))
        out.append(c)
    return out
