{#-
  The authors' own Google Trends input (var trends_authors_matrix_path; docs/method.md
  section 7): `intial_anaysis_gtrends.csv` of Societal-Computing/netmob_tor, `;`,
  header `geoName;code_reg;<terms>`, one row per pre-2016 region (22, Corsica
  included). One row per region and term of the seed trends_authors_terms (its column
  matrix_column names the file's column: `video porno ado_x` is the term `video porno
  ado`). The header is checked against seed ref_raw_file_headers (geoName, code_reg,
  then the terms). A value that is not an integer 0-100, or a term column the file
  lacks, stops the build naming the file (and the line, the region and the term).
-#}
{%- set path = source_path('trends', 'authors_matrix', 'trends_authors_matrix_path', quote=false) %}
{%- set columns = seed_values('trends_authors_terms', 'matrix_column', 'position') %}
{%- set header = csv_header(path, ';') %}
{%- set contract = check_header('trends_authors_matrix', path, header) %}
{%- set missing = columns | reject('in', header) | list %}
{%- if execute and header and missing %}
    {{ exceptions.raise_compiler_error(
        path ~ ": no column for the terms " ~ names_text(missing) ~ " of seed trends_authors_terms"
        ~ " (column matrix_column); found " ~ names_text(header)
    ) }}
{%- endif %}

with

source as (
    {{ read_csv_by_name(path, header, ';') }}
),

long as (
    {%- if not columns %}
        -- the seed is not built yet (a lint before any build): no term column
        select
            cast(null as varchar) as region_name,
            cast(null as varchar) as matrix_column,
            cast(null as varchar) as cell,
            cast(null as varchar) as source_file,
            cast(null as bigint) as source_line
        where false
    {%- endif %}
    {%- for column in columns %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            "geoName" as region_name,
            '{{ column }}' as matrix_column,
            "{{ column }}" as cell,
            source_file,
            source_line
        from source
    {%- endfor %}
),

terms as (
    select
        search_term,
        matrix_column
    from {{ ref('trends_authors_terms') }}
),

final as (
    select
        long.region_name,
        terms.search_term,
        case
            when try_cast(long.cell as integer) between 0 and 100 then cast(long.cell as integer)
            else error(
                long.source_file || ':' || long.source_line || ': region "' || long.region_name
                || '", term "' || terms.search_term || '": expected an integer 0-100, found "'
                || coalesce(long.cell, 'NULL') || '"'
            )
        end as interest,
        long.source_file,
        long.source_line
    from long
    inner join terms on long.matrix_column = terms.matrix_column
)

select * from final
