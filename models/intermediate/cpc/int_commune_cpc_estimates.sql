{#-
  One row per commune, correction method and Tor lag: the estimate of rho, c, cpc and
  cpc per 1000 (replicate 0 of int_commune_factor_draws, where they are computed) with
  their percentile intervals at var bootstrap_level over the bootstrap replicates
  (linear interpolation, as numpy's default quantile; method.md section 13), the
  number of replicates with a correlation, and the commune's population and tiles (the
  publication's small-area rules). Intervals are NULL with the authors' published
  totals (no replicate).
-#}
{%- set low, high = interval_levels() %}

with

draws as (
    select * from {{ ref('int_commune_factor_draws') }}
),

estimates as (
    select
        code_com,
        correction_method,
        lag_hours,
        rho,
        c,
        cpc,
        cpc_per_1000,
        log_cpc_per_1000
    from draws
    where replicate = 0
),

intervals as (
    select
        code_com,
        correction_method,
        lag_hours,
        quantile_cont(rho, {{ low }}) as rho_ci_low,
        quantile_cont(rho, {{ high }}) as rho_ci_high,
        quantile_cont(c, {{ low }}) as c_ci_low,
        quantile_cont(c, {{ high }}) as c_ci_high,
        quantile_cont(cpc, {{ low }}) as cpc_ci_low,
        quantile_cont(cpc, {{ high }}) as cpc_ci_high,
        quantile_cont(cpc_per_1000, {{ low }}) as cpc_per_1000_ci_low,
        quantile_cont(cpc_per_1000, {{ high }}) as cpc_per_1000_ci_high,
        count(rho) as n_replicates
    from draws
    where replicate > 0
    group by code_com, correction_method, lag_hours
),

correlations as (
    select
        code_com,
        correction_method,
        lag_hours,
        n_hours,
        mean_pearson_rho,
        traffic_source
    from {{ ref('int_commune_correlations') }}
),

constants as (
    select onion_share_bound from {{ ref('int_method_constants') }}
),

totals as (
    select
        code_com,
        population,
        n_contributing_tiles
    from {{ ref('int_commune_traffic_totals') }}
),

final as (
    select
        -- every commune with a correlation is a study commune, or the build stops
        coalesce(
            totals.code_com,
            {{ cpc_error(
                "'commune ' || estimates.code_com"
                ~ " || ' has a correlation but is not a study commune of int_commune_traffic_totals'"
            ) }}
        ) as code_com,
        estimates.correction_method,
        estimates.lag_hours,
        estimates.rho,
        estimates.c,
        estimates.cpc,
        estimates.cpc_per_1000,
        estimates.log_cpc_per_1000,
        correlations.n_hours,
        correlations.mean_pearson_rho,
        constants.onion_share_bound,
        correlations.traffic_source,
        intervals.rho_ci_low,
        intervals.rho_ci_high,
        intervals.c_ci_low,
        intervals.c_ci_high,
        intervals.cpc_ci_low,
        intervals.cpc_ci_high,
        intervals.cpc_per_1000_ci_low,
        intervals.cpc_per_1000_ci_high,
        intervals.n_replicates,
        case when intervals.n_replicates > 0 then 'day_block_bootstrap' end as ci_method,
        totals.population,
        totals.n_contributing_tiles
    from estimates
    inner join correlations
        on
            estimates.code_com = correlations.code_com
            and estimates.correction_method = correlations.correction_method
            and estimates.lag_hours = correlations.lag_hours
    left outer join intervals
        on
            estimates.code_com = intervals.code_com
            and estimates.correction_method = intervals.correction_method
            and estimates.lag_hours = intervals.lag_hours
    left outer join totals on estimates.code_com = totals.code_com
    cross join constants
)

select * from final
