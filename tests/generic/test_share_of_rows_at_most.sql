{#-
  Fails (one row with the counts) when the share of rows meeting `condition` exceeds
  `max_share`: rows set aside are counted, and too many of them stop the build.
  Example:
    data_tests:
      - share_of_rows_at_most:
          arguments: {condition: "is_empty", max_share: 0.01}
-#}
{% test share_of_rows_at_most(model, condition, max_share) %}

select
    count(*) filter (where {{ condition }}) as n_set_aside,
    count(*) as n_rows,
    count(*) filter (where {{ condition }}) / nullif(count(*), 0) as share_set_aside
from {{ model }}
having count(*) filter (where {{ condition }}) > {{ max_share }} * count(*)

{% endtest %}
