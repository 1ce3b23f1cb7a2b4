{{ config(materialized='view') }}
{#-
  A view on purpose: the text is parsed once, by the intermediate model that aggregates
  it to communes (at full scale the tile x day x 96-slot table would be ~70 GB).
-#}

with

{%- set regular_files = netmob_files(dst=false) %}
{%- set dst_files = netmob_files(dst=true) %}

{%- if regular_files %}
    regular_days as (
        {{ read_netmob_traffic(regular_files, dst=false) }}
    ),
{%- endif %}

{%- if dst_files %}

    clock_change_days as (
        {{ read_netmob_traffic(dst_files, dst=true) }}
    ),
{%- endif %}

parsed as (
    {%- if regular_files %}
        select * from regular_days
    {%- endif %}
    {%- if regular_files and dst_files %}
        union all
    {%- endif %}
    {%- if dst_files %}
        select * from clock_change_days
    {%- endif %}
),

final as (
    select
        regexp_extract(source_file, '([^/]+)/([^/]+)/([0-9]{8})/([^/]+)_(DL|UL)\.txt$', 1)
            as city,
        regexp_extract(source_file, '([^/]+)/([^/]+)/([0-9]{8})/([^/]+)_(DL|UL)\.txt$', 2)
            as service,
        regexp_extract(source_file, '([^/]+)_(DL|UL)\.txt$', 2) as direction,
        strptime(
            regexp_extract(source_file, '/([0-9]{8})/[^/]+$', 1), '%Y%m%d'
        )::date as traffic_date,
        tile_id,
        {%- for c in netmob_slot_columns() %}
            {{ c }},
        {%- endfor %}
        source_file
    from parsed
)

select * from final
