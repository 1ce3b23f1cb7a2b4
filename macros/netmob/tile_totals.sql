{#-
  The daily tile totals kept by the single parse, packed two to a BIGINT: a list of
  structs (tile_id, total) costs a third of the parse, one BIGINT per tile row does not.
  - pack_tile_total(tile_id, row_total, source_file, row_min): tile_id * 2^40 + the
    day's total in milli-units (round(row_total * 1000)). Tile ids must lie in [0, 2^23),
    the smallest slot value `row_min` must not be negative and the daily total must lie
    in [0, 2^40) milli-units (not NaN), or the query stops naming the file and the tile.
  - tile_id_of(packed) and total_milli_of(packed): the two halves back.
  Example: list({{ pack_tile_total('tile_id', 'row_total', 'source_file', 'row_min') }})
           then {{ tile_id_of('tile_day') }}, {{ total_milli_of('tile_day') }}
-#}
{% macro tile_total_base() -%}1099511627776{%- endmacro %}

{% macro pack_tile_total(tile_id, row_total, source_file, row_min) -%}
    case
        when {{ tile_id }} between 0 and 8388607 and {{ row_total }} >= 0 and {{ row_total }} < 1099511627.776
            and {{ row_min }} >= 0
            then {{ tile_id }} * {{ tile_total_base() }} + cast(round({{ row_total }} * 1000) as bigint)
        else {{ cpc_error(
            source_file ~ " || ': tile ' || " ~ tile_id ~ " || ' has a daily total of ' || " ~ row_total
            ~ " || ' and a smallest value of ' || " ~ row_min
            ~ " || '; expected a tile id in [0, 8388607], no negative value and a total in [0, 1.1e9)'"
        ) }}
    end
{%- endmacro %}

{% macro tile_id_of(packed) -%}
    {{ integer_divide(packed, tile_total_base()) }}
{%- endmacro %}

{% macro total_milli_of(packed) -%}
    {{ packed }} % {{ tile_total_base() }}
{%- endmacro %}
