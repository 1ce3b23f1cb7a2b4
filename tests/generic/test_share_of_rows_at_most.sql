{#-
  Rows set aside are counted, and too many of them stop the build: fails when the share
  of rows meeting `condition` exceeds `max_share`, with the counts and where the first
  of those rows come from (macro row_location).
  Example:
    data_tests:
      - share_of_rows_at_most:
          arguments: {condition: "is_empty", max_share: 0.01}
-#}
{% test share_of_rows_at_most(model, condition, max_share) %}

{%- set failing %}
select
    count(*) filter (where {{ condition }}) as n_set_aside,
    count(*) as n_rows,
    array_to_string(
        list({{ row_location(model) }} order by {{ row_location(model) }})
            filter (where {{ condition }})[1:3],
        ', '
    ) as examples
from {{ model }}
having count(*) filter (where {{ condition }}) > {{ max_share }} * count(*)
{%- endset %}

{{ fail_naming(
    'rows of ' ~ model.identifier ~ ' where ' ~ condition,
    failing,
    "n_set_aside || ' of ' || n_rows || ' rows (e.g. ' || examples || '); expected at most a share of "
    ~ max_share ~ "'",
    'n_rows'
) }}

{% endtest %}
