{{ config(enabled=netmob_enabled()) }}
{#-
  One row per commune, correction method, Tor lag and bootstrap replicate: the
  replicate's rho (int_commune_correlation_replicates, the method's correlation) and
  the correction factor c derived from it by the method's rule, the floor applied to
  each replicate (macro correction_factor, onion share of var onion_share_bound;
  method.md section 13). mean_pearson_rho is the replicate's mean Pearson rho over the
  communes (the centre of the `centered` method), from the same draws of days.
-#}

with

replicates as (
    select
        code_com,
        lag_hours,
        correlation,
        replicate,
        -- a replicate without variance in a series has no correlation
        case when not isnan(rho) then rho end as rho
    from {{ ref('int_commune_correlation_replicates') }}
),

correlations as (
    select
        code_com,
        correction_method,
        lag_hours
    from {{ ref('int_commune_correlations') }}
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

pearson_means as (
    select
        lag_hours,
        replicate,
        avg(rho order by code_com) as mean_pearson_rho
    from replicates
    where correlation = 'pearson'
    group by lag_hours, replicate
),

final as (
    select
        correlations.code_com,
        correlations.correction_method,
        correlations.lag_hours,
        replicates.replicate,
        replicates.rho,
        {{ correction_factor(
            'methods.factor_rule', 'methods.uses_onion_share', 'replicates.rho',
            'constants.onion_share', 'pearson_means.mean_pearson_rho'
        ) }} as c,
        pearson_means.mean_pearson_rho
    from correlations
    inner join methods on correlations.correction_method = methods.correction_method
    inner join replicates
        on
            correlations.code_com = replicates.code_com
            and correlations.lag_hours = replicates.lag_hours
            and methods.correlation = replicates.correlation
    left outer join pearson_means
        on replicates.lag_hours = pearson_means.lag_hours and replicates.replicate = pearson_means.replicate
    cross join constants
)

select * from final
