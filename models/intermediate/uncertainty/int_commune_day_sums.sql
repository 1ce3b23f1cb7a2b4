{#-
  One row per commune, Tor lag and day (the local date of the reference hour): the
  sufficient statistics of the bootstrap over days (docs/method.md section 13), from the
  paired series of int_commune_hour_pairs (on Spark's table when var spine_engine is
  spark): n_pairs and, per correlation of macro correlation_pairs, the sums of x, y,
  x^2, y^2 and xy of the pair centred on the commune and lag's study mean. Pairs are
  formed before summing; a replicate weights these rows by its draws of days and never
  reads an hour. Sums are exact (decimals with 24 digits after the point, one rounding
  to double at the end), so the same input gives the same bits whatever the order or
  the threads.
-#}
{%- set names = correlation_pairs().keys() | list %}
{%- set pair_columns = [] %}
{%- set centred_columns = [] %}
{%- for name in names %}
    {%- for side in ['x', 'y'] %}
        {%- do pair_columns.append(name ~ '_' ~ side) %}
        {%- do centred_columns.append(
            name ~ '_' ~ side ~ ' - ' ~ exact_sum(name ~ '_' ~ side, 'series')
            ~ ' / count(*) over series as ' ~ name ~ '_' ~ side ~ 'c'
        ) %}
    {%- endfor %}
{%- endfor %}

with

pairs as (
    select
        lag_hours,
        code_com,
        hour_start,
        {{ pair_columns | join(',\n        ') }}
    from {{ spine_relation('int_commune_hour_pairs') }}
),

centred as (
    select
        lag_hours,
        code_com,
        cast(hour_start as date) as day,  -- noqa: RF04
        {{ centred_columns | join(',\n        ') }}
    from pairs
    window series as (partition by lag_hours, code_com)
),

final as (
    select
        lag_hours,
        code_com,
        day,  -- noqa: RF04
        {%- for name in names %}
            {{ exact_sum(name ~ '_xc') }} as {{ name }}_sum_x,
            {{ exact_sum(name ~ '_yc') }} as {{ name }}_sum_y,
            {{ exact_sum(name ~ '_xc * ' ~ name ~ '_xc') }} as {{ name }}_sum_xx,
            {{ exact_sum(name ~ '_yc * ' ~ name ~ '_yc') }} as {{ name }}_sum_yy,
            {{ exact_sum(name ~ '_xc * ' ~ name ~ '_yc') }} as {{ name }}_sum_xy,
        {%- endfor %}
        count(*) as n_pairs
    from centred
    group by lag_hours, code_com, day
)

select * from final
