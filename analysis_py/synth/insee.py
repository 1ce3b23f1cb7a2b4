"""INSEE: legal populations (CSV) and the statistiques locales indicator sheets (xlsx)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from analysis_py.synth import tables
from analysis_py.synth.common import (
    PURPOSE,
    Commune,
    Options,
    rng_for,
)
from analysis_py.synth.reference import (
    DEPARTMENT_NAMES,
    NEW_REGION_NAMES,
)


def write_populations(out: Path, communes: list[Commune]) -> None:
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


def write_indicators(opts: Options, out: Path, communes: list[Commune], truth: pd.DataFrame):
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
