"""Orchestration of the synthetic raw data and of its planted truths.

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

import datetime as dt
import json
import math
import multiprocessing as mp
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from analysis_py.duck import connect
from analysis_py.synth import geo, queries, tables, traffic
from analysis_py.synth.reference import (
    CANDIDATES_2017,
    CITIES,
    CITY_BY_NAME,
    DEPARTMENT_NAMES,
    DEPARTMENT_NEW_REGION,
    ELECTION_OVERSEAS,
    FIRST_NAMES,
    NAME_SUFFIXES,
    NEW_REGION_NAMES,
    OLD_REGIONS,
    POI_OTHER_CATEGORIES,
    POI_PAPER_CATEGORIES,
    SERVICES,
    SSMSI_CLASSES,
    STUDY_START,
    TRENDS_SPARSE_TERMS,
    TRENDS_TERMS,
    City,
)

# planted constants of the method (method.md section 5), used to plant sv on cpc
ONION_SHARE = 0.011
CP_SHARE_OF_PORN = 105 / 253
C_FLOOR = 1e-5
RHO_MEAN, RHO_SD = 0.165, 0.075
# planted regression of the sexual-violence rate (per 1000) on log cpc per 1000
SV_BETA = 0.15
SV_GAMMA_SINGLES = 1.5
SV_NOISE_SD = 0.30
SV_MEAN = 0.9
PUBLISH_MIN_POP = 5000  # SSMSI publishes the commune value (diff) from this population
SSMSI_YEARS = tuple(range(16, 23))
ELECTION_ELECTORS_SHARE = 0.72

PURPOSE = {
    "grid": 1,
    "communes": 2,
    "series": 3,
    "layout": 4,
    "files": 5,
    "upload": 6,
    "places": 7,
    "ssmsi": 8,
    "insee": 9,
    "elections": 10,
    "trends": 11,
    "queries": 12,
    "extras": 13,
    "sv": 14,
}


def rng_for(seed: int, *keys: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *keys])))


@dataclass
class Options:
    out: Path
    seed: int = 20190316
    cities: tuple[str, ...] = tuple(c.name for c in CITIES)
    n_days: int = 77
    start: str = STUDY_START
    tiles_per_city: int = 80
    communes_per_city: int = 15
    upload: bool = False
    n_queries: int = 20_000
    jobs: int = 1
    progress: bool = True


@dataclass
class Commune:
    code: str
    name: str
    dep: str
    epci: str
    kind: str  # commune | arrondissement | parent
    city: str | None = None
    parent: str | None = None
    pop: int = 0
    area_km2: float = 0.0
    wkt_4326: str = ""
    n_tiles: int = 0
    attrs: dict = field(default_factory=dict)

    @property
    def reg(self) -> str:
        return DEPARTMENT_NEW_REGION[self.dep]


@dataclass
class CityState:
    city: City
    index: int
    grid: geo.CityGrid
    group: np.ndarray  # per tile: commune slot 0..K-1, K = outside
    communes: list[Commune]
    rho: np.ndarray
    activity: np.ndarray
    series: traffic.CitySeries | None = None
    layout: traffic.TileLayout | None = None


class _Codes:
    """Allocates unused 5-character commune codes per department."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, code: str) -> str:
        if code in self.used:
            raise ValueError(f"commune code {code} allocated twice")
        self.used.add(code)
        return code

    def new(self, dep: str, rng: np.random.Generator) -> str:
        for _ in range(10_000):
            code = f"{dep}{int(rng.integers(1, 900)):03d}"
            if code not in self.used:
                return self.take(code)
        raise RuntimeError(f"no free commune code in department {dep}")


def _name(rng: np.random.Generator) -> str:
    return str(rng.choice(FIRST_NAMES)) + str(rng.choice(NAME_SUFFIXES))


def _ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


# ---------------------------------------------------------------- geography


def _build_city(con, opts: Options, city: City, index: int, codes: _Codes) -> CityState:
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
            if city.name == "Paris":
                name = f"Paris {_ordinal(j + 1)} Arrondissement"
            else:
                name = f"{city.name} {_ordinal(j + 1)} Arrondissement"
            kind, parent, dep = "arrondissement", city.plm_parent, main_dep
        else:
            deps = city.departments
            dep = deps[(j - n_arr) % len(deps)] if len(deps) > 1 else main_dep
            if dep == "01" and "01009" not in codes.used:
                code = codes.take("01009")
            else:
                code = codes.new(dep, crng)
            name, kind, parent = _name(crng), "commune", None
            if j == n_arr:  # the city's own commune when it has no arrondissements
                name = city.name if not city.plm_parent else name
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


def _plm_parents(con, states: list[CityState]) -> list[Commune]:
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
                name=st.city.name,
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


def _extra_communes(con, opts: Options, states: list[CityState], codes: _Codes) -> list[Commune]:
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
        name = "Ajaccio" if fixed == "2A004" else _name(rng)
        epci = "242010056" if dep == "2A" else f"24{dep}9{n:02d}01"
        c = Commune(code, name, dep, epci, "commune", None)
        c.wkt_4326 = geo.reproject_polygon_wkt(con, wkt, "EPSG:27572", "EPSG:4326")
        c.area_km2 = (2 * half) ** 2 / 1e6
        c.pop = int(np.clip(round(math.exp(rng.normal(math.log(2500), 1.0))), 90, 70_000))
        out.append(c)
    return out


# ---------------------------------------------------------------- traffic files


_WORKER: dict = {}


def _write_day(task: tuple[str, str, int]) -> int:
    """Write one day of one service (DL, and UL when asked); returns bytes written."""
    service, direction_set, day_ordinal = task
    st: CityState = _WORKER["state"]
    opts: Options = _WORKER["opts"]
    calendar: traffic.Calendar = _WORKER["calendar"]
    day = dt.date.fromordinal(day_ordinal)
    s_idx = SERVICES.index(service) if service in SERVICES else 9
    rng = rng_for(opts.seed, st.index, PURPOSE["files"], s_idx, day_ordinal)
    values = traffic.day_values(rng, calendar, st.series, st.layout, service, day)
    written = 0
    stamp = day.strftime("%Y%m%d")
    folder = opts.out / "netmob" / st.city.name / service / stamp
    folder.mkdir(parents=True, exist_ok=True)
    for direction in direction_set.split(","):
        if direction == "UL":
            urng = rng_for(opts.seed, st.index, PURPOSE["upload"], s_idx, day_ordinal)
            data = np.round(values * urng.uniform(0.05, 0.2, size=(values.shape[0], 1)), 3)
        else:
            data = values
        path = folder / f"{st.city.name}_{service}_{stamp}_{direction}.txt"
        from analysis_py.synth.textfmt import format_traffic_rows

        blob = format_traffic_rows(st.grid.tile_ids, data)
        path.write_bytes(blob)
        written += len(blob)
    return written


def _write_traffic(opts: Options, states: list[CityState], calendar: traffic.Calendar) -> None:
    directions = "DL,UL" if opts.upload else "DL"
    tasks_per_city = len(SERVICES) * len(calendar.dates)
    bar = tqdm(
        total=tasks_per_city * len(states) * (2 if opts.upload else 1),
        desc="NetMob files",
        unit="file",
        disable=not opts.progress,
    )
    for st in states:
        _WORKER.update(state=st, opts=opts, calendar=calendar)
        tasks = [(s, directions, d.toordinal()) for s in SERVICES for d in calendar.dates]
        if opts.jobs > 1:
            with mp.get_context("fork").Pool(opts.jobs) as pool:
                for _ in pool.imap_unordered(_write_day, tasks, chunksize=4):
                    bar.update(2 if opts.upload else 1)
        else:
            for task in tasks:
                _write_day(task)
                bar.update(2 if opts.upload else 1)
    bar.close()


# ---------------------------------------------------------------- planted sv


def _plant_sv(opts: Options, states: list[CityState]) -> pd.DataFrame:
    """Planted truth per study commune, including the sexual-violence rate model."""
    rows = []
    for st in states:
        tor = st.series.values["Tor"][:, st.series.kept].sum(axis=1)
        wa = st.series.values["Web_Adult"][:, st.series.kept].sum(axis=1)
        yt = st.series.values["YouTube"][:, st.series.kept].sum(axis=1)
        for j, c in enumerate(st.communes):
            rho = float(st.series.planted_rho[j])
            cj = ONION_SHARE * CP_SHARE_OF_PORN * rho
            cj = C_FLOOR if cj < 0 else cj
            rows.append(
                {
                    "code_com": c.code,
                    "city": st.city.name,
                    "n_tiles": c.n_tiles,
                    "pop": c.pop,
                    "planted_rho": rho,
                    "c": cj,
                    "tor_total": float(tor[j]),
                    "web_adult_total": float(wa[j]),
                    "youtube_total": float(yt[j]),
                    "log_cpc_per_1000": math.log(cj * tor[j] * 1000.0 / c.pop),
                    "singles_pct": c.attrs["singles_pct"],
                }
            )
    truth = pd.DataFrame(rows)
    rng = rng_for(opts.seed, 99, PURPOSE["sv"])
    lin = SV_BETA * truth["log_cpc_per_1000"] + SV_GAMMA_SINGLES * truth["singles_pct"] / 100
    intercept = SV_MEAN - lin.mean()
    noise = rng.normal(0.0, SV_NOISE_SD, size=len(truth))
    truth["sv_rate"] = np.maximum(intercept + lin + noise, 0.02)
    truth["sv_intercept"] = intercept
    truth["published"] = truth["pop"] >= PUBLISH_MIN_POP
    return truth


# ---------------------------------------------------------------- tabular sources


def _controls(opts: Options, communes: list[Commune]) -> None:
    rng = rng_for(opts.seed, 99, PURPOSE["insee"])
    for c in communes:
        c.attrs["singles_pct"] = float(np.clip(rng.normal(45, 7), 25, 70))
        c.attrs["poverty_pct"] = float(np.clip(rng.normal(14, 5), 3, 40))
        c.attrs["drug_rate"] = float(math.exp(rng.normal(math.log(2.0), 0.6)))
        c.attrs["le_pen_share"] = float(np.clip(rng.normal(0.20, 0.06), 0.03, 0.5))
        c.attrs["macron_share"] = float(np.clip(rng.normal(0.25, 0.05), 0.08, 0.5))
        c.attrs["turnout"] = float(np.clip(rng.normal(0.78, 0.05), 0.5, 0.95))


def _write_admin(con, out: Path, communes: list[Commune]) -> None:
    folder = out / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    layer = [c for c in communes if c.kind in ("commune", "parent")]
    arr = [c for c in communes if c.kind == "arrondissement"]

    def frame(items: list[Commune], arm: bool) -> pd.DataFrame:
        base = {
            "ID": [f"{'ARM' if arm else 'COMMUNE'}_{i:012d}" for i in range(len(items))],
        }
        if arm:
            base |= {
                "NOM": [c.name for c in items],
                "INSEE_ARM": [c.code for c in items],
                "INSEE_COM": [c.parent for c in items],
                "POPULATION": [int(c.pop * 1.01) for c in items],
            }
        else:
            base |= {
                "NOM_COM": [c.name for c in items],
                "NOM_COM_M": [c.name.upper() for c in items],
                "INSEE_COM": [c.code for c in items],
                "STATUT": ["Commune simple" for _ in items],
                "POPULATION": [int(c.pop * 1.01) for c in items],
                "INSEE_DEP": [c.dep for c in items],
                "INSEE_REG": [c.reg for c in items],
                "CODE_EPCI": [c.epci for c in items],
            }
        base["wkt"] = [c.wkt_4326 for c in items]
        # explicit dtypes: an empty layer (no Paris, Lyon or Marseille) keeps its schema
        return pd.DataFrame(
            {
                k: pd.Series(v, dtype="int64" if k == "POPULATION" else "string")
                for k, v in base.items()
            }
        )

    for name, items, arm in (("COMMUNE", layer, False), ("ARRONDISSEMENT_MUNICIPAL", arr, True)):
        df = frame(items, arm)
        con.register("_admin", df)
        cols = ", ".join(f'"{c}"' for c in df.columns if c != "wkt")
        # reproject through WGS84 exactly as the pipeline will (4326 -> 2154)
        con.execute(
            f"""
            copy (
                select {cols},
                    st_transform(st_geomfromtext(wkt), 'EPSG:4326', 'EPSG:2154', always_xy := true)
                    as geom
                from _admin order by "ID"
            ) to '{folder / (name + ".shp")}'
            (format gdal, driver 'ESRI Shapefile', srs 'EPSG:2154',
             layer_creation_options 'ENCODING=UTF-8')
            """
        )
        con.unregister("_admin")
        dbf = folder / f"{name}.dbf"
        blob = bytearray(dbf.read_bytes())
        blob[1:4] = bytes([123, 9, 19])  # fixed "last update" date: 2023-09-19
        dbf.write_bytes(bytes(blob))


def _write_populations(out: Path, communes: list[Commune]) -> None:
    folder = out / "insee"
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for c in sorted(communes, key=lambda c: c.code):
        if c.kind == "parent":
            continue  # INSEE lists Paris, Lyon and Marseille by arrondissement
        dep = c.dep
        com = c.code[len(dep) :] if len(dep) == 2 else c.code[3:]
        cap = int(round(c.pop * 0.015))
        rows.append(
            [
                c.reg,
                NEW_REGION_NAMES[c.reg],
                dep,
                "1",
                "01",
                com,
                c.name,
                str(c.pop),
                str(cap),
                str(c.pop + cap),
            ]
        )
    tables.write_semicolon_csv(
        folder / "donnees_communes.csv",
        ["CODREG", "REG", "CODDEP", "CODARR", "CODCAN", "CODCOM", "COM", "PMUN", "PCAP", "PTOT"],
        rows,
    )


DENSITY = "Densité de population (historique depuis 1876) 2020"
SINGLES = "Part des pers. de 15 ans ou + célibataires 2020"
POVERTY = "Taux de pauvreté 2020"
UNEMPLOYMENT = "Taux de chômage annuel moyen 2022"
MEDIAN_INCOME = "Médiane du niveau de vie 2020"
SRC_RP = "Insee, RP2020 exploitation principale, géographie au 01/01/2023"
SRC_FILO = "Insee, Fichier localisé social et fiscal (Filosofi)"
SRC_CHOM = "Insee, taux de chômage localisés"


def _write_indicators(opts: Options, out: Path, communes: list[Commune], truth: pd.DataFrame):
    """INSEE indicator sheets at commune, EPCI and department level."""
    rng = rng_for(opts.seed, 98, PURPOSE["insee"])
    folder = out / "insee"
    units = [c for c in communes if c.kind != "parent"]
    df = pd.DataFrame(
        {
            "code": [c.code for c in units],
            "name": [c.name for c in units],
            "dep": [c.dep for c in units],
            "epci": [c.epci for c in units],
            "pop": [c.pop for c in units],
            "area": [c.area_km2 for c in units],
            "singles": [c.attrs["singles_pct"] for c in units],
            "poverty": [c.attrs["poverty_pct"] for c in units],
        }
    ).sort_values("code", kind="stable")
    df["density"] = df["pop"] / df["area"]

    # commune sheet: density and singles, poverty only for larger communes; a few gaps
    gaps = rng.random(len(df)) < 0.05
    commune_rows = []
    for (_, r), gap in zip(df.iterrows(), gaps, strict=True):
        commune_rows.append(
            [
                r.code,
                r["name"],
                round(r.density, 1),
                None if gap else round(r.singles, 1),
                round(r.poverty, 1) if r["pop"] >= 2000 else None,
            ]
        )
    tables.write_xlsx_indicators(
        folder / "commune_level_demographic_data.xlsx",
        "code_com",
        commune_rows,
        [(DENSITY, SRC_RP, "habitants/km²"), (SINGLES, SRC_RP, "%"), (POVERTY, SRC_FILO, "%")],
    )

    def weighted(group: pd.DataFrame) -> pd.Series:
        w = group["pop"]
        return pd.Series(
            {
                "name": group["name"].iloc[0],
                "density": w.sum() / group["area"].sum(),
                "singles": np.average(group["singles"], weights=w),
                "poverty": np.average(group["poverty"], weights=w),
                "pop": w.sum(),
            }
        )

    epci = df.groupby("epci", sort=True)[["name", "pop", "area", "singles", "poverty"]].apply(
        weighted
    )
    epci_rows = []
    for i, (code, r) in enumerate(epci.iterrows()):
        epci_rows.append(
            [
                code,
                f"CA {r['name']}",
                int(round(20_000 + 40 * (20 - r.poverty) * 50, -1)),
                None if i % 7 == 3 else round(r.poverty, 1),  # some EPCIs lack the rate
                round(r.singles, 1),
                round(r.density, 1),
            ]
        )
    tables.write_xlsx_indicators(
        folder / "inter_communalite_demographic_data.xlsx",
        "code_epci",
        epci_rows,
        [
            (MEDIAN_INCOME, SRC_FILO, "€"),
            (POVERTY, SRC_FILO, "%"),
            (SINGLES, SRC_RP, "%"),
            (DENSITY, SRC_RP, "habitants/km²"),
        ],
    )

    dep_rows = []
    for dep in DEPARTMENT_NAMES:
        members = df[df["dep"] == dep]
        unemployment = float(np.clip(rng.normal(8.0, 1.6), 4.0, 20.0))
        if len(members):
            w = members["pop"]
            poverty = float(np.average(members["poverty"], weights=w))
            singles = float(np.average(members["singles"], weights=w))
            density = float(w.sum() / members["area"].sum())
        else:
            poverty = float(np.clip(rng.normal(14, 3), 6, 30))
            singles = float(np.clip(rng.normal(42, 4), 30, 60))
            density = float(math.exp(rng.normal(math.log(120), 0.8)))
        dep_rows.append(
            [
                dep,
                DEPARTMENT_NAMES[dep],
                round(unemployment, 1),
                round(poverty, 1),
                round(singles, 1),
                round(density, 1),
            ]
        )
    tables.write_xlsx_indicators(
        folder / "department_level_demographic_data.xlsx",
        "code_dept",
        dep_rows,
        [
            (UNEMPLOYMENT, SRC_CHOM, "%"),
            (POVERTY, SRC_FILO, "%"),
            (SINGLES, SRC_RP, "%"),
            (DENSITY, SRC_RP, "habitants/km²"),
        ],
    )


def _write_elections(opts: Options, out: Path, communes: list[Commune], renamed: str | None):
    """2017 presidential, first round, by commune (Paris, Lyon, Marseille as parents)."""
    rng = rng_for(opts.seed, 99, PURPOSE["elections"])
    folder = out / "elections"
    folder.mkdir(parents=True, exist_ok=True)
    fixed = [
        "Code du département",
        "Libellé du département",
        "Code de la commune",
        "Libellé de la commune",
        "Inscrits",
        "Abstentions",
        "% Abs/Ins",
        "Votants",
        "% Vot/Ins",
        "Blancs",
        "% Blancs/Ins",
        "% Blancs/Vot",
        "Nuls",
        "% Nuls/Ins",
        "% Nuls/Vot",
        "Exprimés",
        "% Exp/Ins",
        "% Exp/Vot",
    ]
    block = ["N°Panneau", "Sexe", "Nom", "Prénom", "Voix", "% Voix/Ins", "% Voix/Exp"]
    units: list[tuple[str, str, str, int, dict]] = []
    plm_children: dict[str, list[Commune]] = {}
    for c in communes:
        if c.kind == "arrondissement":
            plm_children.setdefault(c.parent, []).append(c)
    for c in sorted(communes, key=lambda c: c.code):
        if c.kind == "arrondissement":
            continue
        attrs = c.attrs
        if c.kind == "parent":
            kids = plm_children[c.code]
            w = np.array([k.pop for k in kids], dtype=float)
            attrs = {
                key: float(np.average([k.attrs[key] for k in kids], weights=w))
                for key in ("turnout", "le_pen_share", "macron_share")
            }
        if c.code == renamed:  # a commune created after 2017: two older codes
            half = c.pop // 2
            units.append((c.dep, f"{c.dep}9{0:02d}", f"{c.name}-Est", half, attrs))
            units.append((c.dep, f"{c.dep}9{1:02d}", f"{c.name}-Ouest", c.pop - half, attrs))
            continue
        units.append((c.dep, c.code, c.name, c.pop, attrs))
    for dep_code, dep_name in ELECTION_OVERSEAS:
        attrs = {"turnout": 0.45, "le_pen_share": 0.14, "macron_share": 0.2}
        units.append((dep_code, f"{dep_code}001", f"{dep_name} commune", 5000, attrs))

    rows = []
    for dep, code, name, pop, attrs in units:
        inscrits = max(50, int(round(pop * ELECTION_ELECTORS_SHARE)))
        votants = int(round(inscrits * min(0.97, attrs["turnout"] + 0.02)))
        blancs = int(round(votants * 0.012))
        nuls = int(round(votants * 0.006))
        exprimes = votants - blancs - nuls
        lp = int(round(inscrits * attrs["le_pen_share"] * attrs["turnout"]))
        mc = int(round(inscrits * attrs["macron_share"] * attrs["turnout"]))
        rest = max(exprimes - lp - mc, 0)
        others = rng.dirichlet(np.full(9, 1.5)) * rest
        votes = {"LE PEN": lp, "MACRON": mc}
        other_names = [c[2] for c in CANDIDATES_2017 if c[2] not in votes]
        alloc = np.floor(others).astype(int)
        alloc[0] += rest - alloc.sum()
        votes.update(dict(zip(other_names, alloc.tolist(), strict=True)))
        exprimes = sum(votes.values())

        def pct(a: int, b: int) -> str:
            return tables.fr_decimal(round(100.0 * a / b, 2) if b else 0.0, 2)

        dep_text = dep.lstrip("0") if dep[0] == "0" else dep
        com_text = str(int(code[len(dep) :])) if code[len(dep) :].isdigit() else code[len(dep) :]
        row = [
            dep_text,
            DEPARTMENT_NAMES.get(dep, dict(ELECTION_OVERSEAS).get(dep, dep)),
            com_text,
            name,
            str(inscrits),
            str(inscrits - votants),
            pct(inscrits - votants, inscrits),
            str(votants),
            pct(votants, inscrits),
            str(blancs),
            pct(blancs, inscrits),
            pct(blancs, votants),
            str(nuls),
            pct(nuls, inscrits),
            pct(nuls, votants),
            str(exprimes),
            pct(exprimes, inscrits),
            pct(exprimes, votants),
        ]
        # candidate blocks sorted by votes (ties by panel number), as in the real file
        ordered = sorted(CANDIDATES_2017, key=lambda cand: (-votes[cand[2]], cand[0]))
        for panel, sex, surname, first in ordered:
            v = votes[surname]
            row += [str(panel), sex, surname, first, str(v), pct(v, inscrits), pct(v, exprimes)]
        rows.append(row)
    tables.write_semicolon_csv(
        folder / "Presidentielle_2017_Resultats_Communes_Tour_1.csv", fixed + block, rows
    )


def _write_ssmsi(opts: Options, out: Path, communes: list[Commune], truth: pd.DataFrame):
    rng = rng_for(opts.seed, 99, PURPOSE["ssmsi"])
    folder = out / "ssmsi"
    folder.mkdir(parents=True, exist_ok=True)
    sv_rate = dict(zip(truth["code_com"], truth["sv_rate"], strict=True))
    units = sorted((c for c in communes if c.kind != "parent"), key=lambda c: c.code)
    records = []
    for c in units:
        published = c.pop >= PUBLISH_MIN_POP
        for classe, unit, base in SSMSI_CLASSES:
            if classe == "Violences sexuelles" and c.code in sv_rate:
                rate = sv_rate[c.code]
            elif classe == "Usage de stupéfiants":
                rate = c.attrs["drug_rate"]
            else:
                rate = base * math.exp(rng.normal(0, 0.4))
            for year in SSMSI_YEARS:
                pop_year = int(round(c.pop * (1 + 0.005 * (year - 19))))
                faits = int(rng.poisson(pop_year * rate / 1000.0))
                records.append((c, classe, unit, year, pop_year, faits, published))
    # departmental means over the suppressed communes (what ndiff rows carry)
    frame = pd.DataFrame(
        [
            (c.dep, classe, year, faits, pop, published)
            for c, classe, _, year, pop, faits, published in records
        ],
        columns=["dep", "classe", "year", "faits", "pop", "published"],
    )
    hidden = frame[~frame["published"]]
    means = hidden.groupby(["dep", "classe", "year"]).agg(
        faits=("faits", "mean"), rate=("faits", "sum"), pop=("pop", "sum")
    )
    means["rate"] = means["rate"] / means["pop"] * 1000.0
    rows = []
    for c, classe, unit, year, pop_year, faits, published in records:
        if published:
            taux = faits / pop_year * 1000.0
            values = ["diff", str(faits), tables.fr_decimal(taux), "NA", "NA"]
        else:
            m = means.loc[(c.dep, classe, year)]
            values = [
                "ndiff",
                "NA",
                "NA",
                tables.fr_decimal(round(float(m.faits), 6)),
                tables.fr_decimal(float(m.rate)),
            ]
        logements = int(round(pop_year * 0.52))
        rows.append(
            [
                c.code,
                str(year),
                classe,
                unit,
                *values,
                str(pop_year),
                str(year),
                str(logements),
                str(year),
            ]
        )
    tables.write_semicolon_csv(
        folder / "donnee-data.gouv-2022-geographie2023-produit-le2023-07-17.csv",
        [
            "CODGEO_2023",
            "annee",
            "classe",
            "unité.de.compte",
            "valeur.publiée",
            "faits",
            "tauxpourmille",
            "complementinfoval",
            "complementinfotaux",
            "POP",
            "millPOP",
            "LOG",
            "millLOG",
        ],
        rows,
        bom=True,
    )


def _write_places(con, opts: Options, out: Path, states: list[CityState]) -> None:
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


def _write_trends(opts: Options, out: Path) -> None:
    rng = rng_for(opts.seed, 99, PURPOSE["trends"])
    folder = out / "trends"
    folder.mkdir(parents=True, exist_ok=True)
    regions = [name for name, _, _ in OLD_REGIONS.values()]
    n = len(regions)
    factors = rng.normal(size=(n, 3))
    batches = [TRENDS_TERMS[i : i + 5] for i in range(0, len(TRENDS_TERMS), 5)]
    for b, terms in enumerate(batches, start=1):
        columns = []
        for term in terms:
            if term in TRENDS_SPARSE_TERMS:
                columns.append([""] * n)
                continue
            latent = factors @ rng.normal(size=3) + rng.normal(0, 0.5, size=n)
            scaled = 100 * np.exp(latent) / np.exp(latent).max()
            cells = []
            for v in scaled:
                if v < 0.5:
                    cells.append("<1")
                elif v < 4:
                    cells.append("")  # too little data
                else:
                    cells.append(str(int(round(v))))
            columns.append(cells)
        first = [int(v) if v.isdigit() else -1 for v in columns[0]]
        order = sorted(range(n), key=lambda i: (-first[i], regions[i]))
        cells = [[columns[t][i] for t in range(len(terms))] for i in order]
        tables.write_trends_geomap(
            folder / f"geoMap_{b:02d}.csv",
            terms,
            "1/1/17 - 12/31/21",
            [regions[i] for i in order],
            cells,
        )


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
    codes = _Codes()
    states = [
        _build_city(con, opts, CITY_BY_NAME[name], CITIES.index(CITY_BY_NAME[name]), codes)
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
    parents = _plm_parents(con, states)
    extras = _extra_communes(con, opts, states, codes)
    communes = study + parents + extras
    _controls(opts, communes)

    for st in states:
        srng = rng_for(opts.seed, st.index, PURPOSE["series"])
        st.series = traffic.plant_series(srng, calendar, st.city.name, st.activity, st.rho)
        lrng = rng_for(opts.seed, st.index, PURPOSE["layout"])
        st.layout = traffic.tile_layout(lrng, st.group, st.activity.size)
        folder = out / "netmob" / st.city.name
        folder.mkdir(parents=True, exist_ok=True)
        rings = geo.tile_corners_lonlat(con, st.grid)
        (folder / f"{st.city.name}.geojson").write_bytes(geo.tiles_geojson(st.grid, rings))
    _write_traffic(opts, states, calendar)

    truth = _plant_sv(opts, states)
    renamed = next((c.code for c in study if c.city == "Dijon" and c.kind == "commune"), None)
    renamed = [c.code for c in study if c.city == "Dijon"][-1] if renamed else None
    _write_admin(con, out, communes)
    _write_populations(out, communes)
    _write_indicators(opts, out, communes, truth)
    _write_elections(opts, out, communes, renamed)
    _write_ssmsi(opts, out, communes, truth)
    _write_places(con, opts, out, states)
    _write_trends(opts, out)
    labelled = queries.write_query_log(out / "queries" / "query_log.csv", opts.seed, opts.n_queries)
    queries.write_expert_votes(out / "queries" / "expert_votes.csv", opts.seed, labelled)

    truth_dir = out / "_truth"
    truth_dir.mkdir()
    truth.to_csv(truth_dir / "communes.csv", index=False, float_format="%.17g")
    tiles = pd.concat(
        [
            pd.DataFrame(
                {
                    "city": st.city.name,
                    "tile_id": st.grid.tile_ids,
                    "code_com": [
                        st.communes[g].code if g < len(st.communes) else "" for g in st.group
                    ],
                }
            )
            for st in states
        ],
        ignore_index=True,
    )
    tiles.to_csv(truth_dir / "tiles.csv", index=False)
    manifest = {
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(opts).items()},
        "dates": [d.isoformat() for d in calendar.dates],
        "planted": {
            "sv_beta_log_cpc_per_1000": SV_BETA,
            "sv_gamma_singles_share": SV_GAMMA_SINGLES,
            "sv_noise_sd": SV_NOISE_SD,
            "sv_intercept": float(truth["sv_intercept"].iloc[0]),
            "publish_min_pop": PUBLISH_MIN_POP,
            "rho_mean": RHO_MEAN,
            "rho_sd": RHO_SD,
            "renamed_commune_after_2017": renamed,
            "tiles_outside_communes": {
                st.city.name: int((st.group == len(st.communes)).sum()) for st in states
            },
        },
    }
    for key in ("progress", "jobs", "out"):  # how it was run, not what was written
        manifest["options"].pop(key)
    path = truth_dir / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path
