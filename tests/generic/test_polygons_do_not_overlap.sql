{#-
  Fails when two rows' polygons (`column_name`) overlap by more than `max_overlap_m2`
  square metres (a Lambert-93 geometry; borders shared exactly overlap by 0), naming
  both keys, where each was read (macro row_location) and the area. A spatial join
  (DuckDB's R-tree join on ST_Intersects), each pair once.
  Example:
    columns:
      - name: geom_l93
        data_tests:
          - polygons_do_not_overlap:
              arguments: {key: code_com, max_overlap_m2: "{{ var('max_commune_overlap_m2') }}"}
-#}
{% test polygons_do_not_overlap(model, column_name, key, max_overlap_m2) %}

{%- set failing %}
with

polygons as (
    select
        {{ key }} as key_value,
        {{ row_location(model) }} as location,
        {{ column_name }} as polygon
    from {{ model }}
    where {{ column_name }} is not null
),

pairs as (
    select
        a.key_value as key_a,
        a.location as location_a,
        b.key_value as key_b,
        b.location as location_b,
        st_area(st_intersection(a.polygon, b.polygon)) as overlap_m2
    from polygons as a
    inner join polygons as b
        on st_intersects(a.polygon, b.polygon)
    where a.key_value < b.key_value
)

select *
from pairs
where overlap_m2 > {{ max_overlap_m2 }}
{%- endset %}

{{ fail_naming(
    'overlapping polygons in ' ~ model.identifier,
    failing,
    "'" ~ key ~ " ' || key_a || ' (' || location_a || ') and ' || key_b || ' (' || location_b"
    ~ " || ') overlap by ' || round(overlap_m2, 1) || ' m2; expected at most "
    ~ max_overlap_m2 ~ " m2 (var max_commune_overlap_m2)'",
    'key_a, key_b'
) }}

{% endtest %}
