{#-
  Overture Maps Places, GeoParquet (WKB points, EPSG:4326). Two schemas are read:
  release 2023-07-26-alpha.0 (the paper's: categories.main, bbox.minX..) and releases
  since mid-2024 (categories.primary, bbox.xmin..), recognised from the file schema.
-#}

{%- set glob = source_path('overture', 'places', 'overture_places_glob', quote=false) %}
{%- set primary = 'main' %}
{%- if execute %}
    {%- set describe_sql %}
        select column_type
        from (describe select * from read_parquet('{{ glob }}'))
        where column_name = 'categories'
    {%- endset %}
    {%- set described = run_query(describe_sql) %}
    {%- if described | length == 0 %}
        {{ exceptions.raise_compiler_error(glob ~ ": no column 'categories'; expected Overture Places (2023-07-26-alpha.0 or later)") }}
    {%- endif %}
    {%- set ctype = described.rows[0][0] %}
    {%- if 'main VARCHAR' in ctype %}
        {%- set primary = 'main' %}
    {%- elif '"primary" VARCHAR' in ctype or 'primary VARCHAR' in ctype %}
        {%- set primary = 'primary' %}
    {%- else %}
        {{ exceptions.raise_compiler_error(glob ~ ": categories is " ~ ctype ~ "; expected a struct with 'main' (2023) or 'primary' (2024+)") }}
    {%- endif %}
{%- endif %}

with

source as (
    select
        id,
        categories,
        confidence,
        geometry
    from read_parquet('{{ glob }}')
),

final as (
    select
        source.id as place_id,
        categories."{{ primary }}" as category,
        categories.alternate as alternate_categories,
        source.confidence,
        '{{ "2023-07-26-alpha.0" if primary == "main" else "2024+" }}' as source_schema,
        st_x(source.geometry) as lon,
        st_y(source.geometry) as lat,
        st_transform(source.geometry, 'EPSG:4326', 'EPSG:2154', always_xy := true) as geom_l93
    from source
)

select * from final
