{#-
  Aggregates in a fixed order, dispatched: DuckDB orders the input (the same floating
  point result whatever the parallelism); Spark has no ordered aggregates, and its plain
  aggregate differs in the last bits only (the parity test allows 1e-9 relative).
  Example: {{ ordered_corr('x', 'y', 'hour_start') }}
-#}
{% macro ordered_corr(x, y, order) -%}{{ return(adapter.dispatch('ordered_corr')(x, y, order)) }}{%- endmacro %}
{% macro duckdb__ordered_corr(x, y, order) -%}corr({{ x }}, {{ y }} order by {{ order }}){%- endmacro %}
{% macro spark__ordered_corr(x, y, order) -%}corr({{ x }}, {{ y }}){%- endmacro %}

{% macro ordered_avg(x, order) -%}{{ return(adapter.dispatch('ordered_avg')(x, order)) }}{%- endmacro %}
{% macro duckdb__ordered_avg(x, order) -%}avg({{ x }} order by {{ order }}){%- endmacro %}
{% macro spark__ordered_avg(x, order) -%}avg({{ x }}){%- endmacro %}

{#- A one-column relation of the values of a list: {{ values_of([0, 2], 'lag_hours') }} -#}
{% macro values_of(items, column) -%}{{ return(adapter.dispatch('values_of')(items, column)) }}{%- endmacro %}
{% macro duckdb__values_of(items, column) -%}select unnest({{ items }}) as {{ column }}{%- endmacro %}
{% macro spark__values_of(items, column) -%}select explode(array({{ items | join(', ') }})) as {{ column }}{%- endmacro %}

{#-
  An exact sum of doubles (DuckDB): each term as a decimal with 24 digits after the
  point, one rounding back to double at the end; the same bits whatever the order of
  the terms or the threads, without the cost of an ordered aggregate. `window`: the
  name of a window (or an `(partition by ...)` clause) to sum over.
  Example: {{ exact_sum('x * y') }}, {{ exact_sum('x', 'series') }}
-#}
{% macro exact_sum(x, window=none) -%}
    cast(sum(cast({{ x }} as decimal(38, 24))){{ ' over ' ~ window if window }} as double)
{%- endmacro %}
