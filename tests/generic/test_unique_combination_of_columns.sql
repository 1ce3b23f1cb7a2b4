{#-
  Fails when a combination of `combination_of_columns` occurs more than once, naming the
  duplicated keys (first ten) and where their rows come from (file and lines for a
  staging model, macro row_location).
  Example:
    data_tests:
      - unique_combination_of_columns:
          arguments:
            combination_of_columns: [city, tile_id]
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set key_text -%}
    {%- for c in combination_of_columns -%}
        '{{ c }}=' || {{ as_text(c) }}
        {{- " || ', ' || " if not loop.last }}
    {%- endfor -%}
{%- endset %}

{%- set failing %}
select
    {{ key_text }} as duplicated_key,
    count(*) as n_rows,
    array_to_string(list({{ row_location(model) }} order by {{ row_order(model) }})[1:5], ', ')
        as locations
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{%- endset %}

{{ fail_naming(
    'duplicated keys (' ~ combination_of_columns | join(', ') ~ ') in ' ~ model.identifier,
    failing,
    "duplicated_key || ' on ' || n_rows || ' rows (' || locations || '); expected one row per key'",
    'duplicated_key'
) }}

{% endtest %}
