{#-
  Fails on every tile whose allocation weights (communes and `outside`) do not sum to 1
  (tolerance 1e-6), naming the city, the tile and the sum: traffic would be created or
  lost by the allocation.
  Example: data_tests: [tile_weights_sum_to_one]
-#}
{% test tile_weights_sum_to_one(model) %}

{%- set failing %}
select
    city,
    tile_id,
    sum(weight) as total_weight
from {{ model }}
group by city, tile_id
having abs(sum(weight) - 1.0) > 1e-6
{%- endset %}

{{ fail_naming(
    'tile weights not summing to 1',
    failing,
    "city || ' tile ' || tile_id || ': weights sum to ' || total_weight || '; expected 1'",
    'city, tile_id'
) }}

{% endtest %}
