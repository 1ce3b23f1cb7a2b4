"""One row per commune, Tor lag and day: the per-day sufficient statistics of the
bootstrap over days (method.md section 13), from the paired series of
int_commune_hour_pairs (analysis_py.uncertainty.day_sums). Enabled with NetMob traffic."""


def model(dbt, session):
    dbt.config(materialized="table")
    from analysis_py.uncertainty import day_sums

    pairs = dbt.ref("int_commune_hour_pairs").order("lag_hours, code_com, hour_start").df()
    # the sums need the rows in that order: a commune's days are contiguous
    return day_sums(pairs)
