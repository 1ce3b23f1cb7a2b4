{#-
  SSMSI communal base of recorded crime (data.gouv.fr): UTF-8 with BOM, `;`, decimal
  comma, missing = `NA`. One row per commune (or municipal arrondissement), year and
  crime class. `valeur.publiée` = `diff`: the commune's value is published in
  faits/tauxpourmille; `ndiff`: suppressed (fewer than 5 facts over 3 years), and
  complementinfoval/complementinfotaux hold the department mean over suppressed
  communes. The edition is recognised by its header and recorded in `source_edition`.
-#}

{%- set path = source_path('ssmsi', 'communal_crime', 'ssmsi_path', quote=false) %}
{%- set header = csv_header(path, ';') %}
{%- set edition = ssmsi_edition_of(path, header) if execute else 'geographie2023' %}
{%- set col = ssmsi_editions()[edition] %}
{%- set ctx = "'" ~ path ~ ": commune ' || \"" ~ col.code_com ~ "\""
    ~ " || ', year ' || \"" ~ col.year ~ "\" || ', ' || \"" ~ col.crime_class ~ "\"" %}

with

source as (
    select *
    from read_csv(
        '{{ path }}',
        delim = ';',
        header = true,
        auto_detect = false,
        strict_mode = true,
        columns = {
            {%- for c in col.values() %}
                '{{ c }}': 'VARCHAR'{{ "," if not loop.last }}
            {%- endfor %}
        }
    )
),

final as (
    select
        "{{ col.code_com }}" as code_com,
        case
            when length("{{ col.year }}") = 2 then 2000 + cast("{{ col.year }}" as integer)
            else cast("{{ col.year }}" as integer)
        end as year,
        "{{ col.crime_class }}" as crime_class,
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
        '{{ edition }}' as source_edition
    from source
)

select * from final
