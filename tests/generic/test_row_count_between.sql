{#-
  Fails (one row) when the model's row count is outside [min_rows, max_rows].
  Example:
    data_tests:
      - row_count_between:
          arguments: {min_rows: 1, max_rows: 2000}
-#}
{% test row_count_between(model, min_rows=0, max_rows=none) %}

select n_rows
from (select count(*) as n_rows from {{ model }})
where n_rows < {{ min_rows }}
{%- if max_rows is not none %}
   or n_rows > {{ max_rows }}
{%- endif %}

{% endtest %}
