{#-
  List and integer expressions, dispatched (duckdb__ keeps the DuckDB path's SQL as it
  was).
  - explode_list(list): one row per element of a list column, in a select list.
  - integer_divide(a, b): integer division of two integers (DuckDB `//`, Spark `div`;
    Spark's `/` always gives a double).
-#}
{% macro explode_list(list) -%}{{ return(adapter.dispatch('explode_list')(list)) }}{%- endmacro %}
{% macro duckdb__explode_list(list) -%}unnest({{ list }}){%- endmacro %}
{% macro spark__explode_list(list) -%}explode({{ list }}){%- endmacro %}

{% macro integer_divide(a, b) -%}{{ return(adapter.dispatch('integer_divide')(a, b)) }}{%- endmacro %}
{% macro duckdb__integer_divide(a, b) -%}{{ a }} // {{ b }}{%- endmacro %}
{% macro spark__integer_divide(a, b) -%}{{ a }} div {{ b }}{%- endmacro %}
