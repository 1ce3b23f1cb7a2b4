{#-
  One row per commune and hour (analysis direction): the hourly traffic of the three
  services playing the method's roles (vars reference_service = Web_Adult,
  target_service = Tor, baseline_service = YouTube) and their natural logs, zeros
  replaced by the log floor of the seed method_constants (0.001) first (docs/method.md
  section 4). An hour where a service has no traffic counts as zero, as in notebook 2.
-#}

with

hours as (
    select
        code_com,
        service,
        hour_start,
        traffic_nano
    from {{ ref('int_traffic_aggregated_to_commune_hours') }}
    where direction = '{{ var("analysis_direction") }}'
),

pivoted as (
    select
        code_com,
        hour_start,
        cast(
            coalesce(sum(traffic_nano) filter (where service = '{{ var("reference_service") }}'), 0)
            as double
        ) / 1e9 as reference_traffic,
        cast(
            coalesce(sum(traffic_nano) filter (where service = '{{ var("target_service") }}'), 0)
            as double
        ) / 1e9 as target_traffic,
        cast(
            coalesce(sum(traffic_nano) filter (where service = '{{ var("baseline_service") }}'), 0)
            as double
        ) / 1e9 as baseline_traffic
    from hours
    group by code_com, hour_start
),

final as (
    select
        code_com,
        hour_start,
        reference_traffic,
        target_traffic,
        baseline_traffic,
        ln(case when reference_traffic = 0 then {{ method_constant('log_floor') }} else reference_traffic end)
            as log_reference,
        ln(case when target_traffic = 0 then {{ method_constant('log_floor') }} else target_traffic end)
            as log_target,
        ln(case when baseline_traffic = 0 then {{ method_constant('log_floor') }} else baseline_traffic end)
            as log_baseline
    from pivoted
)

select * from final
