{#-
  Table 1 of the paper: one row per variable (rho, c) of fct_commune_cpc (the method
  and lag of vars correction_method and tor_lag_hours): count, mean, sample standard
  deviation, minimum, quartiles (linear interpolation, as pandas' describe) and
  maximum over the communes where the variable is defined. In published mode rho is
  recovered from the authors' c and is NULL for the floored communes.
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
            correction_method,
            tor_lag_hours
        from cpc
        where {{ variable }} is not null
    {%- endfor %}
),

final as (
    select
        variable_name,
        any_value(variable_order) as variable_order,
        any_value(correction_method) as correction_method,
        any_value(tor_lag_hours) as tor_lag_hours,
        count(*) as n_communes,
        avg(variable_value order by code_com) as mean,
        stddev_samp(variable_value order by code_com) as std,
        min(variable_value) as min,
        quantile_cont(variable_value, 0.25) as q25,
        quantile_cont(variable_value, 0.5) as median,
        quantile_cont(variable_value, 0.75) as q75,
        max(variable_value) as max
    from stacked
    group by variable_name
)

select * from final
