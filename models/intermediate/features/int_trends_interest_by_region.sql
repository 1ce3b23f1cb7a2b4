{#-
  One row per pre-2016 region and search term: Google Trends' relative interest, the
  input of the Trends PCA (docs/method.md section 7). The variant is picked here
  (dbt_project.yml, variants): the geoMap exports of raw_dir with the paper's terms
  (int_trends_exports_by_region) or, with var trends_authors_matrix_path, the authors'
  own region x term matrix with their 14 terms (int_trends_authors_matrix_by_region).
-#}

with

interest as (
    select
        region_code,
        search_term,
        interest,
        is_too_little_data,
        is_below_one,
        source_file
    {%- if var('trends_authors_matrix_path') | length > 0 %}
        from {{ ref('int_trends_authors_matrix_by_region') }}
    {%- else %}
        from {{ ref('int_trends_exports_by_region') }}
    {%- endif %}
),

final as (
    select * from interest
)

select * from final
