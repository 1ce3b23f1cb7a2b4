{#-
  Reads NetMob traffic files of one city, service and direction exactly as published:
  no header, single-space separated, `tile_id v1 .. vN`, N = 96 (92 on the clock-change
  days of var('dst_dates')). `files` are regular days' files, `dst_files` clock-change
  days' files (absolute paths; the incremental parse passes the files it must read,
  macro netmob_parse_plan). Strict: a row with another number of values, a non-numeric
  value or a missing file stops the read with an error naming the file and the line.
  Returns city, service, direction (constants), tile_id, the 96 slot columns (NULL for
  the slots a clock-change day lacks), the row's total and smallest value, its first
  value with more decimals than the milli-unit (off_unit, NULL when none), and
  source_file; no row (a typed empty select) when both lists are empty.
  Example: read_netmob_traffic('Nice', 'Tor', 'DL', ['/abs/.../Nice_Tor_20190316_DL.txt'], [])
-#}
{% macro read_netmob_traffic(city, service, direction, files, dst_files) -%}
    {#- the model that calls it reads the declared source (dbt lineage) -#}
    {%- set relation = source('netmob', 'traffic_files') -%}
    {%- set parts = [] -%}
    {%- for dst, listed in [(false, files), (true, dst_files)] -%}
        {%- if listed -%}{%- do parts.append((dst, listed)) -%}{%- endif -%}
    {%- endfor -%}
    {%- if not parts %}
        select
            '{{ city }}' as city,
            '{{ service }}' as service,
            '{{ direction }}' as direction,
            cast(null as bigint) as tile_id,
            {%- for c in netmob_slot_columns() %}
                cast(null as double) as {{ c }},
            {%- endfor %}
            cast(null as double) as row_total,
            cast(null as double) as row_min,
            cast(null as varchar) as off_unit,
            cast(null as varchar) as source_file
        where false
    {%- endif %}
    {%- for dst, listed in parts %}
        {%- set names = netmob_dst_slot_columns() if dst else netmob_slot_columns() %}
        {%- if not loop.first %}
        union all
        {%- endif %}
        select
            '{{ city }}' as city,
            '{{ service }}' as service,
            '{{ direction }}' as direction,
            tile_id,
            {%- for c in netmob_slot_columns() %}
                {{ c if c in names else 'cast(null as double)' }} as {{ c }},
            {%- endfor %}
            {{ names | join(' + ') }} as row_total,
            least({{ names | join(', ') }}) as row_min,
            {{ netmob_off_unit_value(names) }} as off_unit,
            filename as source_file
        from read_csv(
            {{ sql_string_list(listed) }},
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
    {%- endfor %}
{%- endmacro %}
