{#-
  The plan of the incremental NetMob parse (materialization netmob_incremental_parse):
  one row per file the study expects and the listing found (int_netmob_files_listed),
  with its partition (city, service, direction), whether its day is a clock change
  (var dst_dates: 92 values a row), its city's parse key (macro netmob_parse_key), and
  - is_kept: the stored parse (`stored`, a relation, or none for a build anew) holds
    the file with the same size, modification time and parse key (macro
    netmob_parse_key over the city's tile allocation): it is not read again;
  - to_parse: not kept and not empty (an empty file has no row to parse; the listing's
    test netmob_empty_files names it).
  Reads the listing and the allocation only, never a NetMob file.
-#}
{% macro netmob_parse_plan(code_hash, stored=none) -%}
{%- set dst_days = list_var('dst_dates') %}
with

listed as (
    select
        source_file,
        city,
        service,
        direction,
        day,  -- noqa: RF04
        file_size_bytes,
        file_modified_at
    from {{ ref('int_netmob_files_listed') }}
    where is_expected and is_found
),

parse_keys as (
    select
        allocation.city,
        {{ netmob_parse_key(code_hash) }} as parse_key
    from {{ ref('int_tiles_allocated_to_communes') }} as allocation
    group by allocation.city
),

keyed as (
    select
        listed.*,
        coalesce(parse_keys.parse_key, md5('{{ code_hash }}|')) as parse_key
    from listed
    left outer join parse_keys on listed.city = parse_keys.city
),

{%- if stored is not none %}

stored_files as (
    select
        source_file,
        any_value(file_size_bytes) as file_size_bytes,
        any_value(file_modified_at) as file_modified_at,
        any_value(parse_key) as parse_key
    from {{ stored }}
    group by source_file
),
{%- endif %}

final as (
    select
        keyed.source_file,
        keyed.city,
        keyed.service,
        keyed.direction,
        {%- if dst_days %}
        strftime(keyed.day, '%Y-%m-%d') in ('{{ dst_days | join("', '") }}') as is_clock_change_day,
        {%- else %}
        false as is_clock_change_day,
        {%- endif %}
        keyed.file_size_bytes,
        keyed.parse_key,
        {%- if stored is not none %}
        stored_files.source_file is not null as is_kept
        {%- else %}
        false as is_kept
        {%- endif %}
    from keyed
    {%- if stored is not none %}
    left outer join stored_files
        on keyed.source_file = stored_files.source_file
        and keyed.file_size_bytes = stored_files.file_size_bytes
        and keyed.file_modified_at = stored_files.file_modified_at
        and keyed.parse_key = stored_files.parse_key
    {%- endif %}
)

select
    *,
    not is_kept and file_size_bytes > 0 as to_parse
from final
order by source_file
{%- endmacro %}
