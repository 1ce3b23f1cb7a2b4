{#-
  Reads the NetMob traffic files of one city, service and direction exactly as
  published: no header, single-space separated, `tile_id v1 .. vN`, N = 96 (92 on the
  clock-change days of var('dst_dates')). Strict: a row with another number of values,
  a non-numeric value or a missing file stops the read with an error naming the file
  and the line. Returns city, service, direction (constants, so a filter on them prunes
  the other partitions' files), traffic_date, tile_id, the 96 slot columns (NULL for
  the slots a clock-change day lacks), the row's total and smallest value, its first
  value with more decimals than the milli-unit (off_unit, NULL when none), and
  source_file.
-#}
{% macro read_netmob_traffic(city, service, direction) -%}
    {#- the model that calls it reads the declared source (dbt lineage) -#}
    {%- set relation = source('netmob', 'traffic_files') -%}
    {%- set parts = [] -%}
    {%- for dst in [false, true] -%}
        {%- set files = netmob_files(city, service, direction, dst) -%}
        {%- if files -%}{%- do parts.append((dst, files)) -%}{%- endif -%}
    {%- endfor -%}
    {%- for dst, files in parts %}
        {%- set names = netmob_dst_slot_columns() if dst else netmob_slot_columns() %}
        {%- if not loop.first %}
        union all
        {%- endif %}
        select
            '{{ city }}' as city,
            '{{ service }}' as service,
            '{{ direction }}' as direction,
            strptime(regexp_extract(filename, '_([0-9]{8})_[A-Z]{2}\.txt$', 1), '%Y%m%d')::date
                as traffic_date,
            tile_id,
            {%- for c in netmob_slot_columns() %}
                {{ c if c in names else 'cast(null as double)' }} as {{ c }},
            {%- endfor %}
            {{ names | join(' + ') }} as row_total,
            least({{ names | join(', ') }}) as row_min,
            {{ netmob_off_unit_value(names) }} as off_unit,
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
    {%- endfor %}
{%- endmacro %}
