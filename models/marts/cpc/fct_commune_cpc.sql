{#-
  One row per study commune: the cpc estimate (docs/method.md section 6, equation 1) for the
  correction method and Tor lag of vars correction_method and tor_lag_hours, read from
  int_commune_cpc_estimates (cpc = c x Tor, cpc_per_1000 = cpc x 1000 / pop and their
  intervals, computed there), beside the commune's traffic totals and the logs of the
  per-1000 values (the paper's variables; not the notebook's ln(X) x 1000 / pop).
  Per-1000 values are NULL where the population is missing or zero, logs where the
  value is not positive. The *_ci_low / *_ci_high columns are the commune intervals
  (ci_method: EWC by default, or the day bootstrap; docs/method.md section 13; NULL with the
  published totals).
-#}
{%- set method = var('correction_method') %}
{%- set lag = var('tor_lag_hours') %}
{#- var tor_lag_hours is one of var correction_lags: macro check_vars -#}

with

totals as (
    select * from {{ ref('int_commune_traffic_totals') }}
),

selected_method as (
    -- var correction_method must name a method of the seed correction_methods
    select
        coalesce(
            max(correction_method),
            error(
                'var correction_method ''{{ method }}'' is not a method of the seed correction_methods'
            )
        ) as correction_method
    from {{ ref('correction_methods') }}
    where correction_method = '{{ method }}'
),

estimates as (
    select
        estimates.code_com,
        estimates.rho,
        estimates.c,
        estimates.cpc,
        estimates.cpc_per_1000,
        estimates.log_cpc_per_1000,
        estimates.n_hours,
        estimates.rho_ci_low,
        estimates.rho_ci_high,
        estimates.c_ci_low,
        estimates.c_ci_high,
        estimates.cpc_ci_low,
        estimates.cpc_ci_high,
        estimates.cpc_per_1000_ci_low,
        estimates.cpc_per_1000_ci_high,
        estimates.ci_method,
        estimates.ci_note,
        estimates.is_single_day_driven,
        ranks.cpc_rank,
        ranks.cpc_rank_ci_low,
        ranks.cpc_rank_ci_high,
        ranks.top_decile_probability
    from {{ ref('int_commune_cpc_estimates') }} as estimates
    inner join selected_method on estimates.correction_method = selected_method.correction_method
    left outer join {{ ref('int_commune_rank_intervals') }} as ranks
        on
            estimates.code_com = ranks.code_com
            and estimates.correction_method = ranks.correction_method
            and estimates.lag_hours = ranks.lag_hours
    where estimates.lag_hours = {{ lag }}
),

joined as (
    select
        totals.code_com,
        totals.commune_name,
        totals.city,
        totals.code_dep,
        totals.code_epci,
        totals.population as pop,
        totals.target_traffic as tor_dl,
        totals.reference_traffic as web_adult_dl,
        totals.baseline_traffic as youtube_dl,
        estimates.rho,
        estimates.c,
        estimates.cpc,
        estimates.cpc_per_1000,
        estimates.log_cpc_per_1000,
        totals.n_tiles,
        totals.n_tiles_weighted,
        totals.n_contributing_tiles,
        estimates.n_hours,
        estimates.rho_ci_low,
        estimates.rho_ci_high,
        estimates.c_ci_low,
        estimates.c_ci_high,
        estimates.cpc_ci_low,
        estimates.cpc_ci_high,
        estimates.cpc_per_1000_ci_low,
        estimates.cpc_per_1000_ci_high,
        estimates.ci_method,
        estimates.ci_note,
        estimates.is_single_day_driven,
        estimates.cpc_rank,
        estimates.cpc_rank_ci_low,
        estimates.cpc_rank_ci_high,
        estimates.top_decile_probability
    from totals
    left outer join estimates on totals.code_com = estimates.code_com
),

per_1000 as (
    -- the traffic of each service per 1000 inhabitants (cpc's is the estimate's own)
    select
        *,
        case when pop > 0 then tor_dl * 1000.0 / pop end as tor_per_1000,
        case when pop > 0 then web_adult_dl * 1000.0 / pop end as web_adult_per_1000,
        case when pop > 0 then youtube_dl * 1000.0 / pop end as youtube_per_1000
    from joined
),

final as (
    select
        code_com,
        commune_name,
        city,
        code_dep,
        code_epci,
        pop,
        tor_dl,
        web_adult_dl,
        youtube_dl,
        rho,
        c,
        cpc,
        cpc_per_1000,
        log_cpc_per_1000,
        case when tor_per_1000 > 0 then ln(tor_per_1000) end as log_tor_per_1000,
        case when web_adult_per_1000 > 0 then ln(web_adult_per_1000) end as log_web_adult_per_1000,
        case when youtube_per_1000 > 0 then ln(youtube_per_1000) end as log_youtube_per_1000,
        n_tiles,
        n_contributing_tiles,
        n_hours,
        case when pop is null then 'missing' when pop = 0 then 'zero' else 'ok' end as population_status,
        '{{ method }}' as correction_method,
        {{ lag }} as tor_lag_hours,
        rho_ci_low,
        rho_ci_high,
        c_ci_low,
        c_ci_high,
        cpc_ci_low,
        cpc_ci_high,
        cpc_per_1000_ci_low,
        cpc_per_1000_ci_high,
        n_tiles_weighted,
        ci_method,
        ci_note,
        is_single_day_driven,
        cpc_rank,
        cpc_rank_ci_low,
        cpc_rank_ci_high,
        top_decile_probability
    from per_1000
)

select * from final
