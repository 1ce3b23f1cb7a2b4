{{ config(materialized="view") }}
{#-
  The outage filter (docs/method.md section 3, notebook 2): one row per city grid, service,
  direction, day and commune, the 96 slot sums of the parse (int_traffic_parsed_by_partition)
  with, on the days of the seed ref_outage_dates, every slot whose reference-service
  traffic (var reference_service, Web_Adult) is exactly zero in that commune set to NULL
  for every service of that commune and slot; with var outage_windows true, also every
  slot inside a window of the seed ref_outage_incidents (every service and commune).
  Only traffic allocated to communes. A view: the hourly series reads it once.
-#}
{%- set slots = netmob_slot_columns() %}
{%- set windows = var('outage_windows') %}
{#- the incidents' seed is a parent whatever the var (lineage, unit tests) -#}
{%- set incidents = ref('ref_outage_incidents') %}

with

commune_days as (
    select
        city,
        service,
        direction,
        traffic_date,
        {%- for c in slots %}
            {{ c }},
        {%- endfor %}
        code_com
    from {{ ref('int_traffic_parsed_by_partition') }}
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
        {%- for c in slots %}
            commune_days.{{ c }} = 0 as drop_{{ c }},
        {%- endfor %}
        commune_days.code_com
    from commune_days
    inner join outage_dates on commune_days.traffic_date = outage_dates.outage_date
    where commune_days.service = '{{ var("reference_service") }}'
),

{%- if windows %}

    windows as (
        -- per incident day, whether each slot (its start HH:MM) lies inside a window
        select
            incident_date,
            {%- for c in slots %}
                bool_or(start_hhmm <= '{{ c[2:4] }}:{{ c[4:6] }}' and '{{ c[2:4] }}:{{ c[4:6] }}' < end_hhmm)
                    as window_{{ c }}{{ "," if not loop.last }}
            {%- endfor %}
        from {{ incidents }}
        group by incident_date
    ),

{%- endif %}

final as (
    select
        commune_days.city,
        commune_days.service,
        commune_days.direction,
        commune_days.traffic_date,
        {%- for c in slots %}
            case
                when coalesce(reference_days.drop_{{ c }}, false) then null
                {%- if windows %}
                    when coalesce(windows.window_{{ c }}, false) then null
                {%- endif %}
                else commune_days.{{ c }}
            end as {{ c }},
        {%- endfor %}
        commune_days.code_com
    from commune_days
    left outer join reference_days
        on
            commune_days.city = reference_days.city
            and commune_days.direction = reference_days.direction
            and commune_days.traffic_date = reference_days.traffic_date
            and commune_days.code_com = reference_days.code_com
    {%- if windows %}
        left outer join windows on commune_days.traffic_date = windows.incident_date
    {%- endif %}
)

select * from final
