{#-
  Reads an INSEE "statistiques locales" export (sheet `Data`: code, `Libellé`, then one
  column per indicator labelled in French with its year) into one row per area x
  indicator. `N/A - résultat non disponible` becomes NULL; any other non-numeric cell
  stops the build with an error naming the file, the area code and the indicator.
  Example: read_insee_indicators('/abs/raw/insee/inter_communalite_demographic_data.xlsx', 'code_epci').
-#}
{% macro read_insee_indicators(path, code_column) -%}
    with

    sheet as (
        select *
        from read_xlsx('{{ path }}', sheet = 'Data', header = true, all_varchar = true)
    ),

    long_format as (
        select *
        from sheet
        unpivot include nulls (
            value_text for indicator_label in (columns(* exclude ("{{ code_column }}", "Libellé")))
        )
    )

    select
        cast("{{ code_column }}" as varchar) as area_code,
        "Libellé" as area_name,
        indicator_label,
        case
            when value_text = 'N/A - résultat non disponible' then null
            else coalesce(
                try_cast(value_text as double),
                error(
                    '{{ path }}: area ' || "{{ code_column }}" || ', indicator "'
                    || indicator_label || '": expected a number or '
                    || '"N/A - résultat non disponible", found "' || value_text || '"'
                )
            )
        end as indicator_value,
        coalesce(value_text = 'N/A - résultat non disponible', false) as is_unavailable
    from long_format
{%- endmacro %}
