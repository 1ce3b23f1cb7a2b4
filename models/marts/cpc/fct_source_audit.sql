{#-
  One row per audit check and scope (city, or `all`): what the sources should hold
  against what they hold, with the threshold the check must meet (vars) and whether it
  passes; a dbt test fails the build on any check that does not pass.
  - netmob_files: expected NetMob files (city x service x direction x day of the vars)
    found on disk (a missing file also stops the parse with its path);
  - netmob_unexpected_files: files of those cities, services and directions outside the
    study window (informative, always passes);
  - tile_rows_per_day: tiles of the traffic files read once per study day (a
    duplicated row or a tile missing from some files breaks it; informative when var
    netmob_missing_tile_rows is `warn`);
  - tiles_with_traffic: tiles of the city's GeoJSON present in the traffic files;
  - unknown_tile_traffic: share of traffic from tile ids absent from the GeoJSON (max);
  - join_*: study communes found in each source (COG vintages differ: rates, not drops).
-#}
{%- set netmob = netmob_enabled() %}

with

study as (
    select
        code_com,
        population
    from {{ ref('int_commune_traffic_totals') }}
),

{%- if netmob %}

    file_checks as (
        select
            'netmob_files' as check_name,
            city as scope,
            count(*) as n_expected,
            count(*) filter (where is_found) as n_found
        from {{ ref('fct_netmob_file_audit') }}
        where is_expected
        group by city
    ),

    unexpected_files as (
        select
            'netmob_unexpected_files' as check_name,
            'all' as scope,
            0 as n_expected,
            count(*) filter (where not is_expected) as n_found
        from {{ ref('fct_netmob_file_audit') }}
    ),

    tile_rows as (
        select
            'tile_rows_per_day' as check_name,
            city as scope,
            count(*) as n_expected,
            count(*) filter (where n_rows = n_study_days) as n_found
        from {{ spine_relation('int_traffic_aggregated_to_tiles') }}
        group by city
    ),

    tiles_with_rows as (
        select distinct
            city,
            tile_id
        from {{ spine_relation('int_traffic_aggregated_to_tiles') }}
    ),

    tiles_with_traffic as (
        select
            'tiles_with_traffic' as check_name,
            grid.city as scope,
            count(*) as n_expected,
            count(traffic.tile_id) as n_found
        from {{ ref('stg_netmob__tiles') }} as grid
        left outer join tiles_with_rows as traffic
            on grid.city = traffic.city and grid.tile_id = traffic.tile_id
        group by grid.city
    ),

    unknown_tiles as (
        select
            'unknown_tile_traffic' as check_name,
            city as scope,
            0 as n_expected,
            count(*) filter (where share_unknown_tile > 0) as n_found,
            max(share_unknown_tile) as observed_share
        from {{ ref('fct_tile_allocation_summary') }}
        group by city
    ),

{%- endif %}

joins as (
    {%- set sources = [
        ('join_populations', ref('stg_insee__legal_populations'), 'code_com', var('min_join_rate_populations')),
        ('join_ssmsi', ref('stg_ssmsi__communal_crime'), 'code_com', var('min_join_rate_ssmsi')),
        ('join_elections', ref('stg_elections__presidential_2017_candidates'), 'code_com', var('min_join_rate_elections')),
        ('join_insee_communes', ref('stg_insee__commune_indicators'), 'code_com', var('min_join_rate_insee_communes')),
    ] %}
    {%- for name, relation, column, threshold in sources %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            '{{ name }}' as check_name,
            'all' as scope,
            count(*) as n_expected,
            count(*) filter (where study.code_com in (select distinct {{ column }} from {{ relation }}))
                as n_found,
            {{ threshold }} as min_share
        from study
    {%- endfor %}
),

{#- each check CTE with its bounds: (cte, min_share, max_share, observed_share) -#}
{%- set parts = [] %}
{%- if netmob %}
    {%- do parts.extend([
        ('file_checks', '1.0', 'null', 'null'),
        ('unexpected_files', 'null', 'null', 'null'),
        ('tile_rows', 'null' if var('netmob_missing_tile_rows') == 'warn' else '1.0', 'null', 'null'),
        ('tiles_with_traffic', '1.0', 'null', 'null'),
        ('unknown_tiles', 'null', var('max_share_unknown_tile_traffic'), 'observed_share'),
    ]) %}
{%- endif %}
{%- do parts.append(('joins', 'min_share', 'null', 'null')) %}

checks as (
    {%- for cte, min_share, max_share, observed in parts %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select
            check_name,
            scope,
            n_expected,
            n_found,
            cast({{ min_share }} as double) as min_share,
            cast({{ max_share }} as double) as max_share,
            cast({{ observed }} as double) as observed_share
        from {{ cte }}
    {%- endfor %}
),

final as (
    select
        check_name,
        scope,
        n_expected,
        n_found,
        coalesce(observed_share, n_found / nullif(n_expected, 0)) as share,
        min_share,
        max_share,
        (min_share is null or coalesce(n_found / nullif(n_expected, 0), 1.0) >= min_share)
        and (max_share is null or coalesce(observed_share, 0.0) <= max_share) as passed
    from checks
)

select * from final
