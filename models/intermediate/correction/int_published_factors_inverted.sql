{#-
  Published variant of int_commune_correlations (var traffic_source = published): one
  row per commune of the authors' cpc_com.csv, for their method and lag (vars
  published_correction_method, lag 0):
  their correction factor c (given_c) and the correlation recovered from it,
  rho = c / (onion share x 105/253), NULL where c is the floor (the correlation was
  negative and is not recoverable). No hourly series: n_hours and mean_pearson_rho are
  NULL.
-#}

with

published as (
    select
        code_com,
        c
    from {{ ref('stg_published__commune_totals') }}
),

constants as (
    select * from {{ ref('int_method_constants') }}
),

methods as (
    select correction_method
    from {{ ref('correction_methods') }}
    where correction_method = '{{ var("published_correction_method") }}'
),

final as (
    select
        published.code_com,
        methods.correction_method,
        0 as lag_hours,
        case
            when published.c > constants.c_floor
                then published.c / (constants.onion_share * constants.cp_share_of_porn)
        end as rho,
        cast(null as bigint) as n_hours,
        cast(null as double) as mean_pearson_rho,
        published.c as given_c,
        'published' as traffic_source
    from published
    cross join constants
    cross join methods
)

select * from final
