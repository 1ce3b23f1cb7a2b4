"""Ministère de l'Intérieur: presidential election 2017, first round, by commune."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis_py.synth import tables
from analysis_py.synth.common import (
    ELECTION_ELECTORS_SHARE,
    PURPOSE,
    Commune,
    Options,
    rng_for,
)
from analysis_py.synth.reference import (
    CANDIDATES_2017,
    DEPARTMENT_NAMES,
    ELECTION_OVERSEAS,
)


def write_elections(opts: Options, out: Path, communes: list[Commune], renamed: str | None):
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
