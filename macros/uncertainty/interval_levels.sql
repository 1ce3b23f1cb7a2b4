{#-
  The two quantiles of a percentile interval at var bootstrap_level (docs/method.md section
  13): [(1 - level) / 2, 1 - (1 - level) / 2], e.g. 0.025 and 0.975 at 0.95.
  Example: {%- set low, high = interval_levels() %} quantile_cont(x, {{ low }})
-#}
{% macro interval_levels() -%}
    {%- set level = var('bootstrap_level') | float -%}
    {%- if not (0 < level < 1) -%}
        {{ exceptions.raise_compiler_error("var bootstrap_level must lie strictly between 0 and 1, got " ~ level) }}
    {%- endif -%}
    {{ return([(1 - level) / 2, 1 - (1 - level) / 2]) }}
{%- endmacro %}
