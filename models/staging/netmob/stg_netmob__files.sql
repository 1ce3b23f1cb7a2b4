{#-
  One row per file found in a NetMob day folder, <raw_dir>/netmob/<City>/<Service>/
  <YYYYMMDD>/<file>, of the study's cities and services (vars netmob_cities,
  netmob_services): the directory listing with each file's size and modification time,
  never the files' content (read_blob without its content column reads no byte of the
  files). Size and time are what the incremental parse compares to find changed files.
-#}
{%- set root = source_path('netmob', 'traffic_files', relative='netmob', quote=false) %}

with

listing as (
    select
        filename as source_file,
        size as file_size_bytes,
        last_modified as file_modified_at
    from read_blob('{{ root | replace("'", "''") }}/*/*/*/*')
),

final as (
    select
        substr(source_file, {{ (root | length) + 2 }}) as relative_path,
        split_part(substr(source_file, {{ (root | length) + 2 }}), '/', 1) as city,
        split_part(substr(source_file, {{ (root | length) + 2 }}), '/', 2) as service,
        regexp_extract(source_file, '_([A-Z]+)\.txt$', 1) as direction,
        try_strptime(split_part(substr(source_file, {{ (root | length) + 2 }}), '/', 3), '%Y%m%d')::date
            as day,  -- noqa: RF04
        source_file,
        file_size_bytes,
        file_modified_at
    from listing
),

studied as (
    select * from final
    where
        city in {{ "('" ~ list_var('netmob_cities') | join("', '") ~ "')" }}
        and service in {{ "('" ~ list_var('netmob_services') | join("', '") ~ "')" }}
)

select * from studied
