{#-
  The distinct values of one column of a seed, in the order of their first row by
  `order_by`, read from the built seed
  when the model is compiled for execution, so that a list stated once in a seed can
  shape a model's columns. The model refs the seed through this macro (dbt lineage:
  the seed is built first). While parsing, and where the seed is not built yet (a lint
  before any build), it returns [], so running the model without its seed fails on the
  missing table instead of building without the columns.
  Example: {{ seed_values('expert_answers', 'answer_key', 'position') }}
    -> ['paedophile', 'probably', 'dont_know', 'probably_not', 'not']
-#}
{% macro seed_values(seed_name, column, order_by) -%}
    {%- set seed = ref(seed_name) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = load_relation(seed) -%}
    {%- if relation is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set result = run_query(
        'select ' ~ column ~ ' from ' ~ relation ~ ' group by ' ~ column ~ ' order by min(' ~ order_by ~ ')'
    ) -%}
    {{ return(result.columns[0].values() | list) }}
{%- endmacro %}
