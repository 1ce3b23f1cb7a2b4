{#-
  One row per NetMob traffic file, expected or found (int_netmob_files_listed), for the
  source audit and BI.
-#}

with

files as (
    select * from {{ ref('int_netmob_files_listed') }}
),

final as (
    select
        relative_path,
        city,
        service,
        direction,
        day,  -- noqa: RF04
        is_expected,
        is_found
    from files
)

select * from final
order by relative_path
