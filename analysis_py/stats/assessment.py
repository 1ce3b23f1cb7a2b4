"""Error rates of the query filter (technical report, sections 4-7), with intervals.

The report estimates, from expert-labelled samples of 1000 queries,
  f'+ = |sample of F+>1 in P-| / |sample| x |F+>1| / |F+|   (errors among flagged queries;
        one-word flagged queries are explicit keywords, assumed paedophile), and
  f-  = |sample of N(F+) in P+ and in F-| / |sample of N(F+) in P+|   (paedophile
        queries the filter misses, among the neighbours of flagged queries),
and gives no interval. Here each proportion gets a 95 % interval, Wilson's score
interval (Wilson 1927) and the exact Clopper-Pearson interval (1934); f'+'s interval is
the sample proportion's scaled by the known ratio |F+>1| / |F+|.
"""

from __future__ import annotations

import pandas as pd


def _check_counts(x: int, n: int) -> None:
    if n <= 0 or not 0 <= x <= n:
        raise ValueError(f"need 0 <= x <= n and n > 0, got x={x}, n={n}")


def wilson_interval(x: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion x / n (statsmodels
    ``proportion_confint(method="wilson")``)."""
    from statsmodels.stats.proportion import proportion_confint

    _check_counts(x, n)
    low, high = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    return float(max(0.0, low)), float(min(1.0, high))


def clopper_pearson_interval(x: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval of a binomial proportion x / n (statsmodels
    ``proportion_confint(method="beta")``)."""
    from statsmodels.stats.proportion import proportion_confint

    _check_counts(x, n)
    low, high = proportion_confint(x, n, alpha=1 - confidence, method="beta")
    return float(low), float(high)


def error_rates(
    n_flagged: int,
    n_flagged_multiword: int,
    sample_multiword_labelled: int,
    sample_multiword_negative: int,
    sample_neighbours_positive: int,
    sample_neighbours_positive_unflagged: int,
    source: str,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """f'+ and f- with their Wilson and Clopper-Pearson intervals (one row each)."""
    ratio = n_flagged_multiword / n_flagged if n_flagged else float("nan")
    rates = (  # (rate, numerator, denominator, scale)
        ("f_prime_plus", sample_multiword_negative, sample_multiword_labelled, ratio),
        ("f_minus", sample_neighbours_positive_unflagged, sample_neighbours_positive, 1.0),
    )
    rows = []
    for rate, x, n, scale in rates:
        if n <= 0:
            continue
        w, cp = wilson_interval(x, n, confidence), clopper_pearson_interval(x, n, confidence)
        rows.append(
            {
                "source": source,
                "rate": rate,
                "numerator": x,
                "denominator": n,
                "scale": scale,
                "estimate": x / n * scale,
                "wilson_low": w[0] * scale,
                "wilson_high": w[1] * scale,
                "clopper_pearson_low": cp[0] * scale,
                "clopper_pearson_high": cp[1] * scale,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "source",
            "rate",
            "numerator",
            "denominator",
            "scale",
            "estimate",
            "wilson_low",
            "wilson_high",
            "clopper_pearson_low",
            "clopper_pearson_high",
        ],
    )
    frame["confidence"] = confidence
    return frame
