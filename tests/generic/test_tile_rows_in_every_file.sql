{#-
  Gate on the parse (int_traffic_parsed_by_partition, or Spark's): NetMob writes every
  tile of a city in every file (data_formats.md); fails when a tile read from some file
  of a city, service and direction is missing from another of them (its traffic that day
  would be lost without a word), naming the file and the tile; tile ids absent from the
  city's GeoJSON are left to the unknown-tile gate. Reads the packed daily
  tile totals (macro pack_tile_total), never the text. With severity warn (var
  netmob_missing_tile_rows: warn) the missing rows are counted and named, and the day
  is read without them.
  Example: data_tests: [tile_rows_in_every_file]
-#}
{% test tile_rows_in_every_file(model) %}

{%- set failing %}
with

tile_days as (
    select
        city,
        service,
        direction,
        source_file,
        {{ tile_id_of('tile_day') }} as tile_id
    from (
        select
            city,
            service,
            direction,
            source_file,
            unnest(tile_totals) as tile_day
        from {{ model }}
        -- a tile id absent from the GeoJSON is the unknown-tile gate's (traffic_share_at_most)
        where allocation_status <> 'unknown_tile'
    ) as unpacked
),

files as (
    select distinct
        city,
        service,
        direction,
        source_file
    from {{ model }}
),

file_counts as (
    select
        city,
        service,
        direction,
        count(*) as n_files
    from files
    group by city, service, direction
),

tiles as (
    select
        city,
        service,
        direction,
        tile_id,
        count(*) as n_files_with_tile
    from tile_days
    group by city, service, direction, tile_id
),

short_tiles as (
    select
        tiles.city,
        tiles.service,
        tiles.direction,
        tiles.tile_id
    from tiles
    inner join file_counts
        on tiles.city = file_counts.city
        and tiles.service = file_counts.service
        and tiles.direction = file_counts.direction
    where tiles.n_files_with_tile < file_counts.n_files
)

select
    files.source_file,
    short_tiles.tile_id
from short_tiles
inner join files
    on short_tiles.city = files.city
    and short_tiles.service = files.service
    and short_tiles.direction = files.direction
left outer join tile_days
    on files.source_file = tile_days.source_file
    and short_tiles.tile_id = tile_days.tile_id
where tile_days.tile_id is null
{%- endset %}

{{ fail_naming(
    'tile rows missing from NetMob files',
    failing,
    "source_file || ': no row for tile ' || tile_id || ', which the other files of its city,"
    ~ " service and direction carry; expected every tile in every file"
    ~ " (var netmob_missing_tile_rows: warn reads the day without it)'",
    'source_file, tile_id'
) }}

{% endtest %}
