{#-
  Fails on every tile whose allocation weights (communes and `outside`) do not sum to 1
  (tolerance 1e-6): traffic would be created or lost by the allocation.
  Example: data_tests: [tile_weights_sum_to_one]
-#}
{% test tile_weights_sum_to_one(model) %}

select
    city,
    tile_id,
    sum(weight) as total_weight
from {{ model }}
group by city, tile_id
having abs(sum(weight) - 1.0) > 1e-6

{% endtest %}
