{#-
  One row per commune, correction method and Tor lag: the correlation rho behind the
  correction factor (docs/method.md section 5). The variant of var traffic_source
  (dbt_project.yml, variants) is picked here: `netmob` correlates the commune's log hourly
  series (int_commune_hours_correlated, on Spark's table when var spine_engine is spark);
  `published` recovers rho from the authors' c (int_published_factors_inverted), which
  is then given_c.
-#}

with

correlations as (
    {%- if netmob_enabled() %}
        select
            code_com,
            correction_method,
            lag_hours,
            rho,
            n_hours,
            mean_pearson_rho,
            given_c,
            'netmob' as traffic_source
        from {{ spine_relation('int_commune_hours_correlated') }}
    {%- else %}
        select
            code_com,
            correction_method,
            lag_hours,
            rho,
            n_hours,
            mean_pearson_rho,
            given_c,
            'published' as traffic_source
        from {{ ref('int_published_factors_inverted') }}
    {%- endif %}
),

final as (
    select * from correlations
)

select * from final
