{{ config(enabled=netmob_enabled()) }}
{#-
  One row per commune, correction method (seed correction_methods) and Tor lag (var
  correction_lags): the method's correlation of the commune's log hourly reference
  (Web_Adult) and target (Tor) series (method.md section 5), over the hours where
  both exist, Tor at local hour t - lag paired with Web_Adult at hour t. Pearson of the
  logs; Spearman with average ranks for ties (as pandas); for v1 the Spearman of
  log WA - log YT and log Tor - log YT (earlier paper). mean_pearson_rho is the mean
  Pearson rho of the lag over all communes (the centre of the `centered` method).
  Var correction_methods, when not empty, keeps only the methods it names.
-#}
{%- set subset = list_var('correction_methods') %}

with

hours as (
    select
        code_com,
        hour_start,
        log_reference,
        log_target,
        log_baseline
    from {{ ref('int_commune_hours_logged') }}
),

methods as (
    select
        correction_method,
        correlation
    from {{ ref('correction_methods') }}
    {%- if subset %}
        where correction_method in ({{ "'" ~ subset | join("', '") ~ "'" }})
    {%- endif %}
),

lags as (
    select unnest({{ list_var('correction_lags') | list }}) as lag_hours
),

references_lagged as (
    select
        lags.lag_hours,
        hours.code_com,
        hours.hour_start,
        hours.log_reference,
        hours.log_reference - hours.log_baseline as reference_minus_baseline,
        hours.hour_start - to_hours(lags.lag_hours) as target_hour_start
    from hours
    cross join lags
),

pairs as (
    select
        references_lagged.lag_hours,
        references_lagged.code_com,
        references_lagged.hour_start,
        references_lagged.log_reference,
        target_hours.log_target,
        references_lagged.reference_minus_baseline,
        target_hours.log_target - target_hours.log_baseline as target_minus_baseline
    from references_lagged
    inner join hours as target_hours
        on
            references_lagged.code_com = target_hours.code_com
            and references_lagged.target_hour_start = target_hours.hour_start
),

ranked as (
    select
        lag_hours,
        code_com,
        log_reference,
        log_target,
        hour_start,
        {{ average_rank('log_reference', 'lag_hours, code_com') }} as rank_reference,
        {{ average_rank('log_target', 'lag_hours, code_com') }} as rank_target,
        {{ average_rank('reference_minus_baseline', 'lag_hours, code_com') }}
            as rank_reference_minus_baseline,
        {{ average_rank('target_minus_baseline', 'lag_hours, code_com') }}
            as rank_target_minus_baseline
    from pairs
),

correlations as (
    -- ordered aggregates: the same floating-point result whatever the parallelism
    select
        lag_hours,
        code_com,
        count(*) as n_hours,
        corr(log_target, log_reference order by hour_start) as rho_pearson,
        corr(rank_target, rank_reference order by hour_start) as rho_spearman,
        corr(rank_target_minus_baseline, rank_reference_minus_baseline order by hour_start)
            as rho_spearman_baseline_difference
    from ranked
    group by lag_hours, code_com
),

mean_rhos as (
    select
        lag_hours,
        avg(rho_pearson order by code_com) as mean_pearson_rho
    from correlations
    group by lag_hours
),

final as (
    select
        correlations.code_com,
        methods.correction_method,
        correlations.lag_hours,
        case methods.correlation
            when 'pearson' then correlations.rho_pearson
            when 'spearman' then correlations.rho_spearman
            when 'spearman_baseline_difference' then correlations.rho_spearman_baseline_difference
        end as rho,
        correlations.n_hours,
        mean_rhos.mean_pearson_rho,
        cast(null as double) as given_c,
        'netmob' as traffic_source
    from correlations
    inner join mean_rhos on correlations.lag_hours = mean_rhos.lag_hours
    cross join methods
)

select * from final
