{#-
  One row per headline figure of the estimate (docs/method.md sections 5-6, 12), each named
  for what it is, for the method and lag of fct_commune_cpc:
  - mean_c_unweighted: the mean of c over communes (the abstract's "0.08 %");
  - traffic_weighted_share: sum(c x Tor) / sum(Tor), the share of Tor download
    traffic estimated CSAM-related;
  - mean_rho_before_floor: the mean correlation, negative ones included (Table 1's
    0.1649); NULL with the authors' published totals, where a floored commune's rho is
    not recoverable;
  - n_floored_communes: communes whose c is the floor (negative correlation);
  - mean_cpc_per_1000 and max_cpc_per_1000 (with the commune of the maximum).
-#}
{%- set low, high = interval_levels() %}

with

cpc as (
    select
        code_com,
        rho,
        c,
        tor_dl,
        cpc_per_1000
    from {{ ref('fct_commune_cpc') }}
),

constants as (
    select c_floor from {{ ref('int_method_constants') }}
),

headline_intervals as (
    -- the bootstrap intervals of the two means (method, lag and bound of fct_commune_cpc)
    select
        quantile_cont(replicates.mean_c, {{ low }}) as mean_c_unweighted_low,
        quantile_cont(replicates.mean_c, {{ high }}) as mean_c_unweighted_high,
        quantile_cont(replicates.traffic_weighted_share, {{ low }}) as traffic_weighted_share_low,
        quantile_cont(replicates.traffic_weighted_share, {{ high }}) as traffic_weighted_share_high
    from {{ ref('int_headline_replicates') }} as replicates
    inner join {{ ref('int_method_constants') }} as method_constants
        on replicates.onion_share_bound = method_constants.onion_share_bound
    where
        replicates.correction_method = '{{ var("correction_method") }}'
        and replicates.lag_hours = {{ var("tor_lag_hours") }}
),

figures as (
    select
        avg(cpc.c order by cpc.code_com) as mean_c_unweighted,
        sum(cpc.c * cpc.tor_dl order by cpc.code_com)
        / nullif(sum(cpc.tor_dl order by cpc.code_com), 0) as traffic_weighted_share,
        case
            -- published totals: a floored commune's (negative) rho is not recoverable
            when count(*) filter (where cpc.c = constants.c_floor and cpc.rho is null) = 0
                then avg(cpc.rho order by cpc.code_com)
        end as mean_rho_before_floor,
        count(*) filter (where cpc.c = constants.c_floor) as n_floored_communes,
        avg(cpc.cpc_per_1000 order by cpc.code_com) as mean_cpc_per_1000,
        max(cpc.cpc_per_1000) as max_cpc_per_1000,
        arg_max(cpc.code_com, cpc.cpc_per_1000) as max_cpc_per_1000_commune,
        count(*) as n_communes
    from cpc
    cross join constants
),

with_intervals as (
    select
        figures.*,
        {%- set columns = [] %}
        {%- for name in ['mean_c_unweighted', 'traffic_weighted_share'] %}
            {%- for part in ['percentile', 'extra'] %}
                {%- do columns.append(headline_interval(
                    'figures.' ~ name, 'headline_intervals.' ~ name ~ '_low',
                    'headline_intervals.' ~ name ~ '_high', name, part
                )) %}
            {%- endfor %}
        {%- endfor %}
        {{ columns | join(',\n        ') }}
    from figures
    left outer join headline_intervals on true
),

final as (
    select
        figure_name,
        figure_order,
        figure_value,
        code_com,
        n_communes,
        ci_low,
        ci_high,
        basic_ci_low,
        basic_ci_high,
        ci_note
    from (
        {%- set names = ['mean_c_unweighted', 'traffic_weighted_share', 'mean_rho_before_floor',
                         'n_floored_communes', 'mean_cpc_per_1000', 'max_cpc_per_1000'] %}
        {%- for name in names %}
            {%- set has_interval = name in ['mean_c_unweighted', 'traffic_weighted_share'] %}
            {%- if not loop.first %}
                union all
            {%- endif %}
            select
                '{{ name }}' as figure_name,
                {{ loop.index }} as figure_order,
                cast({{ name }} as double) as figure_value,
                {{ 'max_cpc_per_1000_commune' if name == 'max_cpc_per_1000' else 'cast(null as varchar)' }}
                    as code_com,
                n_communes,
                {{ name ~ '_ci_low' if has_interval else 'cast(null as double)' }} as ci_low,
                {{ name ~ '_ci_high' if has_interval else 'cast(null as double)' }} as ci_high,
                {{ name ~ '_basic_ci_low' if has_interval else 'cast(null as double)' }} as basic_ci_low,
                {{ name ~ '_basic_ci_high' if has_interval else 'cast(null as double)' }} as basic_ci_high,
                {{ name ~ '_ci_note' if has_interval else 'cast(null as varchar)' }} as ci_note
            from with_intervals
        {%- endfor %}
    ) as stacked
)

select * from final
