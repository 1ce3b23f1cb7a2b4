{#-
  One row per NetMob traffic file, expected or found: the files the vars call for (city x
  service x direction x study day) against every file on disk in the day folders of
  those cities and services (stg_netmob__files) (other days, directions or stray files
  show as found but not expected), with the file's absolute path, size and
  modification time. It reads only the directory listing, never the files; its tests run
  before the parse (which depends on it), so a missing file stops the build with the
  list of missing files, and a stray file warns with its name.
-#}

with

cities as (
    select unnest({{ list_var('netmob_cities') }}) as city
),

services as (
    select unnest({{ list_var('netmob_services') }}) as service
),

directions as (
    select unnest({{ list_var('netmob_directions') }}) as direction
),

-- `day` is the column name of every NetMob model, hence the noqa
study_days as (
    select
        unnest(range(
            date '{{ var("study_start") }}', date '{{ var("study_end") }}' + interval 1 day,
            interval 1 day
        ))::date as day  -- noqa: RF04
),

expected_files as (
    select
        cities.city,
        services.service,
        directions.direction,
        study_days.day,
        cities.city || '/' || services.service || '/' || strftime(study_days.day, '%Y%m%d')
        || '/' || cities.city || '_' || services.service || '_'
        || strftime(study_days.day, '%Y%m%d') || '_' || directions.direction
        || '.txt' as relative_path
    from cities
    cross join services
    cross join directions
    cross join study_days
),

found_files as (
    select
        relative_path,
        city,
        service,
        direction,
        day,  -- noqa: RF04
        source_file,
        file_size_bytes,
        file_modified_at
    from {{ ref('stg_netmob__files') }}
),

final as (
    select
        coalesce(expected_files.relative_path, found_files.relative_path) as relative_path,
        coalesce(expected_files.city, found_files.city) as city,
        coalesce(expected_files.service, found_files.service) as service,
        coalesce(expected_files.direction, found_files.direction) as direction,
        coalesce(expected_files.day, found_files.day) as day,  -- noqa: RF04
        expected_files.relative_path is not null as is_expected,
        found_files.relative_path is not null as is_found,
        coalesce(
            found_files.source_file,
            '{{ raw_path(relative="netmob", quote=false) | replace("'", "''") }}/' || expected_files.relative_path
        ) as source_file,
        found_files.file_size_bytes,
        found_files.file_modified_at
    from expected_files
    full outer join found_files on expected_files.relative_path = found_files.relative_path
)

select * from final
