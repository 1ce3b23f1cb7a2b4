{#-
  Reads an INSEE "statistiques locales" export (sheet `Data`: code, `Libellé`, then one
  column per indicator labelled in French with its year) into one row per area x
  indicator, every column by its name. The sheet's header is checked first: the code
  column and `Libellé` must be there, and every indicator the method reads at this
  `level` (seed insee_indicators, preferred_level) must be there by its exact label, or
  the build stops naming the file, the labels missing and the labels found (a renamed
  or missing indicator would otherwise fall back silently to a coarser level). Other
  indicator columns are read too. `N/A - résultat non disponible` becomes NULL; any
  other non-numeric cell stops the build naming the file, the row, the area code and
  the indicator. Keeps source_file and source_line (the sheet's row, header row 1).
  Example: read_insee_indicators('/abs/raw/insee/inter_communalite_demographic_data.xlsx', 'code_epci', 'epci').
-#}
{% macro read_insee_indicators(path, code_column, level) -%}
    {%- set reader = "read_xlsx('" ~ path | replace("'", "''") ~ "', sheet = 'Data', header = true, all_varchar = true)" -%}
    {%- set seed = ref('insee_indicators') -%}
    {%- if execute -%}
        {%- set columns = file_columns(reader) -%}
        {%- set wanted = run_query(
            "select indicator_label from " ~ load_relation(seed)
            ~ " where preferred_level = '" ~ level ~ "' order by indicator_label"
        ).columns[0].values() | list -%}
        {%- set missing = ([code_column, 'Libellé'] + wanted) | reject('in', columns) | list -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                path ~ ": the " ~ level ~ " sheet lacks " ~ names_text(missing) ~ "; expected the code column "
                ~ code_column ~ ", Libellé and the indicators the method reads at this level"
                ~ " (seed insee_indicators, exact labels with their year); found " ~ names_text(columns)
            ) }}
        {%- endif -%}
    {%- endif -%}
    with

    sheet as (
        select
            *,
            '{{ path | replace("'", "''") }}' as source_file,
            row_number() over () + 1 as source_line
        from {{ reader }}
    ),

    long_format as (
        select *
        from sheet
        unpivot include nulls (
            value_text for indicator_label in (
                columns(* exclude ("{{ code_column }}", "Libellé", source_file, source_line))
            )
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
                    source_file || ':' || source_line || ': area ' || "{{ code_column }}" || ', indicator "'
                    || indicator_label || '": expected a number or '
                    || '"N/A - résultat non disponible", found "' || value_text || '"'
                )
            )
        end as indicator_value,
        coalesce(value_text = 'N/A - résultat non disponible', false) as is_unavailable,
        source_file,
        source_line
    from long_format
{%- endmacro %}
