{#-
  Google Trends "interest by subregion" exports (geoMap.csv): line 1
  `Category: All categories`, a blank line, then `Region,<term>: (<time range>)...`,
  one row per region, integers 0-100, blank = too little data, `<1` below one.
  One row per file x region x term. Every CSV under var('trends_glob') is read; each
  file's header is checked against seed ref_raw_file_headers (a `Region` column, then
  the terms) and its columns read by name.
-#}

{%- set glob = source_path('trends', 'geomap_exports', 'trends_glob', quote=false) %}
{%- set files = [] %}
{%- set headers = [] %}
{%- if execute %}
    {%- set listed = run_query("select file from glob('" ~ glob ~ "') order by file") %}
    {%- for row in listed.rows %}{%- do files.append(row[0]) %}{%- endfor %}
    {%- if files | length == 0 %}
        {{ exceptions.raise_compiler_error("no Google Trends export matches " ~ glob) }}
    {%- endif %}
    {%- for f in files %}
        {%- set first = csv_header(f, '\x01') %}
        {%- if first[0] | trim not in ['Category: All categories', 'Catégorie : Toutes catégories'] %}
            {{ exceptions.raise_compiler_error(f ~ ": line 1 is '" ~ first[0] ~ "'; expected a Google Trends geoMap export starting with 'Category: All categories'") }}
        {%- endif %}
        {%- set header = csv_header(f, ',', skip=2) %}
        {%- do check_header('trends_geomap', f, header) %}
        {%- do headers.append(header) %}
    {%- endfor %}
{%- else %}
    {#- parsing: the contract's seed is a dependency -#}
    {%- do check_header('trends_geomap', 'placeholder', []) %}
    {%- do files.append('placeholder') %}
    {%- do headers.append(['Region']) %}
{%- endif %}

with

{%- for f in files %}
    read_{{ loop.index }} as (
        {{ read_csv_by_name(f, headers[loop.index0], ',', skip=2) }}
    ),

    file_{{ loop.index }} as (
        select *
        from read_{{ loop.index }}
        unpivot include nulls (
            value_text for column_label in (columns(* exclude ("Region", source_file, source_line)))
        )
    ),
{%- endfor %}

unioned as (
    {%- for f in files %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            source_file,
            source_line,
            "Region" as region_name,
            column_label,
            value_text
        from file_{{ loop.index }}
    {%- endfor %}
),

final as (
    select
        source_file,
        source_line,
        region_name,
        coalesce(
            nullif(regexp_extract(column_label, '^(.*): \((.*)\)$', 1), ''),
            error(
                source_file || ': column "' || column_label
                || '" is not "<term>: (<time range>)"'
            )
        ) as search_term,
        regexp_extract(column_label, '^(.*): \((.*)\)$', 2) as time_range,
        value_text,
        case
            when value_text is null or trim(value_text) in ('', '<1') then null
            else coalesce(
                case
                    when try_cast(trim(value_text) as integer) between 0 and 100
                        then try_cast(trim(value_text) as integer)
                end,
                error(
                    source_file || ':' || source_line || ': region ' || region_name
                    || ', column "' || column_label
                    || '": expected an integer 0-100, blank or <1, found "' || value_text || '"'
                )
            )
        end as interest,
        coalesce(trim(value_text), '') = '' as is_too_little_data,
        coalesce(trim(value_text) = '<1', false) as is_below_one
    from unioned
)

select * from final
