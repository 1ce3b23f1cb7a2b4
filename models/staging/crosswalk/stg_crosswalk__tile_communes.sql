{#-
  A precomputed tile -> commune crosswalk replacing the geometric allocation (var
  tile_allocation = crosswalk, file var tile_crosswalk_path): CSV with header
  city,tile_id,code_com,weight; commune codes read as text.
-#}
{%- set path = source_path('crosswalk', 'tile_communes', 'tile_crosswalk_path', quote=false) %}
{%- set at = "'" ~ path ~ ": city ' || city || ', tile ' || tile_id || ', commune ' || code_com" %}

with

source as (
    select *
    from read_csv(
        '{{ path }}',
        delim = ',',
        header = true,
        auto_detect = false,
        strict_mode = true,
        columns = { 'city': 'VARCHAR', 'tile_id': 'VARCHAR', 'code_com': 'VARCHAR', 'weight': 'VARCHAR' }
    )
),

final as (
    select
        city,
        {{ parse_number('tile_id', at ~ " || ', tile_id'", missing=[], type='bigint') }} as tile_id,
        code_com,
        {{ parse_number('weight', at ~ " || ', weight'", missing=[]) }} as weight
    from source
)

select * from final
