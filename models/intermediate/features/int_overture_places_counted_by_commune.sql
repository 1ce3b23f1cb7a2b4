{#-
  Overture variant of int_poi_counts_by_commune: one row per study commune and POI
  group of the seed poi_category_groups: the number
  of Overture places of the group (deduplicated by place id) and the count per 1000
  inhabitants. var poi_allocation = commune_polygon (default): places inside the
  commune polygon; = tiles (the authors' rule): places inside the NetMob tiles
  allocated (primarily) to the commune.
-#}
{%- set rule = var('poi_allocation') %}
{%- if rule not in ['commune_polygon', 'tiles'] %}
    {{ exceptions.raise_compiler_error("var poi_allocation must be commune_polygon or tiles, got '" ~ rule ~ "'") }}
{%- endif %}

with

poi_groups as (
    select
        category,
        poi_group
    from {{ ref('poi_category_groups') }}
),

places as (
    select distinct on (places.place_id)
        places.place_id,
        poi_groups.poi_group,
        places.geom_l93
    from {{ ref('stg_overture__places') }} as places
    inner join poi_groups on places.category = poi_groups.category
    order by places.place_id
),

study as (
    select
        code_com,
        population
    from {{ ref('int_commune_traffic_totals') }}
),

{%- if rule == 'commune_polygon' %}

    areas as (
        select
            communes.code_com,
            communes.geom_l93
        from {{ ref('int_communes_unioned') }} as communes
        inner join study on communes.code_com = study.code_com
    ),

    located as (
        select distinct
            areas.code_com,
            places.place_id,
            places.poi_group
        from places
        inner join areas on st_contains(areas.geom_l93, places.geom_l93)
    ),

{%- else %}

areas as (
    select
        allocation.code_com,
        tiles.geom_l93
    from {{ ref('stg_netmob__tiles') }} as tiles
    inner join {{ ref('int_tiles_allocated_to_communes') }} as allocation
        on tiles.city = allocation.city and tiles.tile_id = allocation.tile_id
    where allocation.is_primary and allocation.code_com is not null
),

located as (
    select distinct
        areas.code_com,
        places.place_id,
        places.poi_group
    from places
    inner join areas on st_intersects(areas.geom_l93, places.geom_l93)
),

{%- endif %}

group_names as (
    select distinct poi_group from poi_groups
),

counts as (
    select
        code_com,
        poi_group,
        count(*) as n_places
    from located
    group by code_com, poi_group
),

final as (
    select
        study.code_com,
        group_names.poi_group,
        coalesce(counts.n_places, 0) as n_places,
        case
            when study.population > 0 then coalesce(counts.n_places, 0) * 1000.0 / study.population
        end as places_per_1000,
        '{{ rule }}' as poi_allocation
    from study
    cross join group_names
    left outer join counts
        on study.code_com = counts.code_com and group_names.poi_group = counts.poi_group
)

select * from final
