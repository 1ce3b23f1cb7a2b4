{#-
  One row per study commune: every variable of the paper's regressions (docs/method.md
  sections 7-9), named for what it is (the seed regression_variables maps each to the
  paper's label), with the level each fallback used and their count. Shares and rates are fractions,
  divided by 100 (singles, turnout, Le Pen, Macron, poverty, unemployment: the paper's
  coefficients are per unit fraction, docs/method.md section 9); POI rates per 1000 are
  z-scored over the study communes (sample standard deviation, as R's scale()). The
  sexual-violence rate is sv_com_17_21: the mean 2017-2021 of the published commune
  values only (the authors' R script), NULL where never published.
  With var authors_poi_rates_path the POI rates are the authors' (poi.csv), with var
  authors_trends_scores_path PC1 and PC3 their department scores (gtrends_dep.csv).
-#}
{%- set poi_groups = seed_values('poi_category_groups', 'poi_group', 'position') %}

with

cpc as (
    select * from {{ ref('fct_commune_cpc') }}
),

lagged as (
    -- Table 7's estimate: the same method with Tor lagged by var robustness_lag_hours
    select
        code_com,
        log_cpc_per_1000 as log_cpc_per_1000_lag2
    from {{ ref('int_commune_cpc_estimates') }}
    where correction_method = '{{ var("correction_method") }}' and lag_hours = {{ var("robustness_lag_hours") }}
),

insee as (
    select
        code_com,
        max(indicator_value) filter (where indicator_name = 'population_density') as population_density,
        max(level_used) filter (where indicator_name = 'population_density') as density_level,
        max(indicator_value) filter (where indicator_name = 'share_singles_pct') as share_singles_pct,
        max(level_used) filter (where indicator_name = 'share_singles_pct') as singles_level,
        max(indicator_value) filter (where indicator_name = 'poverty_rate_pct') as poverty_rate,
        max(level_used) filter (where indicator_name = 'poverty_rate_pct') as poverty_level,
        max(indicator_value) filter (where indicator_name = 'unemployment_rate_pct') as unemployment_rate,
        max(level_used) filter (where indicator_name = 'unemployment_rate_pct') as unemployment_level,
        count(*) filter (where is_fallback) as n_insee_fallbacks
    from {{ ref('int_insee_indicators_resolved') }}
    group by code_com
),

election as (
    select * from {{ ref('int_election_2017_by_commune') }}
),

poi as (
    select
        {%- for g in poi_groups %}
            max(places_per_1000) filter (where poi_group = '{{ g }}') as poi_{{ g }}_per_1000,
            max(n_places) filter (where poi_group = '{{ g }}') as n_poi_{{ g }},
        {%- endfor %}
        code_com
    from {{ ref('int_poi_counts_by_commune') }}
    group by code_com
),

poi_scaled as (
    select
        {%- for g in poi_groups %}
            (poi_{{ g }}_per_1000 - avg(poi_{{ g }}_per_1000 order by code_com) over ())
            / nullif(stddev_samp(poi_{{ g }}_per_1000 order by code_com) over (), 0)
                as poi_{{ g }}_z,
        {%- endfor %}
        poi.*
    from poi
),

trends as (
    {%- if var('authors_trends_scores_path') | length > 0 %}
        -- the authors' department scores (gtrends_dep.csv) instead of fct_trends_pca's
        select
            code_dep,
            max(score) filter (where component = 'PC1') as trends_pc1,
            max(score) filter (where component = 'PC3') as trends_pc3
        from {{ ref('stg_published__trends_department_scores') }}
        group by code_dep
    {%- else %}
        select
            item as code_dep,
            max(value) filter (where component = 'PC1') as trends_pc1,
            max(value) filter (where component = 'PC3') as trends_pc3
        from {{ ref('fct_trends_pca') }}
        where record_type = 'department_score'
        group by item
    {%- endif %}
),

crime as (
    select * from {{ ref('int_commune_crime_rates') }}
),

final as (
    select
        cpc.code_com,
        cpc.city,
        cpc.code_dep,
        cpc.pop,
        cpc.log_youtube_per_1000,
        cpc.log_web_adult_per_1000,
        cpc.log_tor_per_1000,
        cpc.log_cpc_per_1000,
        lagged.log_cpc_per_1000_lag2,
        case when insee.population_density > 0 then ln(insee.population_density) end as log_pop_density,
        insee.share_singles_pct / 100.0 as share_singles,
        insee.poverty_rate / 100.0 as poverty_rate,
        insee.unemployment_rate / 100.0 as unemployment_rate,
        election.turnout_pct / 100.0 as turnout_2017,
        election.le_pen_pct / 100.0 as share_le_pen_2017,
        election.macron_pct / 100.0 as share_macron_2017,
        {%- for g in poi_groups %}
            poi_scaled.poi_{{ g }}_z,
        {%- endfor %}
        trends.trends_pc1,
        trends.trends_pc3,
        crime.sv_com_17_21 as sexual_violence_per_1000,
        crime.drug_com_17_21 as drug_use_per_1000,
        crime.sv_19,
        crime.sv_17_21,
        crime.sv_com_19,
        insee.density_level,
        insee.singles_level,
        insee.poverty_level,
        insee.unemployment_level,
        election.level_used as election_level,
        -- values taken from a coarser level than the method's (the three election
        -- values share one level): var regression_fallbacks = false drops these communes
        coalesce(insee.n_insee_fallbacks, 0)
        + case when election.level_used <> 'commune' then 3 else 0 end as n_fallback_values,
        {%- for g in poi_groups %}
            poi_scaled.poi_{{ g }}_per_1000,
        {%- endfor %}
        cpc.n_contributing_tiles,
        cpc.correction_method,
        cpc.tor_lag_hours
    from cpc
    left outer join lagged on cpc.code_com = lagged.code_com
    left outer join insee on cpc.code_com = insee.code_com
    left outer join election on cpc.code_com = election.code_com
    left outer join poi_scaled on cpc.code_com = poi_scaled.code_com
    left outer join trends on cpc.code_dep = trends.code_dep
    left outer join crime on cpc.code_com = crime.code_com
)

select * from final
