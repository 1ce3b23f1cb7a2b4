{{ config(enabled=netmob_enabled()) }}
{#-
  Hourly series (method.md section 4): per commune, service, direction and local hour,
  the sum of the 15-minute slots kept by the outage filter, summed over the city grids
  covering the commune. Hours with no kept slot (the missing hour of a clock-change
  day, outage hours) have no row. Sums are exact integers in nano-units
  (traffic_nano); `traffic` is the same in traffic units.
-#}
{%- set slots = netmob_slot_columns() %}

with

commune_days as (
    select * from {{ ref('int_commune_days_filtered') }}
),

wide_hours as (
    select
        code_com,
        service,
        direction,
        traffic_date,
        city,
        {%- for h in range(24) %}
            {%- set quarter = slots[4 * h: 4 * h + 4] %}
            {
                'traffic_nano': {% for c in quarter %}coalesce({{ c }}, 0){{ " + " if not loop.last }}{% endfor %},
                'n_slots': {% for c in quarter %}({{ c }} is not null)::integer{{ " + " if not loop.last }}{% endfor %}
            } as h_{{ '%02d' % h }}{{ "," if not loop.last }}
        {%- endfor %}
    from commune_days
),

long_hours as (
    select
        code_com,
        service,
        direction,
        traffic_date,
        city,
        cast(substr(hour_name, 3, 2) as integer) as hour_of_day,
        hour_value.traffic_nano as traffic_nano,
        hour_value.n_slots as n_slots
    from wide_hours
    unpivot (hour_value for hour_name in (columns('^h_[0-9]{2}$')))
),

final as (
    select
        code_com,
        service,
        direction,
        traffic_date,
        hour_of_day,
        traffic_date + make_time(hour_of_day, 0, 0.0) as hour_start,
        sum(traffic_nano) as traffic_nano,
        cast(sum(traffic_nano) as double) / 1e9 as traffic,
        sum(n_slots) as n_slots,
        count(*) as n_cities
    from long_hours
    where n_slots > 0
    group by code_com, service, direction, traffic_date, hour_of_day
)

select * from final
