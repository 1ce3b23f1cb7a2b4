{#-
  The daily tile totals kept by the single parse, packed two to a BIGINT: a list of
  structs (tile_id, total) costs a third of the parse, one BIGINT per tile row does not.
  - pack_tile_total(tile_id, row_total, source_file, row_min, off_unit): tile_id * 2^40 +
    the day's total in milli-units (round(row_total * 1000)). Tile ids must lie in
    [0, 2^23), the smallest slot value `row_min` must not be negative, every value must
    be a whole number of milli-units (`off_unit`, macro netmob_off_unit_value, NULL) and
    the daily total must lie in [0, 2^40) milli-units (not NaN), or the query stops
    naming the file, the tile (the row's key) and the value: nothing is rounded away.
  - tile_id_of(packed) and total_milli_of(packed): the two halves back.
  Example: list({{ pack_tile_total('tile_id', 'row_total', 'source_file', 'row_min', 'off_unit') }})
           then {{ tile_id_of('tile_day') }}, {{ total_milli_of('tile_day') }}
-#}
{% macro tile_total_base() -%}1099511627776{%- endmacro %}

{% macro pack_tile_total(tile_id, row_total, source_file, row_min, off_unit) -%}
    case
        when {{ tile_id }} between 0 and 8388607 and {{ row_total }} >= 0 and {{ row_total }} < 1099511627.776
            and {{ row_min }} >= 0 and {{ off_unit }} is null
            then {{ tile_id }} * {{ tile_total_base() }} + cast(round({{ row_total }} * 1000) as bigint)
        when {{ off_unit }} is not null
            then {{ cpc_error(
                source_file ~ " || ': tile ' || " ~ tile_id ~ " || ', slot ' || " ~ off_unit
                ~ " || ': more decimals than the milli-unit the parse sums exactly (NetMob publishes"
                ~ " three decimals); expected a whole number of thousandths'"
            ) }}
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

{#-
  A NetMob row's first value that is not a whole number of milli-units, as text
  (`v_0815 = 0.1234`), or NULL when every value is: the parse sums milli-units exactly,
  so a value with more decimals would be rounded; pack_tile_total stops the query on it.
  round(v * 1000) / 1000 = v holds exactly for a double parsed from three decimals.
  Example: {{ netmob_off_unit_value(netmob_slot_columns()) }} as off_unit
-#}
{% macro netmob_off_unit_value(names) -%}
    case
        {%- for c in names %}
            when round({{ c }} * 1000) / 1000 <> {{ c }} then '{{ c[2:4] }}:{{ c[4:6] }} = ' || cast({{ c }} as {{ dbt.type_string() }})
        {%- endfor %}
    end
{%- endmacro %}

{#-
  A NetMob file's content fingerprint, from the parse's packed tile totals (never by
  reading the text again): the XOR of the hashes of every (tile id, day total) of the
  file, over the rows of the file (a window by source_file). Equal for byte copies and
  for two files that carry the same traffic on every tile; used by the gate
  no_duplicated_days. Engine-specific hash (DuckDB's hash, Spark's xxhash64): compare
  fingerprints within one engine's parse.
  Example: {{ netmob_file_fingerprint('tile_totals', 'source_file') }} as file_fingerprint
-#}
{% macro netmob_file_fingerprint(tile_totals, source_file) -%}
    {{ return(adapter.dispatch('netmob_file_fingerprint')(tile_totals, source_file)) }}
{%- endmacro %}

{% macro duckdb__netmob_file_fingerprint(tile_totals, source_file) -%}
    bit_xor(
        list_aggregate(list_transform({{ tile_totals }}, lambda t: hash(t)), 'bit_xor')
    ) over (partition by {{ source_file }})
{%- endmacro %}

{% macro spark__netmob_file_fingerprint(tile_totals, source_file) -%}
    bit_xor(
        aggregate(transform({{ tile_totals }}, t -> xxhash64(t)), 0L, (a, b) -> a ^ b)
    ) over (partition by {{ source_file }})
{%- endmacro %}
