"""SSMSI: the communal base of recorded crime, with the publisher's suppression."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis_py.synth import tables
from analysis_py.synth.common import (
    PUBLISH_MIN_POP,
    PURPOSE,
    SSMSI_YEARS,
    Commune,
    Options,
    rng_for,
)
from analysis_py.synth.reference import (
    SSMSI_CLASSES,
)


def write_ssmsi(opts: Options, out: Path, communes: list[Commune], truth: pd.DataFrame):
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
