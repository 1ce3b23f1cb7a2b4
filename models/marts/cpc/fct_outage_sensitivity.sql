{#-
  One row per outage treatment, correction method and Tor lag: how the headline
  figures move with the treatment of the documented incidents (docs/method.md section 13;
  seed ref_outage_incidents). `as_built`: the build's estimates (the notebook's filter,
  and the incident windows missing when var outage_windows is true); `incident_days_left_out`:
  every commune's correlation recomputed from its per-day sums without the incident
  days (re-centred on the other days' means), c by the method's rule and floor. The Tor
  totals (the traffic weights) are the build's. Each row: the mean rho and mean c over
  the communes, the traffic-weighted share sum(c x Tor) / sum(Tor), and the mean
  absolute change of rho from the build's.
-#}
{%- set names = correlation_pairs().keys() | list %}

with

day_sums as (
    select * from {{ ref('int_commune_day_sums') }}
),

incident_days as (
    select distinct incident_date from {{ ref('ref_outage_incidents') }}
),

kept as (
    select
        lag_hours,
        code_com,
        sum(n_pairs) as n,
        {%- for name in names %}
            {%- for part in ['x', 'y', 'xx', 'yy', 'xy'] %}
                {{ exact_sum(name ~ '_sum_' ~ part) }} as {{ name }}_{{ part }},
            {%- endfor %}
        {%- endfor %}
        count(*) as n_days
    from day_sums
    where day not in (select incident_days.incident_date from incident_days)
    group by lag_hours, code_com
),

left_out_days as (
    select count(distinct day_sums.day) as n_days_left_out
    from day_sums
    where day in (select incident_days.incident_date from incident_days)
),

rho_left_out as (
    {%- for name in names %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            lag_hours,
            code_com,
            '{{ name }}' as correlation_name,
            ({{ name }}_xy - {{ name }}_x * {{ name }}_y / n)
            / sqrt(
                ({{ name }}_xx - {{ name }}_x * {{ name }}_x / n)
                * ({{ name }}_yy - {{ name }}_y * {{ name }}_y / n)
            ) as rho
        from kept
    {%- endfor %}
),

estimates as (
    select
        code_com,
        correction_method,
        lag_hours,
        rho,
        c,
        mean_pearson_rho
    from {{ ref('int_commune_cpc_estimates') }}
),

methods as (
    select
        correction_method,
        correlation,
        factor_rule,
        uses_onion_share
    from {{ ref('correction_methods') }}
),

constants as (
    select * from {{ ref('int_method_constants') }}
),

totals as (
    select
        code_com,
        target_traffic
    from {{ ref('int_commune_traffic_totals') }}
),

pearson_means as (
    select
        lag_hours,
        avg(rho order by code_com) as mean_pearson_rho
    from rho_left_out
    where correlation_name = 'pearson'
    group by lag_hours
),

recomputed as (
    select
        estimates.code_com,
        estimates.correction_method,
        estimates.lag_hours,
        rho_left_out.rho,
        estimates.rho as rho_as_built,
        {{ correction_factor(
            'methods.factor_rule', 'methods.uses_onion_share', 'rho_left_out.rho',
            'constants.onion_share', 'pearson_means.mean_pearson_rho'
        ) }} as c
    from estimates
    inner join methods on estimates.correction_method = methods.correction_method
    inner join rho_left_out
        on
            estimates.code_com = rho_left_out.code_com
            and estimates.lag_hours = rho_left_out.lag_hours
            and methods.correlation = rho_left_out.correlation_name
    inner join pearson_means on estimates.lag_hours = pearson_means.lag_hours
    cross join constants
),

treatments as (
    select
        'as_built' as outage_treatment,
        code_com,
        correction_method,
        lag_hours,
        rho,
        rho as rho_as_built,
        c
    from estimates
    union all
    select
        'incident_days_left_out' as outage_treatment,
        code_com,
        correction_method,
        lag_hours,
        rho,
        rho_as_built,
        c
    from recomputed
),

final as (
    select
        treatments.outage_treatment,
        treatments.correction_method,
        treatments.lag_hours,
        {{ 'true' if var('outage_windows') else 'false' }} as outage_windows,
        case
            when treatments.outage_treatment = 'as_built' then 0
            else any_value(left_out_days.n_days_left_out)
        end as n_days_left_out,
        count(treatments.rho) as n_communes,
        avg(treatments.rho order by treatments.code_com) as mean_rho,
        avg(treatments.c order by treatments.code_com) as mean_c,
        sum(treatments.c * totals.target_traffic order by treatments.code_com)
        / nullif(sum(totals.target_traffic order by treatments.code_com), 0) as traffic_weighted_share,
        avg(abs(treatments.rho - treatments.rho_as_built) order by treatments.code_com)
            as mean_abs_rho_change
    from treatments
    inner join totals on treatments.code_com = totals.code_com
    cross join left_out_days
    group by treatments.outage_treatment, treatments.correction_method, treatments.lag_hours
)

select * from final
