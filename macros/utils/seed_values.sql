{#-
  The distinct values of one column of a seed, in the order of their first row by
  `order_by`, read from the built seed
  when the model is compiled for execution, so that a list stated once in a seed can
  shape a model's columns. While parsing, and where the seed is not built yet (a lint
  before any build), it returns [] and the model still refs the seed, so running it
  without its seed fails on the missing table instead of building without the columns.
  Example: {{ seed_values('expert_answers', 'answer_key', 'position') }}
    -> ['paedophile', 'probably', 'dont_know', 'probably_not', 'not']
-#}
{% macro seed_values(seed_name, column, order_by) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = load_relation(ref(seed_name)) -%}
    {%- if relation is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set result = run_query(
        'select ' ~ column ~ ' from ' ~ relation ~ ' group by ' ~ column ~ ' order by min(' ~ order_by ~ ')'
    ) -%}
    {{ return(result.columns[0].values() | list) }}
{%- endmacro %}
