{#-
  Spark's strict reader of the NetMob text (the DuckDB path reads with read_csv in
  read_netmob_traffic): one temporary view per city, service, direction and kind of day
  (regular: 96 values; clock change: 92), over the day folders of the study,
  `netmob__<city>_<service>_<direction>_<regular|dst>`. FAILFAST: a non-numeric value
  or a row of another length stops the query that reads it, naming the file; Spark
  parses only the columns a query uses, so the parse must use every slot (it sums them
  all). A glob skips a missing file silently: the file listing's tests run first.
  Returns the statements, for a pre_hook.
-#}
{% macro spark_netmob_views() -%}
    {#- the model whose pre_hook creates them reads the declared source (dbt lineage) -#}
    {%- set relation = source('netmob', 'traffic_files') -%}
    {%- set statements = [] -%}
    {%- for p in netmob_partitions() -%}
        {%- for dst in [false, true] -%}
            {%- set files = netmob_files(p.city, p.service, p.direction, dst) -%}
            {%- if files -%}
                {%- set names = netmob_dst_slot_columns() if dst else netmob_slot_columns() -%}
                {%- set days = files | map('replace', raw_path(relative='netmob', quote=false) ~ '/' ~ p.city ~ '/' ~ p.service ~ '/', '') | map('truncate', 8, true, '') | list -%}
                {%- set glob = raw_path(relative='netmob', quote=false) ~ '/' ~ p.city ~ '/' ~ p.service ~ '/{' ~ days | join(',') ~ '}/' ~ p.city ~ '_' ~ p.service ~ '_*_' ~ p.direction ~ '.txt' -%}
                {%- set columns = ['tile_id bigint'] -%}
                {%- for c in names -%}{%- do columns.append(c ~ ' double') -%}{%- endfor -%}
                {%- do statements.append(
                    'create or replace temporary view ' ~ spark_netmob_view(p, dst)
                    ~ ' (' ~ columns | join(', ') ~ ") using csv options (path '" ~ glob
                    ~ "', sep ' ', header 'false', mode 'FAILFAST', quote '', escape '')"
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(statements) }}
{%- endmacro %}

{% macro spark_netmob_view(p, dst) -%}
    {{- 'netmob__' ~ (p.city ~ '_' ~ p.service ~ '_' ~ p.direction) | replace('-', '_') | lower ~ ('_dst' if dst else '_regular') -}}
{%- endmacro %}
