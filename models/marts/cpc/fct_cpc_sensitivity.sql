{#-
  One row per onion-share bound, correction method and Tor lag: how the estimate moves
  with the method's choices. mean_c is the mean commune correction factor, share the
  traffic-weighted share sum(c x Tor) / sum(Tor), total_cpc = sum(c x Tor). c is
  recomputed from each commune's rho with the bound's onion share (macro
  correction_factor); a commune whose published c is the floor keeps it. The *_ci_*
  columns are percentile intervals (var bootstrap_level) over the bootstrap replicates
  of int_headline_replicates (docs/method.md section 13; NULL with the published totals),
  beside the basic intervals and a note where the percentile interval excludes the
  estimate (macro headline_interval); mean_c_unfloored is the mean of the rule's raw
  value, negative ones included (what the floor adds).
-#}
{%- set low, high = interval_levels() %}

with

constants as (
    select * from {{ ref('int_method_constants') }}
),

factors as (
    select
        code_com,
        correction_method,
        lag_hours,
        rho,
        c,
        mean_pearson_rho
    from {{ ref('fct_commune_correction_factors') }}
),

totals as (
    select
        code_com,
        target_traffic
    from {{ ref('int_commune_traffic_totals') }}
),

methods as (
    select
        correction_method,
        factor_rule,
        uses_onion_share
    from {{ ref('correction_methods') }}
),

bounds as (
    {{ onion_share_bounds('constants') }}
),

headline_intervals as (
    select
        onion_share_bound,
        correction_method,
        lag_hours,
        quantile_cont(mean_c, {{ low }}) as mean_c_low,
        quantile_cont(mean_c, {{ high }}) as mean_c_high,
        quantile_cont(traffic_weighted_share, {{ low }}) as traffic_weighted_share_low,
        quantile_cont(traffic_weighted_share, {{ high }}) as traffic_weighted_share_high
    from {{ ref('int_headline_replicates') }}
    group by onion_share_bound, correction_method, lag_hours
),

recomputed as (
    select
        bounds.onion_share_bound,
        bounds.onion_share,
        factors.code_com,
        factors.correction_method,
        factors.lag_hours,
        factors.rho,
        totals.target_traffic,
        case
            when factors.rho is null then factors.c
            else
                {{ correction_factor(
                    'methods.factor_rule', 'methods.uses_onion_share', 'factors.rho',
                    'bounds.onion_share', 'factors.mean_pearson_rho'
                ) }}
        end as c,
        {{ correction_factor(
            'methods.factor_rule', 'methods.uses_onion_share', 'factors.rho',
            'bounds.onion_share', 'factors.mean_pearson_rho', floor=false
        ) }} as c_unfloored
    from factors
    inner join totals on factors.code_com = totals.code_com
    inner join methods on factors.correction_method = methods.correction_method
    cross join bounds
    cross join constants
),

point as (
    select
        onion_share_bound,
        any_value(onion_share) as onion_share,
        correction_method,
        lag_hours,
        count(*) as n_communes,
        avg(c order by code_com) as mean_c,
        sum(c * target_traffic order by code_com) / nullif(sum(target_traffic order by code_com), 0)
            as traffic_weighted_share,
        sum(c * target_traffic order by code_com) as total_cpc,
        -- the rule's raw value, negative ones included: no floor (NULL where rho is unknown)
        case when count(rho) = count(*) then avg(c_unfloored order by code_com) end as mean_c_unfloored
    from recomputed
    group by onion_share_bound, correction_method, lag_hours
),

final as (
    select
        point.onion_share_bound,
        point.onion_share,
        point.correction_method,
        point.lag_hours,
        point.n_communes,
        point.mean_c,
        point.traffic_weighted_share,
        point.total_cpc,
        {%- for part in ['percentile', 'extra'] %}
            {{ headline_interval(
                'point.mean_c', 'headline_intervals.mean_c_low', 'headline_intervals.mean_c_high',
                'mean_c', part
            ) }},
            {{ headline_interval(
                'point.traffic_weighted_share', 'headline_intervals.traffic_weighted_share_low',
                'headline_intervals.traffic_weighted_share_high', 'traffic_weighted_share', part
            ) }},
        {%- endfor %}
        point.mean_c_unfloored
    from point
    left outer join headline_intervals
        on
            point.onion_share_bound = headline_intervals.onion_share_bound
            and point.correction_method = headline_intervals.correction_method
            and point.lag_hours = headline_intervals.lag_hours
)

select * from final
