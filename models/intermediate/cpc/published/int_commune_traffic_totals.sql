{{ config(enabled=not netmob_enabled()) }}
{#-
  Published mode (var traffic_source = published): one row per commune of the authors'
  cpc_com.csv, with their study totals and population; no tile counts.
-#}

with

published as (
    select * from {{ ref('stg_published__commune_totals') }}
),

final as (
    select
        code_com,
        cast(null as varchar) as commune_name,
        city,
        case when code_com like '97%' then left(code_com, 3) else left(code_com, 2) end as code_dep,
        cast(null as varchar) as code_epci,
        population,
        tor_traffic as target_traffic,
        web_adult_traffic as reference_traffic,
        youtube_traffic as baseline_traffic,
        cast(null as bigint) as n_tiles,
        cast(null as double) as n_tiles_weighted,
        cast(null as bigint) as n_contributing_tiles,
        cast(null as bigint) as n_cities,
        'published' as traffic_source
    from published
)

select * from final
