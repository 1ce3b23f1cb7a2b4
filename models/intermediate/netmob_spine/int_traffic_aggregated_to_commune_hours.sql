{#-
  Hourly series (docs/method.md section 4): per commune, service, direction and local
  hour, the sum of the 15-minute slots kept by the outage filter
  (int_traffic_filtered_for_outages), summed over the city grids covering the
  commune. Hours with no kept slot (the missing hour of a clock-change day, outage
  hours) have no row. Sums are exact integers in nano-units (traffic_nano);
  `traffic` is the same in traffic units.
-#}
{%- set slots = netmob_slot_columns() %}

with

kept as (
    select * from {{ ref('int_traffic_filtered_for_outages') }}
),

hours as (
    {{ hours_of_day() }}
),

long_hours as (
    -- each commune-day once per hour: the hour's four slots summed (NULL = dropped)
    select
        kept.code_com,
        kept.service,
        kept.direction,
        kept.traffic_date,
        hours.hour_of_day,
        case hours.hour_of_day
            {%- for h in range(24) %}
                {%- set quarter = slots[4 * h: 4 * h + 4] %}
                when {{ h }} then coalesce(kept.{{ quarter | join(', 0) + coalesce(kept.') }}, 0)
            {%- endfor %}
        end as traffic_nano,
        case hours.hour_of_day
            {%- for h in range(24) %}
                {%- set quarter = slots[4 * h: 4 * h + 4] %}
                when {{ h }} then (kept.{{ quarter | join(' is not null)::integer + (kept.') }} is not null)::integer
            {%- endfor %}
        end as n_slots
    from kept
    cross join hours
),

final as (
    select
        code_com,
        service,
        direction,
        traffic_date,
        hour_of_day,
        {{ hour_start('traffic_date', 'hour_of_day') }} as hour_start,
        sum(traffic_nano) as traffic_nano,
        cast(sum(traffic_nano) as double) / 1e9 as traffic,
        sum(n_slots) as n_slots,
        count(*) as n_cities
    from long_hours
    where n_slots > 0
    group by code_com, service, direction, traffic_date, hour_of_day
)

select * from final
