{#-
  One row per commune, correction method and Tor lag with a bootstrap replicate: the
  percentile intervals of rho and c at var bootstrap_level over the replicates of
  int_commune_factor_replicates (method.md section 13; linear interpolation, as
  numpy's default quantile), and the number of replicates with a value. Empty with
  the authors' published totals.
-#}
{%- set low, high = interval_levels() %}

with

replicates as (
    select * from {{ ref('int_commune_factor_replicates') }}
),

final as (
    select
        code_com,
        correction_method,
        lag_hours,
        quantile_cont(rho, {{ low }}) as rho_ci_low,
        quantile_cont(rho, {{ high }}) as rho_ci_high,
        quantile_cont(c, {{ low }}) as c_ci_low,
        quantile_cont(c, {{ high }}) as c_ci_high,
        count(rho) as n_replicates
    from replicates
    group by code_com, correction_method, lag_hours
)

select * from final
