{#-
  A dbt var's value as a typed SQL literal: booleans, integers (bigint), other numbers
  (double), dates (when as_date), text; a list as JSON text.
  Example: {{ sql_literal(var('bootstrap_level')) }} -> cast('0.95' as double)
-#}
{% macro sql_literal(value, as_date=false) -%}
    {%- if as_date -%}
        cast('{{ value }}' as date)
    {%- elif value is sameas true or value is sameas false -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number and value is integer -%}
        cast({{ value }} as bigint)
    {%- elif value is number -%}
        cast('{{ value }}' as double)
    {%- elif value is string -%}
        cast('{{ value | replace("'", "''") }}' as {{ dbt.type_string() }})
    {%- else -%}
        cast('{{ tojson(value | list) | replace("'", "''") }}' as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#-
  A list of names for a message, as it reads in the file: ["a", "b"], accents and
  symbols kept (tojson would write \u00e9).
  Example: {{ names_text(['Libellé', 'PMUN']) }} -> ["Libellé", "PMUN"]
-#}
{% macro names_text(values) -%}
    {%- set quoted = [] -%}
    {%- for v in values -%}{%- do quoted.append('"' ~ (v | string | replace('"', '\\"')) ~ '"') -%}{%- endfor -%}
    {{- return('[' ~ quoted | join(', ') ~ ']') -}}
{%- endmacro %}
