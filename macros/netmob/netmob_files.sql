{#-
  Absolute paths of the NetMob traffic files the study expects, one per city x service
  x direction x day, in the publisher's layout:
  <raw_dir>/netmob/<City>/<Service>/<YYYYMMDD>/<City>_<Service>_<YYYYMMDD>_<DL|UL>.txt
  `dst` selects the clock-change days (true), the other days (false) or all (none).
  A missing file makes the read fail with DuckDB's "No files found that match the
  pattern <path>" error, which names the file.
-#}
{% macro netmob_files(dst=none) -%}
    {%- set dst_days = var('dst_dates') | list -%}
    {%- set base = raw_path(relative='netmob', quote=false) -%}
    {%- set files = [] -%}
    {%- for day in study_dates() -%}
        {%- set is_dst = day in dst_days -%}
        {%- if dst is none or dst == is_dst -%}
            {%- set stamp = day | replace('-', '') -%}
            {%- for city in var('netmob_cities') -%}
                {%- for service in var('netmob_services') -%}
                    {%- for direction in var('netmob_directions') -%}
                        {%- do files.append(base ~ '/' ~ city ~ '/' ~ service ~ '/' ~ stamp ~ '/' ~ city ~ '_' ~ service ~ '_' ~ stamp ~ '_' ~ direction ~ '.txt') -%}
                    {%- endfor -%}
                {%- endfor -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}

{#- The same list as a SQL list literal of quoted strings. -#}
{% macro sql_string_list(items) -%}
    [{%- for item in items -%}'{{ item | replace("'", "''") }}'{{ ", " if not loop.last }}{%- endfor -%}]
{%- endmacro %}
