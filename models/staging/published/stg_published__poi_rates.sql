{#-
  The authors' points of interest per commune (var authors_poi_rates_path; docs/method.md
  section 12): `poi.csv` of Societal-Computing/netmob_tor, `,`-separated, header
  `code_com,<category>...`, one row per commune with the places per 1000 inhabitants of
  each Overture category of the seed poi_category_groups (header checked against seed
  ref_raw_file_headers, columns read by name) (counted inside the commune's
  NetMob tiles, the authors' rule). One row per commune and category. Commune codes
  that lost their leading zero are re-padded; a value that is not a non-negative
  number stops the build naming the file, the commune and the category.
-#}
{%- set path = source_path('published', 'poi_rates', 'authors_poi_rates_path', quote=false) %}
{%- set categories = seed_values('poi_category_groups', 'category', 'position') %}
{%- set header = csv_header(path, ',') %}
{%- set contract = check_header('published_poi_rates', path, header) %}

with

source as (
    {{ read_csv_by_name(path, header, ',') }}
),

long as (
    {%- if not categories %}
        -- the seed is not built yet (a lint before any build): no category column
        select
            cast(null as varchar) as code_text,
            cast(null as varchar) as category,
            cast(null as varchar) as cell,
            cast(null as varchar) as source_file,
            cast(null as bigint) as source_line
        where false
    {%- endif %}
    {%- for category in categories %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            code_com as code_text,
            '{{ category }}' as category,
            "{{ category }}" as cell,
            source_file,
            source_line
        from source
    {%- endfor %}
),

parsed as (
    select
        case
            when regexp_full_match(code_text, '[0-9]{4}') then '0' || code_text
            else code_text
        end as code_com,
        category,
        {{ parse_number(
            'cell', "source_file || ':' || source_line || ': commune ' || code_text || ', ' || category", missing=[]
        ) }}
            as places_per_1000,
        source_file,
        source_line
    from long
),

final as (
    select
        code_com,
        category,
        case
            when places_per_1000 >= 0 then places_per_1000
            else error(
                source_file || ':' || source_line || ': commune ' || code_com || ', ' || category
                || ': expected places per 1000 >= 0, found ' || places_per_1000
            )
        end as places_per_1000,
        source_file,
        source_line
    from parsed
)

select * from final
