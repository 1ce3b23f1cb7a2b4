{#-
  One row per commune of the SSMSI file: the recorded sexual-violence facts (class of
  var ssmsi_sexual_violence_class) summed over the years of var ssmsi_years whose
  commune value is published, the population-years of those years (the count models'
  exposure) and the years withheld under the publisher's disclosure rule (`ndiff`: a
  withheld year's count is unknown, fewer than the threshold, never 0; docs/method.md
  section 15).
-#}
{%- set years = var('ssmsi_years') %}

with

crime as (
    select
        code_com,
        year,
        is_commune_value_published,
        facts,
        population
    from {{ ref('stg_ssmsi__communal_crime') }}
    where
        crime_class = '{{ var("ssmsi_sexual_violence_class") }}'
        and year in ({{ years | join(', ') }})
),

final as (
    select
        code_com,
        sum(facts) filter (where is_commune_value_published) as facts,
        sum(population) filter (where is_commune_value_published) as population_years,
        count(*) filter (where is_commune_value_published) as n_published_years,
        count(*) filter (where not is_commune_value_published) as n_withheld_years,
        {{ years | length }} as n_years
    from crime
    group by code_com
)

select * from final
