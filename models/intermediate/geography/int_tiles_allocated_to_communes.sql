{#-
  Tile -> commune allocation, by var('tile_allocation'):
  - centroid (default, the authors' rule): the tile goes wholly to the commune whose
    polygon contains its centroid, computed in Lambert-93 (a centroid exactly on a
    boundary goes to the smallest code, so each tile has one commune at most);
  - area_weighted: the tile is shared between the communes it overlaps in proportion
    to the overlap area;
  - crosswalk: weights from a precomputed file (staging stg_crosswalk__tile_communes).
  Whatever is not allocated to a commune (a tile in no commune, or the uncovered part
  of a tile) is kept as a row with code_com NULL and status `outside`, so it is counted
  and reported downstream, never dropped silently. Weights are also given as integer
  parts per million (summing to exactly 1,000,000 per tile) for exact aggregation.
-#}
{%- set rule = var('tile_allocation') %}
{%- if rule not in ['centroid', 'area_weighted', 'crosswalk'] %}
    {{ exceptions.raise_compiler_error("var tile_allocation must be centroid, area_weighted or crosswalk, got '" ~ rule ~ "'") }}
{%- endif %}

with

tiles as (
    select
        city,
        tile_id,
        geom_l93
    from {{ ref('stg_netmob__tiles') }}
),

communes as (
    select
        code_com,
        geom_l93
    from {{ ref('int_communes_unioned') }}
),

{%- if rule == 'centroid' %}

    centroids as (
        select
            city,
            tile_id,
            st_centroid(geom_l93) as centroid
        from tiles
    ),

    matches as (
        select
            centroids.city,
            centroids.tile_id,
            communes.code_com,
            row_number() over (
                partition by centroids.city, centroids.tile_id order by communes.code_com
            ) as match_rank
        from centroids
        inner join communes on st_intersects(communes.geom_l93, centroids.centroid)
    ),

    allocated as (
        select
            tiles.city,
            tiles.tile_id,
            matches.code_com,
            1.0 as weight
        from tiles
        left outer join matches
            on
                tiles.city = matches.city
                and tiles.tile_id = matches.tile_id
                and matches.match_rank = 1
    ),

{%- elif rule == 'area_weighted' %}

tile_overlaps as (
    select
        tiles.city,
        tiles.tile_id,
        communes.code_com,
        st_area(st_intersection(tiles.geom_l93, communes.geom_l93)) / st_area(tiles.geom_l93)
            as weight
    from tiles
    inner join communes on st_intersects(tiles.geom_l93, communes.geom_l93)
),

shares as (
    select * from tile_overlaps
    where weight > 0
),

{%- else %}

shares as (
    select
        city,
        tile_id,
        code_com,
        weight
    from {{ ref('stg_crosswalk__tile_communes') }}
),

{%- endif %}

{%- if rule != 'centroid' %}

-- what the shares leave of each tile is kept as one `outside` row (code_com null)
remainders as (
    select
        tiles.city,
        tiles.tile_id,
        cast(null as varchar) as code_com,
        1.0 - coalesce(sum(shares.weight), 0.0) as weight
    from tiles
    left join shares on tiles.city = shares.city and tiles.tile_id = shares.tile_id
    group by tiles.city, tiles.tile_id
    having 1.0 - coalesce(sum(shares.weight), 0.0) > 1e-9
),

allocated as (
    select * from shares
    union all
    select * from remainders
),

{%- endif %}

quantised as (
    -- weights as integer parts per million summing to exactly 1,000,000 per tile
    -- (largest remainder), so the weighted aggregation is exact integer arithmetic
    select
        city,
        tile_id,
        code_com,
        weight,
        cast(floor(weight * 1000000) as bigint) as floor_ppm,
        1000000 - sum(cast(floor(weight * 1000000) as bigint)) over (partition by city, tile_id)
            as remainder_ppm,
        row_number() over (
            partition by city, tile_id
            order by weight * 1000000 - floor(weight * 1000000) desc, code_com nulls last
        ) as remainder_rank,
        row_number() over (
            partition by city, tile_id order by weight desc, code_com asc nulls last
        ) as weight_rank
    from allocated
),

final as (
    select
        city,
        tile_id,
        code_com,
        weight,
        floor_ppm + case when remainder_rank <= remainder_ppm then 1 else 0 end as weight_ppm,
        weight_rank = 1 as is_primary,
        case when code_com is null then 'outside' else 'commune' end as allocation_status,
        '{{ rule }}' as allocation_rule
    from quantised
)

select * from final
