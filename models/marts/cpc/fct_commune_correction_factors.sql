{#-
  One row per commune, correction method and Tor lag (docs/method.md section 5): the
  correlation rho and the correction factor c derived from it by the method's rule, with
  the intervals of rho, c and cpc per 1000 and the leave-one-day-out diagnostic
  (int_commune_cpc_estimates, where they are computed; docs/method.md section 13). With traffic_source = published, the authors' own c
  and no interval.
-#}

with

estimates as (
    select * from {{ ref('int_commune_cpc_estimates') }}
),

final as (
    select
        code_com,
        correction_method,
        lag_hours,
        rho,
        c,
        n_hours,
        mean_pearson_rho,
        onion_share_bound,
        traffic_source,
        rho_ci_low,
        rho_ci_high,
        c_ci_low,
        c_ci_high,
        cpc_per_1000_ci_low,
        cpc_per_1000_ci_high,
        n_replicates,
        ci_method,
        loo_max_shift,
        loo_max_shift_day,
        is_single_day_driven,
        ci_note,
        cpc_per_1000,
        -- the publication's small-area rules read these
        population as pop,
        n_contributing_tiles
    from estimates
)

select * from final
