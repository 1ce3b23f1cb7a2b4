{#-
  A SQL expression that stops the query with `message` (a SQL string expression),
  dispatched per engine: DuckDB's error(), Spark's raise_error().
  Example: {{ cpc_error("'tile ' || tile_id || ' is unknown'") }}
-#}
{% macro cpc_error(message) -%}
    {{ return(adapter.dispatch('cpc_error', 'cpc_tor')(message)) }}
{%- endmacro %}

{% macro default__cpc_error(message) -%}
    error({{ message }})
{%- endmacro %}

{% macro spark__cpc_error(message) -%}
    raise_error({{ message }})
{%- endmacro %}
