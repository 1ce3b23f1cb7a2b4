{{ config(materialized="view", enabled=netmob_enabled()) }}

with

parsed as (
    select * from {{ ref('int_traffic_parsed_by_partition') }}
),

final as (
    select
        city,
        service,
        direction,
        traffic_date,
        allocation_status,
        code_com,
        n_tile_rows,
        {%- for c in netmob_slot_columns() %}
            {{ c }},
        {%- endfor %}
        (
            {%- for c in netmob_slot_columns() %}
                coalesce({{ c }}, 0){{ " +" if not loop.last }}
            {%- endfor %}
        ) as total_traffic_nano,
        tile_totals,
        source_file
    from parsed
)

select * from final
