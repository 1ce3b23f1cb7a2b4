{#-
  Authors' variant of int_poi_counts_by_commune, with var authors_poi_rates_path (the
  authors' poi.csv): one row per study commune and
  POI group of the seed poi_category_groups, the authors' places per 1000 inhabitants
  summed over the group's categories (their count inside the commune's NetMob tiles).
  The file has rates, not counts: n_places is NULL. A study commune the file lacks
  stops the build naming it (the authors' file covers their 1,341 communes).
-#}
{%- set path = raw_path('authors_poi_rates_path', quote=false) %}
{%- set missing = "'" ~ path ~ ": no row for study commune ' || study.code_com" %}

with

poi_groups as (
    select
        category,
        poi_group
    from {{ ref('poi_category_groups') }}
),

rates as (
    select
        rates.code_com,
        poi_groups.poi_group,
        sum(rates.places_per_1000) as places_per_1000
    from {{ ref('stg_published__poi_rates') }} as rates
    inner join poi_groups on rates.category = poi_groups.category
    group by rates.code_com, poi_groups.poi_group
),

study as (
    select code_com from {{ ref('int_commune_traffic_totals') }}
),

group_names as (
    select distinct poi_group from poi_groups
),

final as (
    select
        study.code_com,
        group_names.poi_group,
        cast(null as bigint) as n_places,
        case
            when rates.code_com is not null then rates.places_per_1000
            else {{ cpc_error(missing) }}
        end as places_per_1000,
        'authors_file' as poi_allocation
    from study
    cross join group_names
    left outer join rates
        on study.code_com = rates.code_com and group_names.poi_group = rates.poi_group
)

select * from final
