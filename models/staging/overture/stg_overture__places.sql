{#-
  Overture Maps Places, GeoParquet (WKB points, EPSG:4326). Two schemas are read:
  release 2023-07-26-alpha.0 (the paper's: categories.main, bbox.minX..) and releases
  since mid-2024 (categories.primary, bbox.xmin..), recognised from the file schema.
  Each file's columns are checked against seed ref_raw_file_headers; each place keeps
  its file and row (source_file, source_line), so a place read twice (the same file
  twice) is named with both, and places outside the study area (the extent of the
  commune layer, stg_admin__communes) are flagged, counted and named.
-#}

{%- set glob = source_path('overture', 'places', 'overture_places_glob', quote=false) %}
{%- set primary = 'main' %}
{%- if execute %}
    {%- set listed = run_query("select file from glob('" ~ (glob | replace("'", "''")) ~ "') order by file") %}
    {%- if listed | length == 0 %}
        {{ exceptions.raise_compiler_error("no Overture Places file matches " ~ glob ~ " (var overture_places_glob)") }}
    {%- endif %}
    {%- set kinds = {} %}
    {%- for row in listed.rows %}
        {%- set file = row[0] %}
        {%- set reader = "read_parquet('" ~ (file | replace("'", "''")) ~ "')" %}
        {%- do check_header('overture_places', file, file_columns(reader)) %}
        {%- set described = run_query(
            "select column_type from (describe select * from " ~ reader ~ ") where column_name = 'categories'"
        ) %}
        {%- set ctype = described.rows[0][0] %}
        {%- if 'main VARCHAR' in ctype %}
            {%- do kinds.update({'main': file}) %}
        {%- elif '"primary" VARCHAR' in ctype or 'primary VARCHAR' in ctype %}
            {%- do kinds.update({'primary': file}) %}
        {%- else %}
            {{ exceptions.raise_compiler_error(file ~ ": categories is " ~ ctype ~ "; expected a struct with 'main' (2023-07-26-alpha.0) or 'primary' (2024 and later)") }}
        {%- endif %}
    {%- endfor %}
    {%- if kinds | length > 1 %}
        {{ exceptions.raise_compiler_error(
            "Overture files of two schemas under " ~ glob ~ ": " ~ kinds.main ~ " (categories.main, 2023)"
            ~ " and " ~ kinds.primary ~ " (categories.primary, 2024+); expected one release") }}
    {%- endif %}
    {%- set primary = (kinds.keys() | list)[0] %}
{%- else %}
    {%- do check_header('overture_places', glob, []) %}
{%- endif %}

with

source as (
    select
        id,
        categories,
        confidence,
        geometry,
        filename as source_file,
        file_row_number + 1 as source_line
    from read_parquet('{{ glob }}', filename = true, file_row_number = true)
),

study_area as (
    -- the extent of the commune layer read (Lambert-93): a place outside it is in no
    -- commune of the study (a file of another country, longitude and latitude swapped)
    select st_envelope(st_collect(list(geom_l93))) as extent
    from {{ ref('stg_admin__communes') }}
),

final as (
    select
        source.id as place_id,
        struct_extract(source.categories, '{{ primary }}') as category,
        struct_extract(source.categories, 'alternate') as alternate_categories,
        source.confidence,
        '{{ "2023-07-26-alpha.0" if primary == "main" else "2024+" }}' as source_schema,
        st_x(source.geometry) as lon,
        st_y(source.geometry) as lat,
        st_transform(source.geometry, 'EPSG:4326', 'EPSG:2154', always_xy := true) as geom_l93,
        not coalesce(
            st_intersects(
                st_transform(source.geometry, 'EPSG:4326', 'EPSG:2154', always_xy := true), study_area.extent
            ),
            false
        ) as is_outside_study_area,
        source.source_file,
        source.source_line
    from source
    cross join study_area
)

select * from final
