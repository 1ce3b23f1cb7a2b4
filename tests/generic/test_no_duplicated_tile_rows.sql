{#-
  Gate on the single parse (int_traffic_parsed_by_partition): fails, naming the file
  and the tile, when a NetMob file holds a tile id on more than one row (its traffic
  would be counted twice). Reads the packed daily tile totals (macro pack_tile_total), one per tile row of the file, so it never reads the text again.
  Example: data_tests: [no_duplicated_tile_rows]
-#}
{% test no_duplicated_tile_rows(model) %}

{%- set failing %}
select
    source_file,
    {{ tile_id_of('tile_day') }} as tile_id,
    count(*) as n_rows
from (
    select
        source_file,
        unnest(tile_totals) as tile_day
    from {{ model }}
) as tile_days
group by source_file, {{ tile_id_of('tile_day') }}
having count(*) > 1
{%- endset %}

{{ fail_naming(
    'duplicated tile rows',
    failing,
    "source_file || ': tile ' || tile_id || ' is on ' || n_rows || ' rows; expected one row per tile'",
    'source_file, tile_id'
) }}

{% endtest %}
