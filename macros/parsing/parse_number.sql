{#-
  Text -> DOUBLE with the publisher's conventions, never silently coerced:
  missing tokens (e.g. 'NA', '') -> NULL; decimal comma accepted when `comma`;
  anything else that is not a number stops the build with an error whose message is
  the SQL expression `context` (e.g. file and key) followed by what was expected.
  Example: {{ parse_number('"tauxpourmille"', context="'ssmsi.csv: ' || code_com", comma=true) }}
-#}
{% macro parse_number(expr, context, missing=['NA', ''], comma=false, type='double') -%}
    case
        when {{ expr }} is null
            {%- for token in missing %} or trim({{ expr }}) = '{{ token }}'{% endfor %} then null
        else coalesce(
            try_cast({{ "replace(trim(" ~ expr ~ "), ',', '.')" if comma else "trim(" ~ expr ~ ")" }} as {{ type }}),
            error(
                {{ context }} || ': expected a {{ "decimal number (comma decimals)" if comma else "number" }}'
                || ' or one of {{ missing | join(", ") | replace("'", "") or "(none)" }}, found "' || {{ expr }} || '"'
            )
        )
    end
{%- endmacro %}
