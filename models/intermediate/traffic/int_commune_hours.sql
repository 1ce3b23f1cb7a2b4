{{ config(enabled=netmob_enabled()) }}
{#-
  Hourly series (method.md sections 3-4): per commune, service, direction and local
  hour, the sum of the 15-minute slots kept by the outage filter, summed over the city
  grids covering the commune. The outage filter (notebook 2): on the days of the seed
  ref_outage_dates, every commune x slot whose reference-service traffic (var
  reference_service, Web_Adult) is exactly zero is dropped for all services of that
  commune and slot. Hours with no kept slot (the missing hour of a clock-change day,
  outage hours) have no row. Sums are exact integers in nano-units (traffic_nano);
  `traffic` is the same in traffic units.
-#}
{%- set slots = netmob_slot_columns() %}

with

commune_days as (
    select
        city,
        service,
        direction,
        traffic_date,
        code_com,
    {%- for c in slots %}
        {{ c }}{{ "," if not loop.last }}
    
    {%- endfor %}
    from {{ ref('int_traffic_aggregated_to_commune_days') }}
    where allocation_status = 'commune'
),

outage_dates as (
    select outage_date from {{ ref('ref_outage_dates') }}
),

reference_days as (
    select
        commune_days.city,
        commune_days.direction,
        commune_days.traffic_date,
        commune_days.code_com,
    {%- for c in slots %}
        commune_days.{{ c }} = 0 as drop_{{ c }}{{ "," if not loop.last }}
    
    {%- endfor %}
    from commune_days
    inner join outage_dates on commune_days.traffic_date = outage_dates.outage_date
    where commune_days.service = '{{ var("reference_service") }}'
),

kept as (
    select
        commune_days.city,
        commune_days.service,
        commune_days.direction,
        commune_days.traffic_date,
        commune_days.code_com,
    {%- for c in slots %}
        case
            when coalesce(reference_days.drop_{{ c }}, false) then null
            else commune_days.{{ c }}
        end as {{ c }}{{ "," if not loop.last }}
    
    {%- endfor %}
    from commune_days
    left outer join reference_days
        on
            commune_days.city = reference_days.city
            and commune_days.direction = reference_days.direction
            and commune_days.traffic_date = reference_days.traffic_date
            and commune_days.code_com = reference_days.code_com
),

wide_hours as (
    select
        code_com,
        service,
        direction,
        traffic_date,
    {%- for h in range(24) %}
        {%- set quarter = slots[4 * h: 4 * h + 4] %}
        {
            'traffic_nano': {% for c in quarter %}                coalesce({{ c }}, 0){{ " + " if not loop.last }}                                {% endfor %},
            'n_slots': {% for c in quarter %}                ({{ c }} is not null)::integer{{ " + " if not loop.last }}                                {% endfor %}
        } as h_{{ '%02d' % h }}{{ "," if not loop.last }}
    
    {%- endfor %}
    from kept
),

long_hours as (
    select
        code_com,
        service,
        direction,
        traffic_date,
        cast(substr(hour_name, 3, 2) as integer) as hour_of_day,
        hour_value.traffic_nano,
        hour_value.n_slots
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
