{#-
  One row per commune of the SSMSI file: sexual-violence and drug-use rates per 1000
  (docs/method.md section 7, notebook 2). For each class and year the rate is the commune's
  published value (`tauxpourmille`) or, where suppressed, the department estimate
  (`complementinfotaux`); `*_com_*` columns keep published commune values only (NULL
  when suppressed every year), the others use the fallback. `_19` is the year of var
  ssmsi_single_year, `_17_21` the mean over var ssmsi_years (of available values).
-#}
{%- set years = var('ssmsi_years') | join(', ') %}
{%- set single = var('ssmsi_single_year') %}

with

crime as (
    select
        code_com,
        year,
        crime_class,
        rate_per_1000,
        department_mean_rate_per_1000,
        source_edition
    from {{ ref('stg_ssmsi__communal_crime') }}
    where
        crime_class in ('{{ var("ssmsi_sexual_violence_class") }}', '{{ var("ssmsi_drug_use_class") }}')
        and year in ({{ years }})
),

rates as (
    select
        code_com,
        year,
        crime_class,
        rate_per_1000 as commune_rate,
        coalesce(rate_per_1000, department_mean_rate_per_1000) as rate_with_fallback,
        source_edition
    from crime
),

{%- set classes = [('sv', var('ssmsi_sexual_violence_class')), ('drug', var('ssmsi_drug_use_class'))] %}

final as (
    select
        code_com,
        {%- for prefix, label in classes %}
            avg(rate_with_fallback order by year) filter (
                where crime_class = '{{ label }}' and year = {{ single }}
            ) as {{ prefix }}_19,
            avg(rate_with_fallback order by year) filter (where crime_class = '{{ label }}')
                as {{ prefix }}_17_21,
            avg(commune_rate order by year) filter (
                where crime_class = '{{ label }}' and year = {{ single }}
            ) as {{ prefix }}_com_19,
            avg(commune_rate order by year) filter (where crime_class = '{{ label }}')
                as {{ prefix }}_com_17_21,
            count(commune_rate) filter (where crime_class = '{{ label }}')
                as {{ prefix }}_n_published_years,
        {%- endfor %}
        min(source_edition) as source_edition
    from rates
    group by code_com
)

select * from final
