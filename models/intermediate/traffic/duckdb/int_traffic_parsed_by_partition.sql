{{ config(
    materialized="partitioned_table",
    partitions=netmob_partitions(),
    enabled=spine_here() and target.type != "spark",
) }}
{#-
  The single parse of the NetMob text, one city x service x direction at a time
  (materialization partitioned_table: bounded memory; DuckDB reads only the
  partition's files, through the macro that defines stg_netmob__traffic). Tile rows are
  joined to their communes and aggregated *wide*, before any unpivot, to one row per
  day and commune (or allocation status `outside` / `unknown_tile`) holding
  - the 96 slot sums of the allocated traffic, as exact integers in nano-units
    (1e-9 of a traffic unit): NetMob values have 3 decimals, so sums are exact and
    the same whatever the order of a parallel aggregation (centroid rule: a
    compensated sum rounded to the milli-unit; weighted rules: integer milli-units x
    parts-per-million weights);
  - the list of the day's tile totals (milli-units) of the tiles whose first
    allocation row is this commune, from which int_traffic_aggregated_to_tiles
    derives each tile's study total without reading the text again. Each entry packs
    the tile id and the total in one BIGINT, tile_id * 2^40 + total_milli (a list of
    structs costs a third of the parse): tile ids must lie in [0, 2^23) and a tile's
    daily total in [0, 2^40) milli-units, or the parse stops naming the file and tile.
-#}
{%- set slots = netmob_slot_columns() %}
{%- set weighted = var('tile_allocation') != 'centroid' %}
-- depends_on: {{ ref('stg_netmob__traffic') }}
-- (after the file listing, whose tests stop the build on a missing file)
-- depends_on: {{ ref('int_netmob_files_listed') }}

with

traffic as (
    -- the partition's files only, read by the same macro as stg_netmob__traffic (binding
    -- the whole staging view for every partition would cost more than the parse)
    {{ read_netmob_traffic('@@city@@', '@@service@@', '@@direction@@') }}
),

allocation as (
    -- a small integer key per commune of the city (0 = outside every commune) keeps the
    -- hot aggregation's hash cheap; names come back after aggregating
    select
        tile_id,
        code_com,
        weight_ppm,
        is_primary,
        allocation_status,
        case when code_com is null then 0 else dense_rank() over (order by code_com) end
            as commune_key
    from {{ ref('int_tiles_allocated_to_communes') }}
    where city = '@@city@@'
),

commune_keys as (
    select distinct
        commune_key,
        code_com,
        allocation_status
    from allocation
),

joined as (
    select
        traffic.source_file,
        traffic.tile_id,
        coalesce(allocation.commune_key, -1) as commune_key,  -- -1: tile id not in the GeoJSON
        coalesce(allocation.weight_ppm, 1000000) as weight_ppm,
        coalesce(allocation.is_primary, true) as is_primary,
        {%- for c in slots %}
            traffic.{{ c }},
        {%- endfor %}
        traffic.row_total
    from traffic
    left outer join allocation on traffic.tile_id = allocation.tile_id
),

aggregated as (
    select
        source_file,
        commune_key,
        sum(weight_ppm) / 1e6 as n_tile_rows,
        list(
            case
                when tile_id between 0 and 8388607 and row_total >= 0 and row_total < 1099511627.776
                    then tile_id * 1099511627776 + cast(round(row_total * 1000) as bigint)
                else error(
                    source_file || ': tile ' || tile_id || ' has a daily total of ' || row_total
                    || '; expected a tile id in [0, 8388607] and a total in [0, 1.1e9)'
                )
            end
        ) filter (where is_primary) as tile_totals,
    {%- for c in slots %}
        {%- if weighted %}
                sum(cast(round({{ c }} * 1000) as bigint) * weight_ppm) as {{ c }}
            {%- else %}
            cast(round(fsum({{ c }}) * 1000) as hugeint) * 1000000 as {{ c }}
        {%- endif %}
        {{- "," if not loop.last }}
    {%- endfor %}
    from joined
    group by source_file, commune_key
),

final as (
    select
        '@@city@@' as city,
        '@@service@@' as service,
        '@@direction@@' as direction,
        cast(
            strptime(regexp_extract(aggregated.source_file, '_([0-9]{8})_[A-Z]{2}\.txt$', 1), '%Y%m%d')
            as date
        ) as traffic_date,
        coalesce(commune_keys.allocation_status, 'unknown_tile') as allocation_status,
        commune_keys.code_com,
        aggregated.n_tile_rows,
        {%- for c in slots %}
            aggregated.{{ c }},
        {%- endfor %}
        aggregated.tile_totals,
        aggregated.source_file
    from aggregated
    left outer join commune_keys on aggregated.commune_key = commune_keys.commune_key
)

select * from final
