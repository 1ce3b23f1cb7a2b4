"""Orchestration of the synthetic raw data and of its planted truths: one module per
publisher (admin, insee, elections, ssmsi, overture, google_trends, netmob, queries), the
geography, and the planted truths (truth), so a format change touches one file.

Layout written under ``out`` (data_formats.md)::

    netmob/<City>/<City>.geojson
    netmob/<City>/<Service>/<YYYYMMDD>/<City>_<Service>_<YYYYMMDD>_<DL|UL>.txt
    admin/COMMUNE.shp (+ .shx .dbf .prj .cpg), admin/ARRONDISSEMENT_MUNICIPAL.shp
    insee/donnees_communes.csv, insee/*_demographic_data.xlsx
    elections/Presidentielle_2017_Resultats_Communes_Tour_1.csv
    ssmsi/donnee-data.gouv-2022-geographie2023-produit-le2023-07-17.csv
    overture/places.parquet
    trends/geoMap_<n>.csv
    queries/query_log.csv
    _truth/...   planted truths for the tests (never read by the pipeline)

Every random draw comes from a generator seeded by (seed, city or source, purpose), so
a subset of cities or days reproduces the same values for what it keeps, and the same
options give the same bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from analysis_py.engines.duck import connect
from analysis_py.synth import geo, queries, traffic
from analysis_py.synth.admin import write_admin
from analysis_py.synth.common import (
    PURPOSE,
    Codes,
    Options,
    rng_for,
)
from analysis_py.synth.elections import write_elections
from analysis_py.synth.geography import build_city, extra_communes, plm_parents
from analysis_py.synth.google_trends import write_trends
from analysis_py.synth.insee import write_indicators, write_populations
from analysis_py.synth.netmob import write_traffic
from analysis_py.synth.overture import write_places
from analysis_py.synth.reference import (
    CITIES,
    CITY_BY_NAME,
)
from analysis_py.synth.ssmsi import write_ssmsi
from analysis_py.synth.truth import plant_controls, plant_sv, write_truth

# ---------------------------------------------------------------- truth and entry point


def generate(opts: Options) -> Path:
    """Write the whole raw sample under ``opts.out``; returns the manifest path."""
    unknown = [c for c in opts.cities if c not in CITY_BY_NAME]
    if unknown:
        raise ValueError(f"unknown cities {unknown}; choose among {sorted(CITY_BY_NAME)}")
    if not 1 <= opts.n_days <= 77:
        raise ValueError("n_days must be between 1 and 77")
    out = Path(opts.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    con = connect()
    calendar = traffic.Calendar.from_range(opts.start, opts.n_days)
    codes = Codes()
    states = [
        build_city(con, opts, CITY_BY_NAME[name], CITIES.index(CITY_BY_NAME[name]), codes)
        for name in sorted(opts.cities, key=lambda n: CITIES.index(CITY_BY_NAME[n]))
    ]
    # the paper has about 1 % of negative correlations: make sure the sample has one
    all_rho = np.concatenate([st.rho for st in states])
    if (all_rho >= 0).all():
        k = int(np.argmin(all_rho))
        for st in states:
            if k < st.rho.size:
                st.rho[k] = -0.02
                break
            k -= st.rho.size

    study = [c for st in states for c in st.communes]
    parents = plm_parents(con, states)
    extras = extra_communes(con, opts, states, codes)
    communes = study + parents + extras
    plant_controls(opts, communes)

    for st in states:
        srng = rng_for(opts.seed, st.index, PURPOSE["series"])
        st.series = traffic.plant_series(srng, calendar, st.city.name, st.activity, st.rho)
        lrng = rng_for(opts.seed, st.index, PURPOSE["layout"])
        st.layout = traffic.tile_layout(lrng, st.group, st.activity.size)
        folder = out / "netmob" / st.city.name
        folder.mkdir(parents=True, exist_ok=True)
        rings = geo.tile_corners_lonlat(con, st.grid)
        (folder / f"{st.city.name}.geojson").write_bytes(geo.tiles_geojson(st.grid, rings))
    write_traffic(opts, states, calendar)

    truth = plant_sv(opts, states)
    renamed = next((c.code for c in study if c.city == "Dijon" and c.kind == "commune"), None)
    renamed = [c.code for c in study if c.city == "Dijon"][-1] if renamed else None
    write_admin(con, out, communes)
    write_populations(out, communes)
    write_indicators(opts, out, communes, truth)
    write_elections(opts, out, communes, renamed)
    write_ssmsi(opts, out, communes, truth)
    write_places(con, opts, out, states)
    write_trends(opts, out)
    labelled = queries.write_query_log(out / "queries" / "query_log.csv", opts.seed, opts.n_queries)
    queries.write_expert_votes(out / "queries" / "expert_votes.csv", opts.seed, labelled)

    return write_truth(out, opts, states, calendar, truth, renamed)
