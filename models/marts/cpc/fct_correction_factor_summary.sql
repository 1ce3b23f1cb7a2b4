{#-
  Table 1 of the paper: one row per variable (rho, c) of fct_commune_cpc (the method
  and lag of vars correction_method and tor_lag_hours): count, mean, sample standard
  deviation, minimum, quartiles (linear interpolation, as pandas' describe) and
  maximum over the communes of the study, rho before the floor.

  In published mode rho is recovered from the authors' c and is NULL for the floored
  communes: their (negative) correlation is only known to lie below every other. Those
  communes are counted in n_censored and sorted first, so the order statistics whose
  interpolation stays above them (the quartiles and the maximum of Table 1: 0.1166 /
  0.1684 / 0.2139 / 0.4971 on cpc_com.csv) are exact; mean, std, minimum and any
  quantile that would touch them are NULL rather than biased.
-#}

with

cpc as (
    select
        code_com,
        rho,
        c,
        correction_method,
        tor_lag_hours
    from {{ ref('fct_commune_cpc') }}
),

stacked as (
    {%- for variable in ['rho', 'c'] %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ variable }}' as variable_name,
            {{ loop.index }} as variable_order,
            code_com,
            {{ variable }} as variable_value,
            -- a commune with a factor but no recoverable value lies below every value
            coalesce({{ variable }}, cast('-infinity' as double)) as ranked_value,
            {{ variable }} is null as is_censored,
            correction_method,
            tor_lag_hours
        from cpc
        where c is not null
    {%- endfor %}
),

summarised as (
    select
        variable_name,
        any_value(variable_order) as variable_order,
        any_value(correction_method) as correction_method,
        any_value(tor_lag_hours) as tor_lag_hours,
        count(variable_value) as n_communes,
        count(*) filter (where is_censored) as n_censored,
        count(*) as n_ranked,
        avg(variable_value order by code_com) as mean,
        stddev_samp(variable_value order by code_com) as std,
        min(variable_value) as min,
        {%- for name, p in [('q25', 0.25), ('median', 0.5), ('q75', 0.75)] %}
            quantile_cont(ranked_value, {{ p }}) as {{ name }}_ranked,
        {%- endfor %}
        max(variable_value) as max
    from stacked
    group by variable_name
),

final as (
    select
        variable_name,
        variable_order,
        correction_method,
        tor_lag_hours,
        n_communes,
        case when n_censored = 0 then mean end as mean,
        case when n_censored = 0 then std end as std,
        case when n_censored = 0 then min end as min,
        {%- for name, p in [('q25', 0.25), ('median', 0.5), ('q75', 0.75)] %}
            -- linear interpolation reads the values at ranks floor(h) and floor(h) + 1
            -- (0-based, h = (n - 1) p): exact when both lie above the censored ones
            case when floor((n_ranked - 1) * {{ p }}) >= n_censored then {{ name }}_ranked end
                as {{ name }},
        {%- endfor %}
        max,
        n_censored
    from summarised
)

select * from final
