{#-
  The authors' Google Trends principal components per department (var
  authors_trends_scores_path; docs/method.md sections 7 and 12): `gtrends_dep.csv` of
  Societal-Computing/netmob_tor, `;`-separated, a pandas index column, `code_dep`
  (written without its leading zero: `1`, `6`), traffic totals, the 14 terms and
  `PC1;PC2;PC3` (header checked against seed ref_raw_file_headers, columns read by
  name). One row per department and component. A score that is not a number
  stops the build naming the file, the department and the component.
-#}
{%- set path = source_path('published', 'trends_department_scores', 'authors_trends_scores_path', quote=false) %}
{%- set header = csv_header(path, ';') %}
{%- set contract = check_header('published_trends_department_scores', path, header) %}

with

source as (
    {{ read_csv_by_name(path, header, ';') }}
),

long as (
    {%- for component in ['PC1', 'PC2', 'PC3'] %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            code_dep as code_text,
            '{{ component }}' as component,
            "{{ component }}" as cell,
            source_file,
            source_line
        from source
    {%- endfor %}
),

final as (
    select
        case
            when regexp_full_match(code_text, '[0-9]') then '0' || code_text
            else code_text
        end as code_dep,
        component,
        {{ parse_number(
            'cell', "source_file || ':' || source_line || ': department ' || code_text || ', ' || component",
            missing=[]
        ) }}
            as score,
        source_file,
        source_line
    from long
)

select * from final
