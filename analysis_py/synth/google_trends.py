"""Google Trends geoMap exports, one CSV per search term."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis_py.synth import tables
from analysis_py.synth.common import (
    PURPOSE,
    Options,
    rng_for,
)
from analysis_py.synth.reference import (
    OLD_REGIONS,
    TRENDS_SPARSE_TERMS,
    TRENDS_TERMS,
)


def write_trends(opts: Options, out: Path) -> None:
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
