{#-
  Fails when a combination of `combination_of_columns` occurs more than once, with an
  error naming the duplicated keys (first ten) and, with `located_by` (a column such as
  source_file), where the first of them comes from.
  Example:
    data_tests:
      - unique_combination_of_columns:
          arguments:
            combination_of_columns: [city, tile_id]
            located_by: source_file
-#}
{% test unique_combination_of_columns(model, combination_of_columns, located_by=none) %}

{%- set key_text -%}
    {%- for c in combination_of_columns -%}
        '{{ c }}=' || coalesce(cast({{ c }} as {{ dbt.type_string() }}), 'NULL')
        {{- " || ', ' || " if not loop.last }}
    {%- endfor -%}
{%- endset %}

{%- set failing %}
select
    {{ key_text }} as duplicated_key,
    count(*) as n_rows
    {%- if located_by %},
    min({{ located_by }}) as located_in
    {%- endif %}
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{%- endset %}

{{ fail_naming(
    'duplicated keys (' ~ combination_of_columns | join(', ') ~ ') in ' ~ model,
    failing,
    "duplicated_key || ' on ' || n_rows || ' rows'"
    ~ (" || ' in ' || located_in" if located_by else "")
    ~ " || '; expected one row per key'",
    'duplicated_key'
) }}

{% endtest %}
