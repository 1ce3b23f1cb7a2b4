"""Great Expectations suites on the marts.

Each mart is read from the DuckDB database on a read-only connection into pandas and
validated with GX's pandas data source (GX's SQL data source reports false failures on
DuckDB: toolchain.md). Marts absent from the database (e.g. the tile-level marts when
traffic comes from the authors' published totals) are reported as skipped.

    cpc-tor quality --db target/cpc_tor.duckdb [--json results.json]

exits 1 when an expectation fails.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations.row_conditions import Column

from analysis_py.engines.duck import connect
from analysis_py.publication.manifest import read_settings
from analysis_py.stats.validation import ROBUSTNESS_SPECIFICATIONS


def _suites() -> dict[str, list]:
    """Expectations per mart (schema marts): ranges and relations between columns.
    Keys, NULLs and accepted values are dbt's tests (they run in `dbt build`); the
    drift of the headline marts against the previous publication is drift_suites'."""
    return {
        "fct_commune_cpc": [
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectColumnValuesToBeBetween(column="c", min_value=0, max_value=1.0),
            gxe.ExpectColumnValuesToBeBetween(column="cpc", min_value=0),
            gxe.ExpectColumnValuesToBeBetween(column="tor_dl", min_value=0),
            gxe.ExpectColumnValuesToBeBetween(column="pop", min_value=0),
            gxe.ExpectColumnValuesToBeBetween(column="rho", min_value=-1.0, max_value=1.0),
            gxe.ExpectColumnValuesToBeBetween(column="rho_ci_low", min_value=-1.0, max_value=1.0),
            gxe.ExpectColumnValuesToBeBetween(column="rho_ci_high", min_value=-1.0, max_value=1.0),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="c_ci_high",
                column_B="c_ci_low",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
        ],
        "fct_validation_robustness": [
            gxe.ExpectColumnValuesToBeBetween(column="spearman_rho", min_value=-1, max_value=1),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="ci_high", column_B="ci_low", ignore_row_if="either_value_is_missing"
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="specification", value_set=list(ROBUSTNESS_SPECIFICATIONS)
            ),
        ],
        "fct_commune_correction_factors": [
            # only negative factors are floored (1e-5): rho^2 or a tiny rho may go below
            gxe.ExpectColumnValuesToBeBetween(column="c", min_value=0, max_value=1.0),
        ],
        "fct_global_composition": [
            gxe.ExpectTableRowCountToEqual(value=6),
            gxe.ExpectColumnValuesToBeBetween(column="share_pct", min_value=0, max_value=100),
        ],
        "fct_cpc_sensitivity": [
            gxe.ExpectColumnValuesToBeBetween(column="mean_c", min_value=0, max_value=1.0),
            gxe.ExpectColumnValuesToBeBetween(
                column="traffic_weighted_share", min_value=0, max_value=1.0
            ),
        ],
        "fct_heatmap_day_hour": [
            gxe.ExpectColumnValuesToBeBetween(column="hour_of_day", min_value=0, max_value=23),
            gxe.ExpectColumnValuesToBeInSet(column="scope", value_set=["all", "top_n", "top_1"]),
            gxe.ExpectColumnValuesToBeBetween(column="tor_scaled", min_value=0),
        ],
        "fct_validation_correlations": [
            gxe.ExpectTableRowCountToEqual(value=5),
            gxe.ExpectColumnValuesToBeBetween(column="spearman_rho", min_value=-1, max_value=1),
            gxe.ExpectColumnValuesToBeBetween(column="p_value", min_value=0, max_value=1),
            gxe.ExpectColumnValuesToBeBetween(
                column="n",
                min_value=3,
                row_condition=Column("status") == "estimated",
            ),
        ],
        "fct_correlation_comparisons": [
            gxe.ExpectColumnValuesToBeBetween(column="williams_p", min_value=0, max_value=1),
            gxe.ExpectColumnValuesToBeBetween(column="steiger_p", min_value=0, max_value=1),
        ],
        "fct_regressions": [
            gxe.ExpectColumnValuesToBeBetween(column="p_value", min_value=0, max_value=1),
            gxe.ExpectColumnValuesToBeBetween(column="r2", min_value=0, max_value=1),
            gxe.ExpectColumnValuesToBeBetween(column="std_error", min_value=0),
            gxe.ExpectColumnValuesToBeInSet(
                column="stars", value_set=["", "*", "**", "***"], mostly=1.0
            ),
        ],
        "fct_trends_pca": [
            gxe.ExpectColumnValuesToBeInSet(
                column="record_type",
                value_set=[
                    "term_status",
                    "loading",
                    "explained_variance",
                    "region_score",
                    "department_score",
                ],
            ),
        ],
        "fct_query_classifications": [
            gxe.ExpectColumnValuesToBeInSet(
                column="rule_code", value_set=["00", "01", "02", "03", "04", "05"]
            ),
            gxe.ExpectColumnValuesToBeBetween(column="n_occurrences", min_value=1),
        ],
        "fct_filter_error_rates": [
            gxe.ExpectColumnValuesToBeBetween(column="estimate", min_value=0, max_value=1),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="estimate", column_B="wilson_low", or_equal=True
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="wilson_high", column_B="estimate", or_equal=True
            ),
        ],
    }


@dataclass
class SuiteResult:
    mart: str
    status: str  # passed, failed, skipped
    failures: list[str]
    note: str = ""  # why a suite was skipped


def validate_frames(frames: dict[str, pd.DataFrame]) -> list[SuiteResult]:
    """Run the suites of the marts present in ``frames``; others are skipped."""
    suites = _suites()
    ran = {r.mart: r for r in _run({m: (frames[m], e) for m, e in suites.items() if m in frames})}
    return [ran.get(m) or SuiteResult(m, "skipped", [], "not in this build") for m in suites]


# the settings that do not change what a headline mart should hold (spine_engine: the
# Spark path gives the same marts, README "Spark", so its drift is checked against a
# DuckDB build's publication)
DRIFT_IGNORED_SETTINGS = ("drift_", "publication_min_", "spine_engine")


def _is_floored(cpc: pd.DataFrame, floor: float) -> pd.Series:
    """1.0 where c is the notebook's replacement of a negative factor (exactly the
    floor), else 0.0: its mean is the share of floored factors."""
    return (cpc["c"] == floor).astype(float)


def _headline_metrics(frames: dict[str, pd.DataFrame], floor: float) -> dict[str, float]:
    """The figures whose drift is checked, from the marts (or a publication's files)."""
    cpc = frames["fct_commune_cpc"]
    metrics = {f"rows.{m}": float(len(f)) for m, f in frames.items()}
    metrics["mean_rho"] = float(cpc["rho"].mean())
    metrics["floored_share"] = float(_is_floored(cpc, floor).mean())
    corr = frames["fct_validation_correlations"]
    for row in corr[corr["status"] == "estimated"].itertuples():
        metrics[f"validation_rho.{row.indicator}"] = float(row.spearman_rho)
    return metrics


DRIFT_MARTS = (
    "fct_commune_cpc",
    "fct_commune_correction_factors",
    "fct_validation_correlations",
    "fct_regressions",
)


def drift_suites(
    frames: dict[str, pd.DataFrame], previous: Path | None, settings: dict, floor: float
) -> list[SuiteResult]:
    """Great Expectations on the drift of the headline marts against the previous
    publication (``previous``: its folder, e.g. publish/current): each mart's row count
    within var drift_max_row_count_change (relative), fct_commune_cpc's mean rho within
    drift_max_mean_rho_change, its share of floored factors within
    drift_max_floored_share_change and each Table 2 Spearman rho within
    drift_max_validation_rho_change (absolute). Skipped, with the reason, when there is
    no previous publication or it was built with other settings. ``floor``: the
    method's c_floor (a floored factor equals it exactly)."""
    name = "drift"
    if previous is None or not (previous / "publication.json").exists():
        return [SuiteResult(name, "skipped", [], "no previous publication")]
    record = json.loads((previous / "publication.json").read_text())
    before = record.get("settings", {})
    differ = sorted(
        k
        for k in set(before) | set(settings)
        if not k.startswith(DRIFT_IGNORED_SETTINGS) and before.get(k) != settings.get(k)
    )
    if differ:
        return [
            SuiteResult(name, "skipped", [], f"previous publication has other settings {differ}")
        ]
    missing = [m for m in DRIFT_MARTS if m not in frames or m not in record["tables"]]
    if missing:
        return [SuiteResult(name, "skipped", [], f"marts absent here or before: {missing}")]
    with duckdb.connect() as con:
        old_frames = {
            m: con.execute(f"select * from read_parquet('{previous / (m + '.parquet')}')").df()
            for m in DRIFT_MARTS
        }
    old = _headline_metrics(old_frames, floor)
    rows_tol = float(settings["drift_max_row_count_change"])
    corr = frames["fct_validation_correlations"]
    old_rho = {k.split(".", 1)[1]: v for k, v in old.items() if k.startswith("validation_rho.")}
    changes = corr.assign(
        rho_change=(corr["spearman_rho"] - corr["indicator"].map(old_rho)).abs(),
        is_estimated=(corr["status"] == "estimated") & corr["indicator"].isin(old_rho),
    )
    cpc = frames["fct_commune_cpc"].assign(is_floored=lambda f: _is_floored(f, floor))
    checks = {m: [] for m in DRIFT_MARTS}
    for m in DRIFT_MARTS:
        n = old[f"rows.{m}"]
        checks[m].append(
            gxe.ExpectTableRowCountToBeBetween(
                min_value=math.floor(n * (1 - rows_tol)), max_value=math.ceil(n * (1 + rows_tol))
            )
        )
    rho_tol = float(settings["drift_max_mean_rho_change"])
    floored_tol = float(settings["drift_max_floored_share_change"])
    checks["fct_commune_cpc"] += [
        gxe.ExpectColumnMeanToBeBetween(
            column="rho", min_value=old["mean_rho"] - rho_tol, max_value=old["mean_rho"] + rho_tol
        ),
        gxe.ExpectColumnMeanToBeBetween(
            column="is_floored",
            min_value=old["floored_share"] - floored_tol,
            max_value=old["floored_share"] + floored_tol,
        ),
    ]
    checks["fct_validation_correlations"].append(
        gxe.ExpectColumnValuesToBeBetween(
            column="rho_change",
            max_value=float(settings["drift_max_validation_rho_change"]),
            row_condition=Column("is_estimated") == True,  # noqa: E712 (GX condition)
        )
    )
    drift_frames = {**frames, "fct_commune_cpc": cpc, "fct_validation_correlations": changes}
    results = _run({f"{name}:{m}": (drift_frames[m], checks[m]) for m in DRIFT_MARTS})
    return results


def _run(work: dict[str, tuple[pd.DataFrame, list]]) -> list[SuiteResult]:
    """Run each suite on its frame (GX's pandas data source, ephemeral context)."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas(name="marts")
    results = []
    for mart, (frame, expectations) in work.items():
        asset = source.add_dataframe_asset(name=mart)
        batch = asset.add_batch_definition_whole_dataframe(f"{mart}_all").get_batch(
            batch_parameters={"dataframe": frame}
        )
        suite = gx.ExpectationSuite(name=f"{mart}_suite")
        for expectation in expectations:
            suite.add_expectation(expectation)
        outcome = batch.validate(suite)
        failures = [
            f"{r.expectation_config.type} {r.expectation_config.kwargs} observed "
            f"{r.result.get('observed_value')}"
            for r in outcome.results
            if not r.success
        ]
        results.append(SuiteResult(mart, "passed" if outcome.success else "failed", failures))
    return results


def validate_database(db: Path, previous: Path | None = None) -> list[SuiteResult]:
    with connect(str(db), read_only=True, names=()) as con:
        present = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        wanted = set(_suites()) | set(DRIFT_MARTS)
        frames = {m: con.execute(f'select * from marts."{m}"').df() for m in wanted & present}
        settings = read_settings(con)
        # the build's own constant (seed method_constants as built)
        floor = con.execute(
            "select cast(value as double) from reference.method_constants "
            "where constant_name = 'c_floor'"
        ).fetchone()[0]
    return validate_frames(frames) + drift_suites(frames, previous, settings, floor)
