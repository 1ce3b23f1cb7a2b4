{#-
  One row per scope and onion-share bound: the composition of the estimate (Figure 1,
  method.md section 5). scope `global`: onion share x porn share of onion pages
  (2,267,628 / 5,437,248, DarkBERT) x child-pornography share of porn sites (105/253,
  DUTA) = 0.19 % with the lower bound; scope `france`: the porn component is instead
  the mean commune correlation rho of the selected method and lag (the paper's 16.5 %),
  and `mean_c` the mean commune correction factor (the paper's 0.08 %).
-#}

with

constants as (
    select * from {{ ref('int_method_constants') }}
),

factors as (
    select
        code_com,
        rho,
        c
    from {{ ref('fct_commune_cpc') }}
),

france as (
    select
        avg(rho order by code_com) as mean_rho,
        avg(c order by code_com) as mean_c,
        count(*) as n_communes
    from factors
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
        cast(null as bigint) as n_communes
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
        france.n_communes
    from bounds
    cross join constants
    cross join france
),

final as (
    select
        scope,
        onion_share_bound,
        onion_share,
        porn_component,
        porn_component_source,
        cp_share_of_porn,
        onion_share * porn_component * cp_share_of_porn as share,
        100.0 * onion_share * porn_component * cp_share_of_porn as share_pct,
        mean_c,
        n_communes
    from scopes
)

select * from final
