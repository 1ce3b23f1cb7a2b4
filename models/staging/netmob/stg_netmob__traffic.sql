{{ config(materialized="view", enabled=spine_here()) }}
{#-
  A view on purpose: the text is parsed once, by int_traffic_parsed_by_partition, one
  city x service x direction at a time (a filter on those constant columns prunes the
  other partitions' files). At full scale a table at this grain would hold ~70 GB.
-#}
-- depends_on: {{ source('netmob', 'traffic_files') }}

with

parsed as (
    {%- for p in netmob_partitions() %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        {{ read_netmob_traffic(p.city, p.service, p.direction) }}
    {%- endfor %}
),

final as (
    select
        city,
        service,
        direction,
        traffic_date,
        tile_id,
        {%- for c in netmob_slot_columns() %}
            {{ c }},
        {%- endfor %}
        row_total,
        source_file
    from parsed
)

select * from final
