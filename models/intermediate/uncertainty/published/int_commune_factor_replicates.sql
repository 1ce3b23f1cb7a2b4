{{ config(enabled=not netmob_enabled()) }}
{#-
  Published mode (var traffic_source = published): no hourly series, so no bootstrap
  replicate; the table is empty, with the columns of the NetMob variant, and every
  interval derived from it is NULL.
-#}

select
    cast(null as varchar) as code_com,
    cast(null as varchar) as correction_method,
    cast(null as integer) as lag_hours,
    cast(null as bigint) as replicate,
    cast(null as double) as rho,
    cast(null as double) as c,
    cast(null as double) as mean_pearson_rho
where false
