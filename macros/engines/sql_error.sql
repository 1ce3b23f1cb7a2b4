{#-
  An SQL expression that stops the query with `message` (an SQL text expression):
  DuckDB's error(), Spark's raise_error().
  Example: {{ sql_error("'no such constant'") }}
-#}
{% macro sql_error(message) -%}{{ return(adapter.dispatch('sql_error')(message)) }}{%- endmacro %}
{% macro duckdb__sql_error(message) -%}error({{ message }}){%- endmacro %}
{% macro spark__sql_error(message) -%}raise_error({{ message }}){%- endmacro %}
