{#-
  The onion-share bounds of the method (seed method_constants: onion_share_lower,
  _middle, _upper) as rows, read from a relation or CTE holding
  int_method_constants' wide columns.
  Example: {{ onion_share_bounds('constants') }} -> 3 rows (onion_share_bound,
  onion_share): ('lower', 0.011), ('middle', ...), ('upper', ...).
-#}
{% macro onion_share_bounds(constants) -%}
    {%- for bound in onion_share_bound_names() %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ bound }}' as onion_share_bound,
            onion_share_{{ bound }} as onion_share
        from {{ constants }}
    {%- endfor %}
{%- endmacro %}

{#- The names of the onion-share bounds, the values var('onion_share_bound') may take. -#}
{% macro onion_share_bound_names() -%}
    {{ return(['lower', 'middle', 'upper']) }}
{%- endmacro %}
