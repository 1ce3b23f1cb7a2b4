{#-
  Rows set aside are counted, and too many of them stop the build: fails when the share
  of rows meeting `condition` exceeds `max_share`, with the counts and where the first
  of those rows come from (macro row_location, with `detail`, a SQL text expression
  over the row, when given). With `warn_below`, a share above 0 but within the bound
  is counted and named in a warning (rows set aside, never silently).
  Example:
    data_tests:
      - share_of_rows_at_most:
          arguments: {condition: "is_empty", max_share: 0.01}
-#}
{% test share_of_rows_at_most(model, condition, max_share, detail=none, warn_below=false) %}

{%- set example = row_location(model) ~ ((" || ' (' || " ~ detail ~ " || ')'") if detail else "") %}
{%- set counted %}
select
    count(*) filter (where {{ condition }}) as n_set_aside,
    count(*) as n_rows,
    array_to_string(
        list({{ example }} order by {{ row_order(model) }}) filter (where {{ condition }})[1:3],
        ', '
    ) as examples
from {{ model }}
{%- endset %}

{%- if warn_below and execute %}
    {%- set result = run_query(counted) %}
    {%- set n_set_aside, n_rows, examples = result.rows[0] %}
    {%- if n_set_aside > 0 and n_set_aside <= max_share * n_rows %}
        {%- do exceptions.warn(
            'WARNING: rows of ' ~ model.identifier ~ ' where ' ~ condition ~ ': ' ~ n_set_aside ~ ' of '
            ~ n_rows ~ ' set aside (e.g. ' ~ examples ~ '), within the share of ' ~ max_share
        ) %}
    {%- endif %}
{%- endif %}

{{ fail_naming(
    'rows of ' ~ model.identifier ~ ' where ' ~ condition,
    counted ~ "\nhaving count(*) filter (where " ~ condition ~ ") > " ~ max_share ~ " * count(*)",
    "n_set_aside || ' of ' || n_rows || ' rows (e.g. ' || examples || '); expected at most a share of "
    ~ max_share ~ "'",
    'n_rows'
) }}

{% endtest %}
