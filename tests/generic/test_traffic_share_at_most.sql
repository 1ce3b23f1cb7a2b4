{#-
  Gate on the parse (int_traffic_parsed_by_partition): fails when,
  for a city, service and direction, the share of traffic with allocation status
  `allocation_status` exceeds `max_share` (a var: max_share_unknown_tile_traffic,
  max_share_traffic_outside_communes). The error names the partition, its share and
  the bound, and the files and tile ids that carry that traffic (first ones).
  Example:
    data_tests:
      - traffic_share_at_most:
          arguments: {allocation_status: unknown_tile, max_share: 0.0}
-#}
{% test traffic_share_at_most(model, allocation_status, max_share) %}

{%- set failing %}
with days as (
    select
        city,
        service,
        direction,
        source_file,
        allocation_status,
        tile_totals,
        {{ netmob_day_total() }} as total_traffic_nano
    from {{ model }}
),

partitions as (
    select
        city,
        service,
        direction,
        cast(coalesce(sum(total_traffic_nano) filter (
            where allocation_status = '{{ allocation_status }}'
        ), 0) as double) / nullif(cast(sum(total_traffic_nano) as double), 0) as share
    from days
    group by city, service, direction
    having cast(coalesce(sum(total_traffic_nano) filter (
        where allocation_status = '{{ allocation_status }}'
    ), 0) as double) > {{ max_share }} * cast(sum(total_traffic_nano) as double)
),

located as (
    select
        days.city,
        days.service,
        days.direction,
        days.source_file,
        list_sort(list_distinct(list_transform(days.tile_totals, x -> {{ tile_id_of('x') }})))[1:5]
            as tile_ids
    from days
    inner join partitions
        on
            days.city = partitions.city
            and days.service = partitions.service
            and days.direction = partitions.direction
    where days.allocation_status = '{{ allocation_status }}'
)

select
    partitions.city,
    partitions.service,
    partitions.direction,
    partitions.share,
    count(located.source_file) as n_files,
    array_to_string(
        list(located.source_file || ' (tiles ' || array_to_string(located.tile_ids, ', ') || ')'
            order by located.source_file)[1:3],
        ', '
    ) as files
from partitions
left outer join located
    on
        partitions.city = located.city
        and partitions.service = located.service
        and partitions.direction = located.direction
group by partitions.city, partitions.service, partitions.direction, partitions.share
{%- endset %}

{{ fail_naming(
    allocation_status ~ ' traffic above ' ~ max_share,
    failing,
    "city || ' ' || service || ' ' || direction || ': share ' || round(share, 6) || ' of the traffic is "
    ~ allocation_status ~ "; expected at most " ~ max_share ~ "; in ' || n_files || ' files, e.g. ' || files",
    'city, service, direction'
) }}

{% endtest %}
