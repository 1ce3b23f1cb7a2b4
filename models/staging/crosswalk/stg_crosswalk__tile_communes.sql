{#-
  A precomputed tile -> commune crosswalk replacing the geometric allocation (var
  tile_allocation = crosswalk, file var tile_crosswalk_path): CSV with header
  city,tile_id,code_com,weight (checked against seed ref_raw_file_headers, columns read
  by name); commune codes read as text (a code that lost its leading zero: macro
  commune_code_of).
-#}
{%- set path = source_path('crosswalk', 'tile_communes', 'tile_crosswalk_path', quote=false) %}
{%- set header = csv_header(path, ',') %}
{%- set contract = check_header('crosswalk_tile_communes', path, header) %}
{%- set at = "source_file || ':' || source_line || ': city ' || city || ', tile ' || tile_id"
    ~ " || ', commune ' || code_com" %}

with

source as (
    {{ read_csv_by_name(path, header, ',') }}
),

final as (
    select
        city,
        {{ parse_number('tile_id', at ~ " || ', tile_id'", missing=[], type='bigint') }} as tile_id,
        {{ commune_code_of('code_com') }} as code_com,
        {{ parse_number('weight', at ~ " || ', weight'", missing=[]) }} as weight,
        {{ commune_code_repaired('code_com') }} as is_code_repaired,
        source_file,
        source_line
    from source
)

select * from final
