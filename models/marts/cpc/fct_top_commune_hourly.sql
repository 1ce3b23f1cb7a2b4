{#-
  One row per hour of the study for the commune with the highest cpc_per_1000
  (Figure 4's time line, at commune level: no tile, no coordinates): its hourly cpc
  (Tor x c), Tor, Web_Adult and YouTube traffic, and its number of tiles (the
  publication suppresses traffic values drawn from fewer than var
  publication_min_tiles tiles).
-#}

with

top_commune as (
    select
        code_com,
        commune_name,
        city,
        c,
        n_contributing_tiles
    from {{ ref('fct_commune_cpc') }}
    order by cpc_per_1000 desc nulls last, code_com asc
    limit 1
),

hours as (
    select
        code_com,
        hour_start,
        reference_traffic,
        target_traffic,
        baseline_traffic
    from {{ spine_relation('int_commune_hours_logged') }}
),

final as (
    select
        top_commune.code_com,
        top_commune.commune_name,
        top_commune.city,
        hours.hour_start,
        hours.target_traffic * top_commune.c as cpc,
        hours.target_traffic as tor_dl,
        hours.reference_traffic as web_adult_dl,
        hours.baseline_traffic as youtube_dl,
        top_commune.n_contributing_tiles
    from hours
    inner join top_commune on hours.code_com = top_commune.code_com
)

select * from final
