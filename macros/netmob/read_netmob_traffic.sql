{#-
  Reads NetMob traffic files exactly as published: no header, single-space separated,
  `tile_id v1 .. vN`, N = 96 (92 on clock-change days). Strict: a row with another
  number of values, a non-numeric value or a missing file stops the read with an error
  naming the file and line. Returns tile_id, the 96 slot columns (NULL for the slots a
  clock-change day lacks) and source_file.
-#}
{% macro read_netmob_traffic(files, dst) -%}
    {%- set names = netmob_dst_slot_columns() if dst else netmob_slot_columns() -%}
    {%- set all_names = netmob_slot_columns() -%}
    select
        tile_id,
        {%- for c in all_names %}
        {{ c if c in names else 'cast(null as double)' }} as {{ c }},
        {%- endfor %}
        filename as source_file
    from read_csv(
        {{ sql_string_list(files) }},
        delim = ' ',
        header = false,
        auto_detect = false,
        strict_mode = true,
        null_padding = false,
        quote = '',
        escape = '',
        filename = true,
        columns = {
            'tile_id': 'BIGINT',
            {%- for c in names %}
            '{{ c }}': 'DOUBLE'{{ "," if not loop.last }}
            {%- endfor %}
        }
    )
{%- endmacro %}
