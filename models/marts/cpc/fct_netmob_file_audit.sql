{{ config(enabled=netmob_enabled()) }}
{#-
  One row per NetMob traffic file, expected or found: the files the vars call for (city x
  service x direction x study day) against the files on disk for those cities and
  services (other days or directions show as found but not expected). It reads
  only the directory listing, never the files, so it builds even when a missing file
  stops the parse, and says which files are missing.
-#}
{%- set root = raw_path(relative="netmob", quote=false) %}

with

expected_files as (
    select
        city,
        service,
        direction,
        day,
        city || '/' || service || '/' || strftime(day, '%Y%m%d') || '/' || city || '_'
        || service || '_' || strftime(day, '%Y%m%d') || '_' || direction || '.txt' as relative_path
    from
        (select unnest({{ list_var('netmob_cities') }}) as city)
        cross join (select unnest({{ list_var('netmob_services') }}) as service)
        cross join (select unnest({{ list_var('netmob_directions') }}) as direction)
        cross join (
            select unnest(range(
                date '{{ var("study_start") }}', date '{{ var("study_end") }}' + interval 1 day,
                interval 1 day
            ))::date as day
        )
),

found_files as (
    select substr(file, {{ (root | length) + 2 }}) as relative_path
    from glob('{{ root | replace("'", "''") }}/*/*/*/*.txt')
    where
        split_part(substr(file, {{ (root | length) + 2 }}), '/', 1) in (
            select unnest({{ list_var('netmob_cities') }})
        )
        and split_part(substr(file, {{ (root | length) + 2 }}), '/', 2) in (
            select unnest({{ list_var('netmob_services') }})
        )
),

final as (
    select
        coalesce(expected_files.relative_path, found_files.relative_path) as relative_path,
        coalesce(
            expected_files.city, split_part(found_files.relative_path, '/', 1)
        ) as city,
        coalesce(
            expected_files.service, split_part(found_files.relative_path, '/', 2)
        ) as service,
        coalesce(
            expected_files.direction,
            regexp_extract(found_files.relative_path, '_([A-Z]+)\.txt$', 1)
        ) as direction,
        coalesce(
            expected_files.day,
            try_strptime(split_part(found_files.relative_path, '/', 3), '%Y%m%d')::date
        ) as day,
        expected_files.relative_path is not null as is_expected,
        found_files.relative_path is not null as is_found
    from expected_files
    full outer join found_files on expected_files.relative_path = found_files.relative_path
)

select * from final
order by relative_path
