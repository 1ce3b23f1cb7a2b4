{#-
  One row per commune, correction method and Tor lag (method.md section 5): the
  correlation rho of int_commune_correlations and the correction factor c derived from
  it by the method's rule (seed correction_methods, macro correction_factor; constants
  of the seed method_constants, onion share of var onion_share_bound). With
  traffic_source = published, the authors' own c. The intervals of rho, c and cpc per
  1000 come from the bootstrap over days (int_commune_factor_intervals, method.md
  section 13); NULL with the published totals, which have no hourly series.
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
    select
        code_com,
        population,
        target_traffic,
        n_contributing_tiles
    from {{ ref('int_commune_traffic_totals') }}
),

intervals as (
    select * from {{ ref('int_commune_factor_intervals') }}
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
        correlations.traffic_source,
        intervals.rho_ci_low,
        intervals.rho_ci_high,
        intervals.c_ci_low,
        intervals.c_ci_high,
        -- cpc per 1000 is c times a commune constant: its percentiles are c's, scaled
        case
            when study_communes.population > 0
                then intervals.c_ci_low * study_communes.target_traffic * 1000.0 / study_communes.population
        end as cpc_per_1000_ci_low,
        case
            when study_communes.population > 0
                then intervals.c_ci_high * study_communes.target_traffic * 1000.0 / study_communes.population
        end as cpc_per_1000_ci_high,
        intervals.n_replicates,
        case when intervals.n_replicates > 0 then 'day_block_bootstrap' end as ci_method,
        -- the publication's small-area rules read these
        study_communes.population as pop,
        study_communes.n_contributing_tiles
    from correlations
    inner join methods on correlations.correction_method = methods.correction_method
    left outer join study_communes on correlations.code_com = study_communes.code_com
    left outer join intervals
        on
            correlations.code_com = intervals.code_com
            and correlations.correction_method = intervals.correction_method
            and correlations.lag_hours = intervals.lag_hours
    cross join constants
)

select * from final
