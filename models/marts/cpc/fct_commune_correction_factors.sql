{#-
  One row per commune, correction method and Tor lag (method.md section 5): the
  correlation rho between the commune's log hourly reference (Web_Adult) and target
  (Tor) series, and the correction factor c derived from it (macro correction_factor,
  constants of the seed method_constants, onion share of var onion_share_bound).
  Methods (var correction_methods): pearson (the paper), pearson_sq, centered,
  spearman (average ranks for ties, as pandas), v1_youtube_diff (earlier paper:
  Spearman of log WA - log YT and log Tor - log YT). Lags (var correction_lags): Tor at
  local hour t - lag paired with Web_Adult at hour t; only hours where both exist.
  With traffic_source = published, the authors' c (pearson, lag 0) with rho = c /
  (onion share x 105/253), NULL where c is the floor.
-#}
{%- set methods = var('correction_methods') %}
{%- set known = ['pearson', 'pearson_sq', 'centered', 'spearman', 'v1_youtube_diff'] %}
{%- for m in methods %}
    {%- if m not in known %}
        {{ exceptions.raise_compiler_error("var correction_methods: unknown method '" ~ m ~ "'; known: " ~ known | join(', ')) }}
    {%- endif %}
{%- endfor %}

with

constants as (
    select * from {{ ref('int_method_constants') }}
),

{%- if var('traffic_source') == 'netmob' %}

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
        select unnest({{ var('correction_lags') | list }}) as lag_hours
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
                as rho_v1
        from ranked
        group by lag_hours, code_com
    ),

    mean_rhos as (
        select
            lag_hours,
            avg(rho_pearson order by code_com) as mean_rho
        from correlations
        group by lag_hours
    ),

    by_method as (
    {%- for m in methods %}
            {%- if not loop.first %}
                union all
            {%- endif %}
            select
                code_com,
                '{{ m }}' as correction_method,
                lag_hours,
                {{ 'rho_spearman' if m == 'spearman' else ('rho_v1' if m == 'v1_youtube_diff' else 'rho_pearson') }}
                    as rho,
                rho_pearson,
                n_hours
            from correlations
        {%- endfor %}
    ),

    with_mean as (
        select
            by_method.*,
            mean_rhos.mean_rho
        from by_method
        inner join mean_rhos on by_method.lag_hours = mean_rhos.lag_hours
    ),

    final as (
        select
            with_mean.code_com,
            with_mean.correction_method,
            with_mean.lag_hours,
            with_mean.rho,
            {{ correction_factor(
                'with_mean.correction_method', 'with_mean.rho', 'constants.onion_share', 'with_mean.mean_rho'
            ) }} as c,
            with_mean.n_hours,
            with_mean.mean_rho as mean_pearson_rho,
            constants.onion_share_bound,
            'netmob' as traffic_source
        from with_mean
        cross join constants
    )

{%- else %}

published as (
    select
        code_com,
        c
    from {{ ref('stg_published__commune_totals') }}
),

final as (
    select
        published.code_com,
        'pearson' as correction_method,
        0 as lag_hours,
        case
            when published.c > constants.c_floor
                then published.c / (constants.onion_share * constants.cp_share_of_porn)
        end as rho,
        published.c,
        cast(null as bigint) as n_hours,
        cast(null as double) as mean_pearson_rho,
        constants.onion_share_bound,
        'published' as traffic_source
    from published
    cross join constants
)

{%- endif %}

select * from final
