{#-
  One row per study commune and POI group of the seed poi_category_groups: places and
  places per 1000 inhabitants (docs/method.md section 7). The variant is picked here
  (dbt_project.yml, variants): the Overture places of raw_dir
  (int_overture_places_counted_by_commune) or, with var authors_poi_rates_path, the
  authors' rates (int_published_poi_rates_by_commune, no counts).
-#}

with

counts as (
    select
        code_com,
        poi_group,
        n_places,
        places_per_1000,
        poi_allocation
    {%- if var('authors_poi_rates_path') | length > 0 %}
        from {{ ref('int_published_poi_rates_by_commune') }}
    {%- else %}
        from {{ ref('int_overture_places_counted_by_commune') }}
    {%- endif %}
),

final as (
    select * from counts
)

select * from final
