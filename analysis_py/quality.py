"""Great Expectations suites on the marts.

Each mart is read from the DuckDB database on a read-only connection into pandas and
validated with GX's pandas data source (GX's SQL data source reports false failures on
DuckDB: toolchain.md). Marts absent from the database (e.g. the tile-level marts when
traffic comes from the authors' published totals) are reported as skipped.

    python -m analysis_py.quality --db target/cpc_tor.duckdb [--json results.json]

exits 1 when an expectation fails.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations.row_conditions import Column

from analysis_py.duck import connect
from analysis_py.validation import ROBUSTNESS_SPECIFICATIONS

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# non-capturing groups: pandas warns on capturing groups in str.contains
COMMUNE_CODE = r"^(?:0[1-9]|[1-8][0-9]|9[0-5])[0-9]{3}$|^2[AB][0-9]{3}$|^97[1-6][0-9]{2}$"


def seed_column(seed: str, column: str) -> list[str]:
    """A column of one of the project's seeds (the one place its list is stated)."""
    return pd.read_csv(SEEDS / f"{seed}.csv", dtype=str)[column].tolist()


def _suites() -> dict[str, list]:
    """Expectations per mart (schema marts)."""
    return {
        "fct_commune_cpc": [
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectColumnValuesToBeUnique(column="code_com"),
            gxe.ExpectColumnValuesToNotBeNull(column="code_com"),
            gxe.ExpectColumnValuesToMatchRegex(column="code_com", regex=COMMUNE_CODE),
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
            gxe.ExpectColumnValuesToBeInSet(
                column="correction_method",
                value_set=seed_column("correction_methods", "correction_method"),
            ),
            gxe.ExpectColumnValuesToBeBetween(column="rho", min_value=-1.0, max_value=1.0),
            # only negative factors are floored (1e-5): rho^2 or a tiny rho may go below
            gxe.ExpectColumnValuesToBeBetween(column="c", min_value=0, max_value=1.0),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["code_com", "correction_method", "lag_hours"]
            ),
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
            gxe.ExpectColumnValuesToBeUnique(column="query"),
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


def validate_frames(frames: dict[str, pd.DataFrame]) -> list[SuiteResult]:
    """Run the suites of the marts present in ``frames``; others are skipped."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas(name="marts")
    results = []
    for mart, expectations in _suites().items():
        if mart not in frames:
            results.append(SuiteResult(mart, "skipped", []))
            continue
        asset = source.add_dataframe_asset(name=mart)
        batch = asset.add_batch_definition_whole_dataframe(f"{mart}_all").get_batch(
            batch_parameters={"dataframe": frames[mart]}
        )
        suite = gx.ExpectationSuite(name=f"{mart}_suite")
        for expectation in expectations:
            suite.add_expectation(expectation)
        outcome = batch.validate(suite)
        failures = [
            f"{r.expectation_config.type} {r.expectation_config.kwargs}"
            for r in outcome.results
            if not r.success
        ]
        results.append(SuiteResult(mart, "passed" if outcome.success else "failed", failures))
    return results


def validate_database(db: Path) -> list[SuiteResult]:
    with connect(str(db), read_only=True, names=()) as con:
        present = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        frames = {
            m: con.execute(f'select * from marts."{m}"').df() for m in _suites() if m in present
        }
    return validate_frames(frames)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Great Expectations suites on the marts.")
    parser.add_argument("--db", type=Path, required=True, help="DuckDB database with the marts")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db}: no such database; run dbt build first", file=sys.stderr)
        return 2
    results = validate_database(args.db)
    for r in results:
        print(f"{r.status:>7}  {r.mart}")
        for failure in r.failures:
            print(f"         {failure}")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=2))
    failed = [r.mart for r in results if r.status == "failed"]
    ok = len(results) - len(failed)
    print(f"Great Expectations: {ok} of {len(results)} suites passed or skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
