{#-
  A scalar subquery reading one constant of the seed `method_constants`.
  Example: {{ method_constant('onion_share_lower') }} -> (select value from ... where
  constant_name = 'onion_share_lower'). An unknown name fails the build: the subquery
  is wrapped so that it errors instead of returning NULL.
-#}
{% macro method_constant(name) -%}
    (
        select coalesce(
            max(value),
            {{ sql_error("'seed method_constants has no constant named \"" ~ name ~ "\"'") }}
        )
        from {{ ref('method_constants') }}
        where constant_name = '{{ name }}'
    )
{%- endmacro %}
