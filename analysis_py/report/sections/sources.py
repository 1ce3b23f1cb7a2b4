"""The keyword filter (its rules and error rates) and the sources (coverage, joins,
suppression)."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from analysis_py.report.data import Publication, missing, missing_reason
from analysis_py.report.sections.common import (
    Section,
    html_table,
    pct,
    pct_interval,
    unavailable,
)

RULES = {
    "00": "a known code word (substring)",
    "01": "an explicit paedophile term",
    "02": "a child word and a sexual word",
    "03": "'little', a girl/boy word and a sexual word",
    "04": "an age below 16 with a child, family or sexual word",
    "05": "a family-child word, a family-parent word and a sexual word",
}


def keyword_filter(pub: Publication) -> Section:
    rates = pub.get("fct_filter_error_rates")
    queries = pub.get("fct_query_export_anonymised")
    if rates is None or rates.empty:
        return unavailable(
            "table",
            "table-filter",
            "The keyword filter",
            missing_reason(pub, "fct_filter_error_rates"),
        )
    body = Markup("")
    if queries is not None:
        flagged = queries[queries["rule_code"].notna()]
        counts = flagged.groupby("rule_code").agg(
            queries=("query_anonymised", "size"), occurrences=("n_occurrences", "sum")
        )
        frame = pd.DataFrame(
            {
                "rule": list(RULES),
                "matches": list(RULES.values()),
                "distinct queries": [int(counts["queries"].get(r, 0)) for r in RULES],
                "occurrences": [int(counts["occurrences"].get(r, 0)) for r in RULES],
            }
        )
        total = pd.DataFrame(
            {
                "rule": ["none"],
                "matches": ["not flagged"],
                "distinct queries": [int(queries["rule_code"].isna().sum())],
                "occurrences": [
                    int(queries.loc[queries["rule_code"].isna(), "n_occurrences"].sum())
                ],
            }
        )
        body += html_table(
            pd.concat([frame, total], ignore_index=True),
            "table-filter-rules",
            "Queries of the published (anonymised) export by the first rule that flags them",
        )
    names = {"f_prime_plus": "f'+ (flagged, not paedophile)", "f_minus": "f- (paedophile, missed)"}
    level = int(round(100 * float(rates["confidence"].iloc[0])))
    shown = pd.DataFrame(
        {
            "source": rates["source"]
            .map(
                {"report": "the technical report's counts", "query_log": "this project's query log"}
            )
            .fillna(rates["source"]),
            "rate": rates["rate"].map(names).fillna(rates["rate"]),
            "count": [
                f"{int(a):,} of {int(b):,}"
                for a, b in zip(rates["numerator"], rates["denominator"], strict=True)
            ],
            "estimate": rates["estimate"],
            f"{level} % Wilson": [
                pct_interval(a, b)
                for a, b in zip(rates["wilson_low"], rates["wilson_high"], strict=True)
            ],
            f"{level} % Clopper-Pearson": [
                pct_interval(a, b)
                for a, b in zip(
                    rates["clopper_pearson_low"], rates["clopper_pearson_high"], strict=True
                )
            ],
        }
    )
    body += html_table(
        shown,
        "table-filter-rates",
        "Error rates of the filter against the experts' labels",
        formats={"estimate": pct(2)},
    )
    return Section(
        "table-filter",
        "table",
        "The keyword filter and its error rates",
        body,
        Markup(
            "Rules of appendix A of the filter's technical report, first match wins. f'+: the "
            "share of flagged queries the experts judge not paedophile; f-: the share of "
            "paedophile queries the filter misses. The counts are over the anonymised export "
            "(words seen in fewer than var anonymise_min_queries distinct queries replaced by "
            "integers); no query is linked to a person or place."
        ),
    )


def source_audit(pub: Publication) -> Section:
    audit = pub.get("fct_source_audit")
    if audit is None or audit.empty:
        return unavailable(
            "table", "table-sources", "Sources", missing_reason(pub, "fct_source_audit")
        )
    rows = []
    for check, part in audit.groupby("check_name", sort=True):
        upper = part["min_share"].isna().all() and part["max_share"].notna().any()
        worst = part["share"].max() if upper else part["share"].min()
        bound = part["max_share"].min() if upper else part["min_share"].max()
        rows.append(
            {
                "check": check,
                "scopes": len(part),
                "expected": int(part["n_expected"].sum()),
                "found": int(part["n_found"].sum()),
                "share, worst scope": worst,
                "required": "–" if missing(bound) else f"{'≤' if upper else '≥'} {100 * bound:g} %",
                "passed": "yes" if part["passed"].all() else "NO",
            }
        )
    body = html_table(
        pd.DataFrame(rows),
        "table-sources-data",
        "Files expected and found, join rates (per check, over its scopes: cities, sources)",
        formats={"share, worst scope": pct(1)},
    )
    rows = []
    for name, info in sorted(pub.record.get("tables", {}).items()):
        table = pub.get(name)
        if table is None or not info.get("suppressed_columns"):
            continue
        small = int(table["is_small_population"].sum()) if "is_small_population" in table else 0
        few = int(table["is_few_tiles"].sum()) if "is_few_tiles" in table else 0
        rows.append((name, len(table), small, few, len(info["suppressed_columns"])))
    if rows:
        body += html_table(
            pd.DataFrame(
                rows,
                columns=[
                    "published table",
                    "rows",
                    "rows under the population threshold",
                    "rows from too few tiles",
                    "columns suppressed there",
                ],
            ),
            "table-sources-suppressed",
            f"Small-area suppression of this publication (population < "
            f"{pub.record.get('min_population')}, tiles < {pub.record.get('min_tiles')})",
        )
    return Section(
        "table-sources",
        "table",
        "Sources: coverage, joins and suppression",
        body,
        Markup(
            "A check below its required share fails the build (dbt tests upstream of the marts)"
            "; the suppressed values are NULL in every published file."
        ),
    )
