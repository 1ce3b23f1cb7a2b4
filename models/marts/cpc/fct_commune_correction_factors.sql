{#-
  One row per commune, correction method and Tor lag (method.md section 5): the
  correlation rho of int_commune_correlations and the correction factor c derived from
  it by the method's rule (seed correction_methods, macro correction_factor; constants
  of the seed method_constants, onion share of var onion_share_bound). With
  traffic_source = published, the authors' own c.
-#}

with

correlations as (
    select * from {{ ref('int_commune_correlations') }}
),

methods as (
    select
        correction_method,
        factor_rule,
        uses_onion_share
    from {{ ref('correction_methods') }}
),

constants as (
    select * from {{ ref('int_method_constants') }}
),

study_communes as (
    select code_com from {{ ref('int_commune_traffic_totals') }}
),

final as (
    select
        -- every commune with a correlation is a study commune, or the build stops
        coalesce(
            study_communes.code_com,
            {{ cpc_error(
                "'commune ' || correlations.code_com"
                ~ " || ' has a correlation but is not a study commune of int_commune_traffic_totals'"
            ) }}
        ) as code_com,
        correlations.correction_method,
        correlations.lag_hours,
        correlations.rho,
        coalesce(
            correlations.given_c,
            {{ correction_factor(
                'methods.factor_rule', 'methods.uses_onion_share', 'correlations.rho',
                'constants.onion_share', 'correlations.mean_pearson_rho'
            ) }}
        ) as c,
        correlations.n_hours,
        correlations.mean_pearson_rho,
        constants.onion_share_bound,
        correlations.traffic_source
    from correlations
    inner join methods on correlations.correction_method = methods.correction_method
    left outer join study_communes on correlations.code_com = study_communes.code_com
    cross join constants
)

select * from final
