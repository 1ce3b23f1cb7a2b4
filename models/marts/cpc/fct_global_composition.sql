{#-
  One row per scope and onion-share bound: the composition of the estimate (Figure 1,
  docs/method.md section 5). scope `global`: onion share x porn share of onion pages
  (2,267,628 / 5,437,248, DarkBERT) x child-pornography share of porn sites (105/253,
  DUTA) = 0.19 % with the lower bound; scope `france`: the porn component is instead
  the mean commune correlation rho of the selected method and lag (the paper's 16.5 %),
  and `mean_c` the mean commune correction factor (the paper's 0.08 %), with the
  traffic-weighted share sum(c x Tor) / sum(Tor) and the bootstrap intervals of both
  (int_headline_replicates, var bootstrap_level; docs/method.md section 13; NULL with the
  published totals and for scope global, a product of published constants): percentile,
  basic, and a note where the percentile interval excludes the estimate (macro
  headline_interval).
-#}
{%- set low, high = interval_levels() %}

with

constants as (
    select * from {{ ref('int_method_constants') }}
),

factors as (
    select
        code_com,
        rho,
        c,
        tor_dl,
        correction_method,
        tor_lag_hours
    from {{ ref('fct_commune_cpc') }}
),

france as (
    select
        avg(rho order by code_com) as mean_rho,
        avg(c order by code_com) as mean_c,
        sum(c * tor_dl order by code_com) / nullif(sum(tor_dl order by code_com), 0)
            as traffic_weighted_share,
        any_value(correction_method) as correction_method,
        any_value(tor_lag_hours) as tor_lag_hours,
        count(*) as n_communes
    from factors
),

-- the bootstrap intervals of the two means, for the method and lag of fct_commune_cpc
headline_intervals as (
    select
        replicates.onion_share_bound,
        quantile_cont(replicates.mean_c, {{ low }}) as mean_c_low,
        quantile_cont(replicates.mean_c, {{ high }}) as mean_c_high,
        quantile_cont(replicates.traffic_weighted_share, {{ low }}) as traffic_weighted_share_low,
        quantile_cont(replicates.traffic_weighted_share, {{ high }}) as traffic_weighted_share_high
    from {{ ref('int_headline_replicates') }} as replicates
    inner join france
        on
            replicates.correction_method = france.correction_method
            and replicates.lag_hours = france.tor_lag_hours
    group by replicates.onion_share_bound
),

bounds as (
    {{ onion_share_bounds('constants') }}
),

scopes as (
    select
        'global' as scope,
        bounds.onion_share_bound,
        bounds.onion_share,
        constants.porn_share_of_onion_pages as porn_component,
        'porn share of onion pages (Jin et al. 2023)' as porn_component_source,
        constants.cp_share_of_porn,
        cast(null as double) as mean_c,
        cast(null as bigint) as n_communes,
        cast(null as double) as traffic_weighted_share
    from bounds
    cross join constants
    union all
    select
        'france' as scope,
        bounds.onion_share_bound,
        bounds.onion_share,
        france.mean_rho as porn_component,
        'mean commune correlation of log hourly Web_Adult and Tor' as porn_component_source,
        constants.cp_share_of_porn,
        france.mean_c * bounds.onion_share / constants.onion_share as mean_c,
        france.n_communes,
        france.traffic_weighted_share * bounds.onion_share / constants.onion_share
            as traffic_weighted_share
    from bounds
    cross join constants
    cross join france
),

final as (
    select
        scopes.scope,
        scopes.onion_share_bound,
        scopes.onion_share,
        scopes.porn_component,
        scopes.porn_component_source,
        scopes.cp_share_of_porn,
        scopes.onion_share * scopes.porn_component * scopes.cp_share_of_porn as share,
        100.0 * scopes.onion_share * scopes.porn_component * scopes.cp_share_of_porn as share_pct,
        scopes.mean_c,
        scopes.n_communes,
        scopes.traffic_weighted_share,
        {%- set columns = [] %}
        {%- for part in ['percentile', 'extra'] %}
            {%- do columns.append(headline_interval(
                'scopes.mean_c', 'headline_intervals.mean_c_low', 'headline_intervals.mean_c_high',
                'mean_c', part
            )) %}
            {%- do columns.append(headline_interval(
                'scopes.traffic_weighted_share', 'headline_intervals.traffic_weighted_share_low',
                'headline_intervals.traffic_weighted_share_high', 'traffic_weighted_share', part
            )) %}
        {%- endfor %}
        {{ columns | join(',\n        ') }}
    from scopes
    left outer join headline_intervals
        on scopes.scope = 'france' and scopes.onion_share_bound = headline_intervals.onion_share_bound
)

select * from final
