"""Parity of two publications of the same inputs and vars, e.g. the NetMob spine on
DuckDB (`make run`) and on Spark (`make spark`), docs/method.md section 16:

- the same columns of the same Arrow types (a published mart is an interface);
- integer columns (nano-unit sums, counts) and text equal exactly;
- doubles within ``--rtol`` relative (default 1e-9; absolute below ``--atol``, for
  values that should be zero);
- rankings identical: the communes ordered by cpc per 1000 (the top-N of the paper).

    cpc-tor parity publish/current other/publish/current \\
        [--marts fct_commune_cpc fct_commune_correction_factors ...]

By default it compares every published mart computed from the NetMob spine.

Exits 1 and prints each difference when the publications disagree.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

KEYS = {
    "fct_commune_cpc": ["code_com"],
    "fct_commune_correction_factors": ["code_com", "correction_method", "lag_hours"],
}
# the published marts computed from the NetMob spine (the others do not read it); a
# mart without KEYS is matched on all its non-double columns
DEFAULT_MARTS = (
    *KEYS,
    "fct_correction_factor_summary",
    "fct_cpc_sensitivity",
    "fct_global_composition",
    "fct_heatmap_day_hour",
    "fct_top_commune_hourly",
    "fct_top_tile_pois",
    "fct_netmob_file_audit",
    "fct_source_audit",
    "fct_tile_allocation_summary",
)


def _keys(frame: pd.DataFrame, mart: str) -> list[str]:
    if mart in KEYS:
        return KEYS[mart]
    return [c for c in frame.columns if not pd.api.types.is_float_dtype(frame[c])]


def _frame(folder: Path, mart: str) -> pd.DataFrame:
    return pq.read_table(folder / f"{mart}.parquet").to_pandas()


def compare_mart(a: pd.DataFrame, b: pd.DataFrame, keys: list[str], rtol: float, atol: float):
    """The differences between two versions of a mart, as readable lines."""
    problems = []
    if list(a.columns) != list(b.columns):
        return [f"columns differ: {sorted(set(a.columns) ^ set(b.columns))}"]
    a = a.sort_values(keys).reset_index(drop=True)
    b = b.sort_values(keys).reset_index(drop=True)
    if len(a) != len(b) or not a[keys].equals(b[keys]):
        return [f"rows differ: {len(a)} against {len(b)} (keys {keys})"]
    for column in a.columns:
        x, y = a[column], b[column]
        if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
            xv, yv = x.astype(float).to_numpy(), y.astype(float).to_numpy()
            both_nan = np.isnan(xv) & np.isnan(yv)
            close = np.isclose(xv, yv, rtol=rtol, atol=atol) | both_nan
            if not close.all():
                i = int(np.flatnonzero(~close)[0])
                problems.append(
                    f"{column}: {int((~close).sum())} values beyond rtol {rtol}, e.g. "
                    f"{dict(a.loc[i, keys])}: {xv[i]!r} against {yv[i]!r}"
                )
        elif (
            not x.astype(object)
            .where(x.notna(), None)
            .equals(y.astype(object).where(y.notna(), None))
        ):
            i = int(np.flatnonzero((x.astype(str) != y.astype(str)).to_numpy())[0])
            problems.append(
                f"{column}: values differ, e.g. {dict(a.loc[i, keys])}: {x[i]!r} against {y[i]!r}"
            )
    return problems


def compare(a: Path, b: Path, marts=DEFAULT_MARTS, rtol=1e-9, atol=1e-12) -> list[str]:
    problems = []
    for mart in marts:
        types_a = {f.name: str(f.type) for f in pq.read_schema(a / f"{mart}.parquet")}
        types_b = {f.name: str(f.type) for f in pq.read_schema(b / f"{mart}.parquet")}
        if types_a != types_b:
            differ = {k: (types_a.get(k), types_b.get(k)) for k in types_a | types_b}
            problems.append(
                f"{mart}: column types differ: "
                f"{ {k: v for k, v in differ.items() if v[0] != v[1]} }"
            )
            continue
        fa, fb = _frame(a, mart), _frame(b, mart)
        problems += [f"{mart}.{p}" for p in compare_mart(fa, fb, _keys(fa, mart), rtol, atol)]
    cpc_a, cpc_b = _frame(a, "fct_commune_cpc"), _frame(b, "fct_commune_cpc")
    rank = ["cpc_per_1000", "code_com"]
    order_a = cpc_a.sort_values(rank, ascending=[False, True])["code_com"].tolist()
    order_b = cpc_b.sort_values(rank, ascending=[False, True])["code_com"].tolist()
    if order_a != order_b:
        problems.append("fct_commune_cpc: the communes rank differently by cpc_per_1000")
    return problems
