{#-
  SSMSI communal base of recorded crime (data.gouv.fr): UTF-8 with BOM, `;`, decimal
  comma, missing = `NA`. One row per commune (or municipal arrondissement), year and
  crime class. `valeur.publiée` = `diff`: the commune's value is published in
  faits/tauxpourmille; `ndiff`: suppressed (fewer than 5 facts over 3 years), and
  complementinfoval/complementinfotaux hold the department mean over suppressed
  communes. The header is checked against the editions of seed ref_raw_file_headers
  (the edition found is `source_edition`) and every column read by its name; a class
  not in seed ref_ssmsi_classes stops the build naming the file, the line and the class.
-#}
{%- set path = source_path('ssmsi', 'communal_crime', 'ssmsi_path', quote=false) %}
{%- set header = csv_header(path, ';') %}
{%- set contract = check_header('ssmsi_communal_crime', path, header) %}
{%- set col = contract.columns %}
{%- set ctx = "source_file || ':' || source_line || ': commune ' || \"" ~ col.code_com ~ "\""
    ~ " || ', year ' || \"" ~ col.year ~ "\" || ', ' || \"" ~ col.crime_class ~ "\"" %}

with

source as (
    {{ read_csv_by_name(path, header, ';') }}
),

classes as (
    select crime_class from {{ ref('ref_ssmsi_classes') }}
),

final as (
    select
        {{ commune_code_of('"' ~ col.code_com ~ '"') }} as code_com,
        case
            when length("{{ col.year }}") = 2 then 2000 + cast("{{ col.year }}" as integer)
            else cast("{{ col.year }}" as integer)
        end as year,
        case
            when classes.crime_class is not null then source."{{ col.crime_class }}"
            else error(
                {{ ctx }} || ': the crime class is not one of seed ref_ssmsi_classes'
                || ' (a renamed class, or another edition of the file)'
            )
        end as crime_class,
        "{{ col.counting_unit }}" as counting_unit,
        case "{{ col.publication_status }}"
            when 'diff' then true
            when 'ndiff' then false
            else error(
                {{ ctx }} || ': publication status must be diff or ndiff, found "'
                || "{{ col.publication_status }}" || '"'
            )
        end as is_commune_value_published,
        {{ parse_number('"' ~ col.facts ~ '"', ctx ~ " || ', facts'", comma=true) }} as facts,
        {{ parse_number('"' ~ col.rate_per_1000 ~ '"', ctx ~ " || ', rate'", comma=true) }}
            as rate_per_1000,
        {{ parse_number('"' ~ col.dep_mean_facts ~ '"', ctx ~ " || ', department mean facts'", comma=true) }}
            as department_mean_facts,
        {{ parse_number('"' ~ col.dep_mean_rate ~ '"', ctx ~ " || ', department mean rate'", comma=true) }}
            as department_mean_rate_per_1000,
        {{ parse_number('"' ~ col.population ~ '"', ctx ~ " || ', population'", comma=true) }}
            as population,
        "{{ col.population_vintage }}" as population_vintage,
        '{{ contract.edition }}' as source_edition,
        {{ commune_code_repaired('"' ~ col.code_com ~ '"') }} as is_code_repaired,
        source.source_file,
        source.source_line
    from source
    left outer join classes on source."{{ col.crime_class }}" = classes.crime_class
)

select * from final
