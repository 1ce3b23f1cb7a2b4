{#-
  One row: the vars this build ran with, as dbt resolved them (dbt_project.yml
  overridden by --vars). The publisher records it in publication.json and the report
  shows it, so nobody re-parses dbt_project.yml. The list below is the one place the
  recorded settings are named; lists are stored as JSON text. synthetic_seed: the seed
  of the synthetic sample when raw_dir is one (its generator's manifest), else NULL.
-#}
{%- set settings = [
    'traffic_source', 'spine_engine', 'raw_dir', 'published_commune_totals_path', 'authors_poi_rates_path',
    'authors_trends_scores_path', 'trends_authors_matrix_path', 'netmob_cities',
    'netmob_services', 'study_start', 'study_end', 'tile_allocation', 'correction_method',
    'tor_lag_hours', 'correction_lags', 'onion_share_bound', 'bootstrap_replicates',
    'bootstrap_seed', 'bootstrap_block_days', 'bootstrap_level', 'regression_cov_type',
    'regression_fallbacks', 'spatial_knn', 'spatial_permutations', 'spatial_seed',
    'publication_min_population', 'publication_min_tiles', 'drift_max_row_count_change',
    'drift_max_mean_rho_change', 'drift_max_floored_share_change',
    'drift_max_validation_rho_change'
] -%}
{%- set dates = ['study_start', 'study_end'] -%}
{#- the synthetic sample's generator records its seed here; a real raw folder has none -#}
{%- set generator_manifest = raw_path(relative='_truth/manifest.json', quote=false) %}
{%- set synthetic = execute and run_query(
    "select count(*) from glob('" ~ generator_manifest | replace("'", "''") ~ "')"
).columns[0].values()[0] > 0 %}

select
    {%- for name in settings %}
        {{ sql_literal(var(name), as_date=name in dates) }} as {{ name }},
    {%- endfor %}
    '{{ dbt_version }}' as dbt_version,
    {%- if synthetic %}
        (
            select cast(struct_extract(options, 'seed') as bigint)
            from read_json('{{ generator_manifest | replace("'", "''") }}')
        ) as synthetic_seed
    {%- else %}
        cast(null as bigint) as synthetic_seed
    {%- endif %}
