{#-
  One row per commune, Tor lag (var correction_lags) and hour of the reference series:
  the paired values that the commune's correlations are computed from (docs/method.md
  section 5), Tor at local hour t - lag beside Web_Adult at hour t, over the hours
  where both exist: for each correlation of macro correlation_pairs, its x (Tor side)
  and y (Web_Adult side), i.e. the logs (pearson), their average ranks within the
  commune and lag (spearman; ties shared, as pandas), and the ranks of the differences
  from YouTube (the earlier paper's v1). Read by int_commune_correlations (the
  estimate) and int_commune_day_sums (its bootstrap).
-#}

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

lags as (
    {{ values_of(list_var('correction_lags') | list, 'lag_hours') }}
),

references_lagged as (
    select
        lags.lag_hours,
        hours.code_com,
        hours.hour_start,
        hours.log_reference,
        hours.log_reference - hours.log_baseline as reference_minus_baseline,
        {{ minus_hours('hours.hour_start', 'lags.lag_hours') }} as target_hour_start
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
        hour_start,
        log_reference,
        log_target,
        reference_minus_baseline,
        target_minus_baseline,
        {{ average_rank('log_reference', 'lag_hours, code_com') }} as rank_reference,
        {{ average_rank('log_target', 'lag_hours, code_com') }} as rank_target,
        {{ average_rank('reference_minus_baseline', 'lag_hours, code_com') }}
            as rank_reference_minus_baseline,
        {{ average_rank('target_minus_baseline', 'lag_hours, code_com') }}
            as rank_target_minus_baseline
    from pairs
),

final as (
    select
        {%- for name, pair in correlation_pairs().items() %}
            {{ pair[0] }} as {{ name }}_x,
            {{ pair[1] }} as {{ name }}_y,
        {%- endfor %}
        lag_hours,
        code_com,
        hour_start
    from ranked
)

select * from final
