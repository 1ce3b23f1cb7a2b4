{{ config(enabled=netmob_enabled()) }}
{#-
  One row per file found in a NetMob day folder, <raw_dir>/netmob/<City>/<Service>/
  <YYYYMMDD>/<file>, of the study's cities and services (vars netmob_cities,
  netmob_services): the directory listing, never the files' content.
-#}
-- depends_on: {{ source('netmob', 'traffic_files') }}
{%- set root = raw_path(relative="netmob", quote=false) %}

with

listing as (
    select substr(file, {{ (root | length) + 2 }}) as relative_path
    from glob('{{ root | replace("'", "''") }}/*/*/*/*')
),

final as (
    select
        relative_path,
        split_part(relative_path, '/', 1) as city,
        split_part(relative_path, '/', 2) as service,
        regexp_extract(relative_path, '_([A-Z]+)\.txt$', 1) as direction,
        try_strptime(split_part(relative_path, '/', 3), '%Y%m%d')::date as day  -- noqa: RF04
    from listing
    where
        split_part(relative_path, '/', 1) in {{ "('" ~ list_var('netmob_cities') | join("', '") ~ "')" }}
        and split_part(relative_path, '/', 2) in {{ "('" ~ list_var('netmob_services') | join("', '") ~ "')" }}
)

select * from final
