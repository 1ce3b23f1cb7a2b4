{#-
  Absolute paths of the NetMob traffic files the study expects for one city, service
  and direction, one per day, in the publisher's layout:
  <raw_dir>/netmob/<City>/<Service>/<YYYYMMDD>/<City>_<Service>_<YYYYMMDD>_<DL|UL>.txt
  `dst` selects the clock-change days of var('dst_dates') (true) or the other days
  (false). A missing file makes the read fail with DuckDB's "No files found that match
  the pattern <path>" error, which names the file.
  Example: netmob_files('Nice', 'Tor', 'DL', dst=true)
    -> ['/abs/raw/netmob/Nice/Tor/20190331/Nice_Tor_20190331_DL.txt']
-#}
{% macro netmob_files(city, service, direction, dst) -%}
    {%- set dst_days = list_var('dst_dates') -%}
    {%- set base = raw_path(relative='netmob', quote=false) ~ '/' ~ city ~ '/' ~ service ~ '/' -%}
    {%- set files = [] -%}
    {%- for day in study_dates() -%}
        {%- if (day in dst_days) == dst -%}
            {%- set stamp = day | replace('-', '') -%}
            {%- do files.append(base ~ stamp ~ '/' ~ city ~ '_' ~ service ~ '_' ~ stamp ~ '_' ~ direction ~ '.txt') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}

{#- A list of strings as a SQL list literal: ['a', 'b']. -#}
{% macro sql_string_list(items) -%}
    [{%- for item in items -%}'{{ item | replace("'", "''") }}'{{ ", " if not loop.last }}{%- endfor -%}]
{%- endmacro %}
