{#-
  Whether `estimate` lies in [`low`, `high`], to a relative 1e-9 (the rounding of two
  computations of the same number), as a SQL boolean; NULL when a value is NULL.
  Example: {{ within_interval('rho', 'rho_ci_low', 'rho_ci_high') }}
-#}
{% macro within_interval(estimate, low, high) -%}
    {%- set slack = "1e-9 * greatest(abs(" ~ estimate ~ "), abs(" ~ low ~ "), abs(" ~ high ~ "), 1e-300)" -%}
    ({{ low }} - {{ slack }} <= {{ estimate }} and {{ estimate }} <= {{ high }} + {{ slack }})
{%- endmacro %}
