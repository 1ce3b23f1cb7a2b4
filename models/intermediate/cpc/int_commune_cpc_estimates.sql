{#-
  One row per commune, correction method and Tor lag: the estimate of rho, c, cpc and
  cpc per 1000 (replicate 0 of int_commune_factor_draws, where they are computed) with
  their intervals at var bootstrap_level (docs/method.md section 13): by var
  rho_interval_method, the EWC interval of rho (int_commune_rho_intervals) carried
  through the factor formula (replicates -1..-3 of int_commune_factor_draws), or the
  percentile intervals over the bootstrap replicates (linear interpolation, as numpy's
  default quantile); the leave-one-day-out diagnostic of rho; the
  number of replicates with a correlation, and the commune's population and tiles (the
  publication's small-area rules). Intervals are NULL with the authors' published
  totals (no replicate).
-#}
{%- set low, high = interval_levels() %}

{#- an estimate outside its own interval, for any of the four quantities -#}
{%- set outside_any_interval = [] %}
{%- for quantity in ['rho', 'c', 'cpc', 'cpc_per_1000'] %}
    {%- do outside_any_interval.append('not coalesce(' ~ within_interval(
        'estimates.' ~ quantity, 'intervals.' ~ quantity ~ '_ci_low', 'intervals.' ~ quantity ~ '_ci_high'
    ) ~ ', true)') %}
{%- endfor %}

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

{%- if var('rho_interval_method') == 'ewc' %}

    -- the EWC interval: its ends through the factor formula (int_commune_factor_draws,
    -- replicates -1, -2, -3); every quantity is monotone between them
    intervals as (
        select
            code_com,
            correction_method,
            lag_hours,
            min(rho) filter (where replicate in (-1, -2)) as rho_ci_low,
            max(rho) filter (where replicate in (-1, -2)) as rho_ci_high,
            min(c) as c_ci_low,
            max(c) as c_ci_high,
            min(cpc) as cpc_ci_low,
            max(cpc) as cpc_ci_high,
            min(cpc_per_1000) as cpc_per_1000_ci_low,
            max(cpc_per_1000) as cpc_per_1000_ci_high
        from draws
        where replicate < 0
        group by code_com, correction_method, lag_hours
    ),

{%- else %}

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
        quantile_cont(cpc_per_1000, {{ high }}) as cpc_per_1000_ci_high
    from draws
    where replicate > 0
    group by code_com, correction_method, lag_hours
),

{%- endif %}

replicate_counts as (
    select
        code_com,
        correction_method,
        lag_hours,
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

{%- if netmob_enabled() %}

    -- the leave-one-day-out diagnostic of the method's correlation
    single_days as (
        select
            intervals.code_com,
            methods.correction_method,
            intervals.lag_hours,
            intervals.loo_max_shift,
            cast(intervals.loo_max_shift_day as date) as loo_max_shift_day,
            intervals.rho_ci_high - intervals.rho_ci_low as ewc_width
        from {{ ref('int_commune_rho_intervals') }} as intervals
        inner join {{ ref('correction_methods') }} as methods
            on intervals.correlation = methods.correlation
    ),

{%- else %}

    single_days as (
        select
            cast(null as varchar) as code_com,
            cast(null as varchar) as correction_method,
            cast(null as integer) as lag_hours,
            cast(null as double) as loo_max_shift,
            cast(null as date) as loo_max_shift_day,
            cast(null as double) as ewc_width
        where false
    ),

{%- endif %}

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
        replicate_counts.n_replicates,
        case
            when intervals.rho_ci_low is not null
                then '{{ "ewc" if var("rho_interval_method") == "ewc" else "day_block_bootstrap" }}'
        end as ci_method,
        totals.population,
        totals.n_contributing_tiles,
        single_days.loo_max_shift,
        single_days.loo_max_shift_day,
        -- one day moves rho by more than half its interval's width
        single_days.loo_max_shift > (intervals.rho_ci_high - intervals.rho_ci_low) / 2
            as is_single_day_driven,
        -- why an interval may not contain its estimate (NULL: every interval does)
        case
            when {{ outside_any_interval | join('\n                or ') }}
                then
                    'percentile interval of the day bootstrap excludes the estimate'
                    || ' (the floor on each replicate, or a skewed replicate distribution)'
        end as ci_note
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
    left outer join replicate_counts
        on
            estimates.code_com = replicate_counts.code_com
            and estimates.correction_method = replicate_counts.correction_method
            and estimates.lag_hours = replicate_counts.lag_hours
    left outer join totals on estimates.code_com = totals.code_com
    left outer join single_days
        on
            estimates.code_com = single_days.code_com
            and estimates.correction_method = single_days.correction_method
            and estimates.lag_hours = single_days.lag_hours
    cross join constants
)

select * from final
