{#-
  Fails on every row where `expression` is not true (NULL counts as a failure).
  Example:
    data_tests:
      - expression_is_true:
          arguments:
            expression: "rate_per_1000 >= 0"
-#}
{% test expression_is_true(model, expression, column_name=none, where_clause=none) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{%- if where_clause %}
  and ({{ where_clause }})
{%- endif %}

{% endtest %}
