{#-
  One row per study commune: the study totals of download traffic of the three services
  playing the method's roles, population, and the tiles behind them. The variant of var
  traffic_source (dbt_project.yml, variants) is picked here: `netmob` sums the NetMob
  files (int_netmob_traffic_summed_by_commune); `published` reads the authors'
  cpc_com.csv (stg_published__commune_totals), which has no tile counts.
-#}

with

{% if netmob_enabled() -%}

    totals as (
        select
            code_com,
            commune_name,
            city,
            code_dep,
            code_epci,
            population,
            target_traffic,
            reference_traffic,
            baseline_traffic,
            n_tiles,
            n_tiles_weighted,
            n_contributing_tiles,
            n_cities,
            'netmob' as traffic_source
        from {{ ref('int_netmob_traffic_summed_by_commune') }}
    ),

{%- else -%}

    totals as (
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
        from {{ ref('stg_published__commune_totals') }}
    ),

{%- endif %}

final as (
    select * from totals
)

select * from final
